import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { splitPairId } from '../../lambdas/core/language';
import { decodeMarkdown } from '../../lambdas/core/markdown';
import { emptySyncState, planRun, type RunPlan, type SyncState } from '../../lambdas/core/sync/api';
import { parseShard, parseStateObject, shardName } from '../../lambdas/core/sync/state-index';
import { planDocumentInput } from '../../lambdas/core/workflow/plan-documents';
import { markdownFiles } from '../files';
import { type Command, EXIT, UsageError } from '../io';

const USAGE = `usage: amts estimate --pair en-zh --book DIR [--data DATADIR] [--whole-units] [--json]

Plans a sync run of the book without starting anything, and prints what it would send to Amazon Translate
and what that would cost (standard and Active Custom Translation prices).

  --pair   language pair <src>-<tgt>, e.g. en-zh
  --book   book folder: source/<src>/**.md, reference/<tgt>/**.md, translated/<tgt>/**.md
  --data   local run data (default DIR/.amts): the sync state is read from
           DATADIR/s3/amts-local/state/<pair>/sync-state.json (the local runner's embedded S3) or
           DATADIR/state/<pair>/sync-state.json; without one, the run is planned as a first run
  --whole-units  send an edited paragraph whole (the workflow's "sentenceLevel": false); by default,
                 as the workflow does, only its changed sentences are counted
  --json   print the plan's report lines and totals as JSON`;

function read(path: string): string {
  return decodeMarkdown(readFileSync(path), path);
}

/**
 * The local sync state: the runner's embedded S3 objects, or plain files; `null` when there is none. A
 * sharded state (an index and one shard per document, lambdas/core/sync/state-index.ts) is put together.
 */
export function readLocalState(data: string, pair: string): { state: SyncState; from: string } | null {
  const candidates = [
    { dir: join(data, 's3', 'amts-local', 'state', pair), suffix: '._S3rver_object' },
    { dir: join(data, 'state', pair), suffix: '' },
  ];
  for (const { dir, suffix } of candidates) {
    const file = join(dir, `sync-state.json${suffix}`);
    if (!existsSync(file)) continue;
    const parsed = parseStateObject(readFileSync(file, 'utf8'), file, pair);
    if (parsed.whole) return { state: parsed.whole, from: file };
    const documents: SyncState['documents'] = {};
    for (const path of Object.keys(parsed.index.documents)) {
      const shard = join(dir, 'documents', `${shardName(path)}${suffix}`);
      if (existsSync(shard)) documents[path] = parseShard(readFileSync(shard, 'utf8'), shard, pair, path);
    }
    return { state: { ...emptySyncState(pair), lastRunId: parsed.index.lastRunId, documents }, from: file };
  }
  return null;
}

function usd(n: number): string {
  return `$${n.toFixed(2)}`;
}

function table(plan: RunPlan): string {
  const rows = plan.report.map((r) => [
    r.path,
    r.status,
    String(r.units.total),
    String(r.units.reused),
    String(r.units.fromReference),
    String(r.units.postEditsKept),
    String(r.units.machineTranslated),
    String(r.charactersSent),
  ]);
  const head = ['document', 'status', 'units', 'reused', 'reference', 'post-edits', 'machine', 'characters'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const command: Command = {
  summary: 'print what a sync run would send to Amazon Translate and what it would cost, without running',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        pair: { type: 'string' },
        book: { type: 'string' },
        data: { type: 'string' },
        json: { type: 'boolean', default: false },
        'whole-units': { type: 'boolean', default: false },
      },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (!values.pair) throw new UsageError('--pair is required (e.g. --pair en-zh)');
    if (!values.book) throw new UsageError('--book is required (the book folder)');
    const pair = splitPairId(values.pair);
    if (!pair) throw new UsageError(`--pair ${values.pair}: expected <src>-<tgt>, e.g. en-zh`);
    const { source: src, target: tgt } = pair;
    const book = values.book;
    const sourceDir = join(book, 'source', src);
    if (!existsSync(sourceDir) || !statSync(sourceDir).isDirectory()) {
      throw new UsageError(`${sourceDir}: no such folder (the book must have source/${src}/**.md)`);
    }
    const referenceDir = join(book, 'reference', tgt);
    const translatedDir = join(book, 'translated', tgt);
    const data = values.data ?? join(book, '.amts');
    const local = readLocalState(data, values.pair);
    const state = local?.state ?? emptySyncState(values.pair);

    const sourcePaths = markdownFiles(sourceDir);
    const referencePaths = new Set(markdownFiles(referenceDir));
    const translatedPaths = markdownFiles(translatedDir);
    const translatedSet = new Set(translatedPaths);
    // The same per-document planning input as the workflow's Plan step (lambdas/plan/handler.ts).
    const documents = sourcePaths.map((path) =>
      planDocumentInput(
        pair,
        {
          path,
          source: read(join(sourceDir, path)),
          translated: translatedSet.has(path) ? read(join(translatedDir, path)) : null,
          reference: referencePaths.has(path) ? read(join(referenceDir, path)) : null,
        },
        {
          files: {
            source: join(sourceDir, path),
            translated: join(translatedDir, path),
            reference: join(referenceDir, path),
          },
        },
      ),
    );
    const act = referencePaths.size > 0;
    const plan = planRun({
      pair: values.pair,
      state,
      documents,
      sourcePaths,
      translatedPaths,
      act,
      sentenceLevel: !values['whole-units'],
    });

    if (values.json) {
      io.out(
        `${JSON.stringify(
          {
            pair: plan.pair,
            dryRun: true,
            state: local?.from ?? null,
            needsJob: plan.needsJob,
            charactersSent: plan.charactersSent,
            estimatedCostUsd: (act ? plan.cost.act : plan.cost.standard).usd,
            cost: plan.cost,
            documents: plan.report,
          },
          null,
          2,
        )}\n`,
      );
      return EXIT.ok;
    }
    io.out(`amts estimate ${values.pair}: ${book}\n`);
    io.out(`sync state: ${local ? local.from : 'none (planned as a first run)'}\n\n`);
    io.out(`${table(plan)}\n\n`);
    for (const r of plan.report) {
      for (const w of r.warnings) io.out(`warning: ${r.path}: ${w}\n`);
      if (r.error) io.out(`not rewritten: ${r.path}: ${r.error}\n`);
    }
    const chars = plan.charactersSent;
    io.out(
      `\ncharacters to send: ${chars} (${plan.machineDocuments.length} document(s)); ` +
        `${plan.needsJob ? 'a translation job would be started' : 'no translation job needed'}\n`,
    );
    io.out(
      `cost: standard ${usd(plan.cost.standard.usd)} ($${plan.cost.standard.usdPerMillionCharacters}/M), ` +
        `ACT ${usd(plan.cost.act.usd)} ($${plan.cost.act.usdPerMillionCharacters}/M)` +
        `${act ? ' — this pair has reference translations, so a run would use ACT' : ''}\n`,
    );
    return EXIT.ok;
  },
};
