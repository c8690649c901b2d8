import { parseArgs } from 'node:util';
import { EncodingError, InvalidInputError } from '../../lambdas/core/errors';
import {
  type BleuOptions,
  type ChrfOptions,
  corpusBleu,
  corpusChrf,
  defaultTokenizerFor,
  isTokenizerName,
  SMOOTH_METHODS,
  type SmoothMethod,
  sentenceBleu,
  sentenceChrf,
  TOKENIZER_NAMES,
} from '../../lambdas/core/score';
import { evaluateVectors } from '../../lambdas/core/score/vectors';
import { type Command, EXIT, readInputFile, UsageError } from '../io';

const USAGE = `usage: amts score --metric bleu|chrf|chrf++ [--tokenize ${TOKENIZER_NAMES.join('|')}] [--target-lang L]
                  [--lowercase] [--smooth exp|floor|add-k|none] [--smooth-value V] [--effective-order]
                  --hyp H.txt --ref R.txt [--ref R2.txt …] [--sentence]
       amts score --vectors FILE.json

Scores like sacrebleu 2.6.0 and prints JSON: score, statistics (counts, totals, precisions, bp,
sys_len, ref_len, ratio for BLEU; stats for chrF), signature and sacrebleu's score line.
Files hold one segment per line (UTF-8). Several --ref files are several references per line;
an empty reference line means "no reference from this file" (at least one is needed).
--tokenize defaults to the target language's tokenizer (zh → zh, ja/ko/th → char, else 13a).
--sentence prints one result per line instead of the corpus score (BLEU then uses effective order).
--vectors evaluates every case of a vectors file (the format of bleu-vectors/vectors.json) and prints
[{ id, score, …statistics, tokenized? }] with the same field names as each case's result.`;

function readText(path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readInputFile(path));
  } catch (error) {
    if (error instanceof TypeError) throw new EncodingError(`${path}: not valid UTF-8`, { cause: error });
    throw error;
  }
}

/** One segment per line, like Python reading a file opened with newline="\n" (a final newline ends the last line). */
function readLines(path: string): string[] {
  const text = readText(path);
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Runs `score(i)` for every line, naming the line in any input error. */
function perLine<T>(count: number, score: (i: number) => T): T[] {
  return Array.from({ length: count }, (_, i) => {
    try {
      return score(i);
    } catch (error) {
      if (error instanceof InvalidInputError)
        throw new InvalidInputError(`line ${i + 1}: ${error.message}`, { cause: error });
      throw error;
    }
  });
}

/** The references of line `i` (one per --ref file; an empty line is no reference). */
function lineRefs(refs: string[][], i: number): string[] {
  return refs.map((r) => r[i] as string).filter((r) => r !== '');
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export const command: Command = {
  summary: 'BLEU / chrF / chrF++ exactly like sacrebleu 2.6.0 (files or a vectors file)',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        metric: { type: 'string' },
        tokenize: { type: 'string' },
        'target-lang': { type: 'string' },
        lowercase: { type: 'boolean' },
        smooth: { type: 'string' },
        'smooth-value': { type: 'string' },
        'effective-order': { type: 'boolean' },
        hyp: { type: 'string' },
        ref: { type: 'string', multiple: true },
        sentence: { type: 'boolean' },
        vectors: { type: 'string' },
      },
      allowPositionals: false,
    });

    if (values.vectors !== undefined) {
      const others = Object.keys(values).filter((k) => k !== 'vectors');
      if (others.length > 0) throw new UsageError(`--vectors takes no other option (got --${others[0]})`);
      let data: unknown;
      try {
        data = JSON.parse(readText(values.vectors));
      } catch (error) {
        if (error instanceof SyntaxError) {
          throw new InvalidInputError(`${values.vectors}: not JSON (${error.message})`, { cause: error });
        }
        throw error;
      }
      io.out(json(evaluateVectors(data)));
      return EXIT.ok;
    }

    const metric = values.metric ?? 'bleu';
    if (metric !== 'bleu' && metric !== 'chrf' && metric !== 'chrf++') {
      throw new UsageError(`--metric must be bleu, chrf or chrf++, got '${metric}'`);
    }
    if (values.hyp === undefined) throw new UsageError('--hyp FILE is required');
    const refFiles = values.ref ?? [];
    if (refFiles.length === 0) throw new UsageError('at least one --ref FILE is required');

    const bleuOnly = ['tokenize', 'target-lang', 'smooth', 'smooth-value', 'effective-order'] as const;
    if (metric !== 'bleu') {
      const wrong = bleuOnly.find((k) => values[k] !== undefined);
      if (wrong) throw new UsageError(`--${wrong} applies to BLEU only (chrF needs no tokenizer)`);
    }
    let tokenize = values.tokenize;
    if (tokenize !== undefined && !isTokenizerName(tokenize)) {
      throw new UsageError(`--tokenize must be one of ${TOKENIZER_NAMES.join(', ')}, got '${tokenize}'`);
    }
    if (tokenize === undefined && values['target-lang'] !== undefined) {
      tokenize = defaultTokenizerFor(values['target-lang']);
    }
    const smooth = values.smooth ?? 'exp';
    if (!(SMOOTH_METHODS as readonly string[]).includes(smooth)) {
      throw new UsageError(`--smooth must be one of ${SMOOTH_METHODS.join(', ')}, got '${smooth}'`);
    }
    let smoothValue: number | null = null;
    if (values['smooth-value'] !== undefined) {
      smoothValue = Number(values['smooth-value']);
      if (values['smooth-value'].trim() === '' || !Number.isFinite(smoothValue) || smoothValue < 0) {
        throw new UsageError(`--smooth-value must be a number ≥ 0, got '${values['smooth-value']}'`);
      }
    }

    const hyps = readLines(values.hyp);
    const refs = refFiles.map((f) => {
      const lines = readLines(f);
      if (lines.length !== hyps.length) {
        throw new InvalidInputError(`${f} has ${lines.length} lines but ${values.hyp} has ${hyps.length}`);
      }
      return lines;
    });
    if (hyps.length === 0) throw new InvalidInputError(`${values.hyp}: no lines to score`);

    if (metric === 'bleu') {
      const opts: BleuOptions = {
        tokenize: tokenize as BleuOptions['tokenize'],
        lowercase: values.lowercase ?? false,
        smoothMethod: smooth as SmoothMethod,
        smoothValue,
      };
      if (values['effective-order'] !== undefined) opts.effectiveOrder = values['effective-order'];
      if (values.sentence) {
        io.out(json(perLine(hyps.length, (i) => sentenceBleu(hyps[i] as string, lineRefs(refs, i), opts))));
      } else {
        io.out(json(corpusBleu(hyps, refs, opts)));
      }
      return EXIT.ok;
    }
    const copts: ChrfOptions = {
      wordOrder: metric === 'chrf++' ? 2 : 0,
      lowercase: values.lowercase ?? false,
    };
    if (values.sentence) {
      io.out(json(perLine(hyps.length, (i) => sentenceChrf(hyps[i] as string, lineRefs(refs, i), copts))));
    } else {
      io.out(json(corpusChrf(hyps, refs, copts)));
    }
    return EXIT.ok;
  },
};
