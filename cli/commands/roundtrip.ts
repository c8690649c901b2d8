import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AmtsError } from '../../lambdas/core/errors';
import { decodeMarkdown, mergeTranslationReport, toTranslateHtml } from '../../lambdas/core/markdown';
import { type Command, EXIT, readInputFile, UsageError } from '../io';

/** Files named on the command line; directories are searched for `*.md`. */
function expand(paths: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (p: string) => {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      files.push(p); // reported as missing by readInputFile
      return;
    }
    if (!st.isDirectory()) files.push(p);
    else
      for (const name of readdirSync(p).sort()) {
        const child = join(p, name);
        if (statSync(child).isDirectory() || name.endsWith('.md')) visit(child);
      }
  };
  for (const p of paths) visit(p);
  return files;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const line = a.slice(0, i).split('\n').length;
  return `first difference at line ${line} (offset ${i}): expected ${JSON.stringify(a.slice(i, i + 30))}, got ${JSON.stringify(b.slice(i, i + 30))}`;
}

export const command: Command = {
  summary: 'check that Markdown → HTML → Markdown (identity translation) is byte-identical',
  usage:
    'usage: amts roundtrip FILE.md|DIR...\n\nOne line per file and a summary; exit 0 only if every file round-trips byte for byte.',
  async run(argv, io) {
    const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true });
    if (positionals.length === 0) throw new UsageError('expected at least one Markdown file or directory');
    let identical = 0;
    let failed = 0;
    for (const file of expand(positionals)) {
      try {
        const source = decodeMarkdown(readInputFile(file), file);
        const report = mergeTranslationReport(source, toTranslateHtml(source, { file }), { file });
        if (report.problems.length > 0) {
          failed++;
          io.out(
            `FAIL  ${file}: ${report.problems.length} problem(s), first: ${report.problems[0]?.where} ${report.problems[0]?.detail}\n`,
          );
        } else if (report.markdown !== source) {
          failed++;
          io.out(`DIFF  ${file}: ${firstDifference(source, report.markdown)}\n`);
        } else {
          identical++;
          io.out(`ok    ${file} (${report.unitsTotal} units)\n`);
        }
      } catch (error) {
        if (!(error instanceof AmtsError)) throw error;
        failed++;
        io.out(`ERROR ${file}: ${error.message}\n`);
      }
    }
    io.out(`${identical + failed} file(s): ${identical} identical, ${failed} not\n`);
    return failed === 0 ? EXIT.ok : EXIT.failed;
  },
};
