/** sacrebleu's version string, as it appears in every signature. */
export const SACREBLEU_VERSION = '2.6.0';

/** One `key:value` item of a sacrebleu signature, with its short key. */
export interface SignatureItem {
  key: string;
  short: string;
  value: string | number;
}

/** The number of references as sacrebleu prints it: a count, or `var` when segments differ. */
export type NRefs = number | 'var';

/** Joins signature items the way sacrebleu's `Signature.format()` does (`nrefs` first, `version` last). */
export function formatSignature(nrefs: NRefs, items: readonly SignatureItem[], short = false): string {
  const all: SignatureItem[] = [
    { key: 'nrefs', short: '#', value: nrefs },
    ...items,
    { key: 'version', short: 'v', value: SACREBLEU_VERSION },
  ];
  return all.map((i) => `${short ? i.short : i.key}:${i.value}`).join('|');
}
