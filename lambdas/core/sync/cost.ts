/**
 * What a run costs at Amazon Translate's list prices.
 *
 * Source: https://aws.amazon.com/translate/pricing/ — "Standard Translation: $15.00 per million characters"
 * (real-time and batch) and "Active Custom Translation: $60.00 per million characters" (batch jobs that use
 * parallel data). Prices are per character of source text sent, whitespace included; the free tier
 * (2 million characters a month for 12 months) is ignored. Update these constants if the page changes.
 */

/** USD per million source characters. */
export const TRANSLATE_PRICES_USD_PER_MILLION = { standard: 15, act: 60 } as const;

/** The cost of sending `characters` to Translate. */
export interface CostEstimate {
  characters: number;
  /** True for Active Custom Translation (a job with parallel data). */
  act: boolean;
  usdPerMillionCharacters: number;
  /** Rounded to the cent above, never below (an estimate should not under-promise). */
  usd: number;
}

/** Estimated cost of translating `characters` source characters, standard or with ACT. */
export function estimateCost(characters: number, opts: { act: boolean }): CostEstimate {
  if (!Number.isSafeInteger(characters) || characters < 0) {
    throw new RangeError(`characters must be a non-negative integer, got ${characters}`);
  }
  const rate = opts.act ? TRANSLATE_PRICES_USD_PER_MILLION.act : TRANSLATE_PRICES_USD_PER_MILLION.standard;
  const usd = Math.ceil((characters * rate) / 10_000) / 100;
  return { characters, act: opts.act, usdPerMillionCharacters: rate, usd };
}

/** Characters Translate bills for a unit: Unicode code points of its text (what the job input contains). */
export function billedCharacters(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
