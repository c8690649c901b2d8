/**
 * Evaluates a file of reference vectors in the format of sacrebleu's shared `vectors.json`
 * (`cases[]` with `kind` corpus_bleu | sentence_bleu | sentence_chrf | corpus_chrf | tokenize,
 * sacrebleu option names, inputs) and returns our results under the same field names as each
 * case's `result`, so any such file can be checked against this implementation.
 */
import { z } from 'zod';
import { InvalidInputError } from '../errors';
import { type BleuOptions, corpusBleu, SMOOTH_METHODS, type SmoothMethod, sentenceBleu } from './bleu';
import { type ChrfOptions, corpusChrf, sentenceChrf } from './chrf';
import { pySplit } from './python-text';
import { getTokenizer, TOKENIZER_NAMES } from './tokenizers';

const tokenizerName = z.enum(TOKENIZER_NAMES);
const bleuOptions = z
  .object({
    lowercase: z.boolean().optional(),
    tokenize: tokenizerName.optional(),
    smooth_method: z.enum(SMOOTH_METHODS as [SmoothMethod, ...SmoothMethod[]]).optional(),
    smooth_value: z.number().nullable().optional(),
    max_ngram_order: z.number().int().min(1).max(16).optional(),
    effective_order: z.boolean().optional(),
  })
  .passthrough();
const chrfOptions = z
  .object({
    char_order: z.number().int().min(0).max(32).optional(),
    word_order: z.number().int().min(0).max(32).optional(),
    beta: z.number().int().min(0).max(32).optional(),
    lowercase: z.boolean().optional(),
    whitespace: z.boolean().optional(),
    eps_smoothing: z.boolean().optional(),
  })
  .passthrough();
const streams = z.array(z.array(z.string().nullable()));
const id = z.string().min(1);

const vectorCase = z.discriminatedUnion('kind', [
  z.object({
    id,
    kind: z.literal('corpus_bleu'),
    options: bleuOptions.default({}),
    hypotheses: z.array(z.string()),
    references: streams,
  }),
  z.object({
    id,
    kind: z.literal('sentence_bleu'),
    options: bleuOptions.default({}),
    hypothesis: z.string(),
    references: z.array(z.string()),
  }),
  z.object({
    id,
    kind: z.literal('corpus_chrf'),
    options: chrfOptions.default({}),
    hypotheses: z.array(z.string()),
    references: streams,
  }),
  z.object({
    id,
    kind: z.literal('sentence_chrf'),
    options: chrfOptions.default({}),
    hypothesis: z.string(),
    references: z.array(z.string()),
  }),
  z.object({
    id,
    kind: z.literal('tokenize'),
    options: z.object({ tokenize: tokenizerName }).passthrough(),
    input: z.string(),
  }),
]);
const vectorFile = z.object({ cases: z.array(z.unknown()) }).passthrough();

export type VectorCase = z.infer<typeof vectorCase>;

/** One evaluated case: `id` plus the fields of the case's `result` (or `tokenized`/`tokens`). */
export type VectorResult = { id: string } & Record<string, unknown>;

function toBleuOptions(o: z.infer<typeof bleuOptions>): BleuOptions {
  return {
    lowercase: o.lowercase,
    tokenize: o.tokenize,
    smoothMethod: o.smooth_method,
    smoothValue: o.smooth_value,
    maxNgramOrder: o.max_ngram_order,
    effectiveOrder: o.effective_order,
  };
}

function toChrfOptions(o: z.infer<typeof chrfOptions>): ChrfOptions {
  return {
    charOrder: o.char_order,
    wordOrder: o.word_order,
    beta: o.beta,
    lowercase: o.lowercase,
    whitespace: o.whitespace,
    epsSmoothing: o.eps_smoothing,
  };
}

/** Evaluates one (validated) case. */
export function evaluateVectorCase(c: VectorCase): VectorResult {
  switch (c.kind) {
    case 'corpus_bleu':
    case 'sentence_bleu': {
      const opts = toBleuOptions(c.options);
      const r =
        c.kind === 'corpus_bleu'
          ? corpusBleu(c.hypotheses, c.references, { ...opts, keepSegmentStats: true })
          : sentenceBleu(c.hypothesis, c.references, {
              ...opts,
              effectiveOrder: opts.effectiveOrder ?? true,
            });
      const { name: _name, ...fields } = r;
      return { id: c.id, ...fields };
    }
    case 'corpus_chrf':
    case 'sentence_chrf': {
      const opts = toChrfOptions(c.options);
      const r =
        c.kind === 'corpus_chrf'
          ? corpusChrf(c.hypotheses, c.references, opts)
          : sentenceChrf(c.hypothesis, c.references, opts);
      return { id: c.id, ...r };
    }
    case 'tokenize': {
      const tokenized = getTokenizer(c.options.tokenize)(c.input);
      return { id: c.id, tokenized, tokens: pySplit(tokenized) };
    }
  }
}

/**
 * Parses a vectors file (already JSON-decoded) and evaluates every case, in order. Throws
 * InvalidInputError naming the case (index and id) that is malformed or cannot be scored.
 */
export function evaluateVectors(data: unknown): VectorResult[] {
  const file = vectorFile.safeParse(data);
  if (!file.success) throw new InvalidInputError('vectors file: expected an object with a "cases" array');
  return file.data.cases.map((raw, i) => {
    const parsed = vectorCase.safeParse(raw);
    const label = `case ${i + 1}${typeof (raw as { id?: unknown })?.id === 'string' ? ` (${(raw as { id: string }).id})` : ''}`;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError(
        `vectors file: ${label}: ${issue ? `${issue.path.join('.') || '(case)'}: ${issue.message}` : 'invalid'}`,
      );
    }
    try {
      return evaluateVectorCase(parsed.data);
    } catch (error) {
      if (error instanceof InvalidInputError) {
        throw new InvalidInputError(`vectors file: ${label}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  });
}
