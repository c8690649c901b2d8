import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InvalidInputError } from '../../lambdas/core/errors';
import { splitPairId } from '../../lambdas/core/language';
import { assertLanguagePair } from '../../lambdas/core/workflow/names';
import type { EmulatorFaults } from '../../local/emulator';
import { parseFaults } from '../../local/run/faults-option';
import { runBook } from '../../local/run/run-book';
import { type Command, EXIT, UsageError } from '../io';

const USAGE = `usage: amts run --local --pair SRC-TGT --book DIR [--data DATADIR] [--out OUTDIR] [--input JSON] [--fresh]
       amts run --aws   --pair SRC-TGT --book DIR [--input JSON]

Runs the AMTS workflow (statemachine/workflow.asl.json) once for one language pair.

  --local        embedded S3 (s3rver on 127.0.0.1) + offline Amazon Translate emulator (default)
  --aws          real S3 and Amazon Translate with your AWS credentials; needs AMTS_BUCKET and
                 AMTS_TRANSLATE_ROLE_ARN in the environment (documented, not tested offline)
  --pair         e.g. en-zh
  --book DIR     holds source/<src>/**.md, reference/<tgt>/**.md, optionally translated/<tgt>/**.md
  --out OUTDIR   where translated/<tgt>/** is read and written and reports/** written (default DIR)
  --data DATADIR local bucket and emulator state (default OUTDIR/.amts: a second run sees the first)
  --input JSON   execution input, inline JSON or a file, e.g. '{"documents":["chapter_x/y.md"]}'
  --fresh        delete DATADIR first (a first sync from scratch)
  --trigger T    console (default): start with --input; events: start with the S3 "Object Created"
                 events (SQS batch, URL-encoded keys) that this run's uploads would send on AWS
  --delay-ms N   emulated Translate latency per job phase (default 0)
  --faults JSON  make the emulator fail, e.g. '{"jobFails":true}', '{"documentsFail":["rcnn"]}',
                 '{"parallelDataImportFails":true}', '{"jobStops":true}',
                 '{"errors":[{"operation":"StartTextTranslationJob","type":"ThrottlingException","count":3}]}'

Prints each state as it starts and ends, the job status while polling and a summary; the last line
is the path of the run report JSON. Exit 0 when the run succeeded, 1 when it failed or a document failed.`;

export const command: Command = {
  summary: 'run the workflow for one language pair on a book folder (local by default, or --aws)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        local: { type: 'boolean' },
        aws: { type: 'boolean' },
        pair: { type: 'string' },
        book: { type: 'string' },
        data: { type: 'string' },
        out: { type: 'string' },
        input: { type: 'string' },
        fresh: { type: 'boolean' },
        'delay-ms': { type: 'string' },
        faults: { type: 'string' },
        trigger: { type: 'string' },
      },
      allowPositionals: true,
    });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (values.local && values.aws) throw new UsageError('choose --local or --aws, not both');
    if (!values.pair) throw new UsageError('--pair is required (e.g. --pair en-zh)');
    if (!values.book) throw new UsageError('--book is required');
    const pair = splitPairId(values.pair);
    if (!pair)
      throw new UsageError(`--pair ${values.pair}: expected SRC-TGT of Amazon Translate codes, e.g. en-zh`);
    try {
      assertLanguagePair(pair);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const input = parseInput(values.input, '--input');
    const trigger = values.trigger ?? 'console';
    if (trigger !== 'console' && trigger !== 'events') {
      throw new UsageError(`--trigger ${trigger}: expected console or events`);
    }
    if (trigger === 'events' && values.input !== undefined) {
      throw new UsageError('--input and --trigger events exclude each other (events carry their own input)');
    }
    if (values.faults && values.aws) throw new UsageError('--faults only applies to the local emulator');
    let faults: EmulatorFaults | undefined;
    try {
      faults = values.faults === undefined ? undefined : parseFaults(parseInput(values.faults, '--faults'));
    } catch (error) {
      if (error instanceof InvalidInputError) throw new UsageError(error.message);
      throw error;
    }
    const delay = values['delay-ms'] === undefined ? 0 : Number(values['delay-ms']);
    if (!Number.isInteger(delay) || delay < 0 || delay > 600_000) {
      throw new UsageError(`--delay-ms ${values['delay-ms']}: expected an integer 0–600000`);
    }
    const result = await runBook({
      pair,
      book: resolve(values.book),
      out: values.out ? resolve(values.out) : undefined,
      data: values.data ? resolve(values.data) : undefined,
      input,
      fresh: values.fresh,
      aws: values.aws,
      faults,
      trigger,
      delays: { parallelDataMs: delay, jobQueuedMs: delay, jobRunMs: delay },
      timing: values.aws
        ? undefined
        : delay
          ? {
              waitMs: {
                'Wait For Earlier Run': 250,
                'Wait For Parallel Data': Math.ceil(delay / 2),
                'Wait For Translation Job': Math.ceil(delay / 2),
              },
            }
          : { waitMs: { 'Wait For Earlier Run': 250 } },
      log: (line) => io.out(`${line}\n`),
    });
    return result.exitCode === 0 ? EXIT.ok : EXIT.failed;
  },
};

/** `--input` / `--faults`: inline JSON (starts with `{`) or a JSON file. */
function parseInput(value: string | undefined, option: string): unknown {
  if (value === undefined) return {};
  const text = value.trimStart().startsWith('{')
    ? value
    : existsSync(value)
      ? readFileSync(value, 'utf8')
      : (() => {
          throw new UsageError(`${option} ${value}: neither inline JSON nor an existing file`);
        })();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${option}: not valid JSON (${(error as Error).message})`);
  }
}
