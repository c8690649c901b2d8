import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { apertiumTranslator } from '../../local/emulator/apertium';
import { REPO_ROOT } from '../../local/run/repo';
import { runBook } from '../../local/run/run-book';
import { type Command, EXIT, UsageError } from '../io';

/** Marks a folder the demo created, so a later demo may delete it (and nothing else). */
const MARKER = '.amts-demo';

const USAGE = `usage: amts demo [--out DIR] [--delay-ms N]

Runs the en→zh workflow on the example book (examples/) from scratch, entirely offline: an embedded
S3 server and the Amazon Translate emulator on 127.0.0.1, the real state machine and handlers.
The translated Markdown and the run report land in DIR (default ./demo-output), which is recreated.

  --out DIR      output folder (default demo-output); only a folder an earlier demo created is replaced
  --delay-ms N   emulated Translate latency per phase, to watch the polling (default 200; 0 = instant)`;

export const command: Command = {
  summary: 'run the whole workflow offline on the example book (examples/ → demo-output/)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, 'delay-ms': { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const out = resolve(values.out ?? 'demo-output');
    const delay = values['delay-ms'] === undefined ? 200 : Number(values['delay-ms']);
    if (!Number.isInteger(delay) || delay < 0 || delay > 60_000) {
      throw new UsageError(`--delay-ms ${values['delay-ms']}: expected an integer 0–60000`);
    }
    if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, MARKER))) {
      throw new UsageError(`${out} exists and was not made by amts demo; refusing to replace it (use --out)`);
    }
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, MARKER), 'created by `amts demo`; the next demo replaces this folder\n');
    const zh = await runDemoPair({ source: 'en', target: 'zh' }, out, join(out, '.amts'), delay, io);
    // en→es: the same English chapters, no Spanish reference; real Spanish from Apertium when it has the
    // pair installed (the emulator's machine translator), else the run is left out, said in one line.
    const es = apertiumTranslator('en', 'es');
    if ('missing' in es) {
      io.out(`\nen→es skipped: ${es.missing}\n`);
      return zh === 0 ? EXIT.ok : EXIT.failed;
    }
    io.out(`\nen→es with ${es.name}\n`);
    const esCode = await runDemoPair({ source: 'en', target: 'es' }, out, join(out, '.amts-es'), delay, io);
    return zh === 0 && esCode === 0 ? EXIT.ok : EXIT.failed;
  },
};

async function runDemoPair(
  pair: { source: string; target: string },
  out: string,
  data: string,
  delay: number,
  io: Parameters<Command['run']>[1],
): Promise<number> {
  const result = await runBook({
    pair,
    book: join(REPO_ROOT, 'examples'),
    out,
    data,
    delays: { parallelDataMs: delay, jobQueuedMs: delay, jobRunMs: delay },
    timing: {
      waitMs: {
        'Wait For Earlier Run': 250,
        'Wait For Parallel Data': Math.ceil(delay / 2),
        'Wait For Translation Job': Math.ceil(delay / 2),
      },
    },
    log: (line) => io.out(`${line}\n`),
  });
  return result.exitCode;
}
