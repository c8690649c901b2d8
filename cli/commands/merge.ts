import { parseArgs } from 'node:util';
import { decodeMarkdown, mergeTranslationReport } from '../../lambdas/core/markdown';
import { type Command, EXIT, readInputFile, UsageError } from '../io';

export const command: Command = {
  summary: 'merge a translated HTML document back into its Markdown source',
  usage: [
    'usage: amts merge FILE.md TRANSLATED.html',
    '',
    'Prints the translated Markdown. If protected content (code, math, roles, URLs) is missing,',
    'duplicated or altered, or a unit is missing, prints nothing on stdout, lists every problem',
    '(file:line:column, what) on stderr and exits 3.',
  ].join('\n'),
  async run(argv, io) {
    const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true });
    if (positionals.length !== 2) throw new UsageError('expected a Markdown file and a translated HTML file');
    const [mdFile, htmlFile] = positionals as [string, string];
    const markdown = decodeMarkdown(readInputFile(mdFile), mdFile);
    const html = decodeMarkdown(readInputFile(htmlFile), htmlFile);
    const report = mergeTranslationReport(markdown, html, { file: mdFile });
    if (report.problems.length > 0) {
      io.err(
        `${mdFile}: the translation in ${htmlFile} damaged ${report.problems.length} item(s); nothing written:\n`,
      );
      for (const p of report.problems) io.err(`  ${p.where} [${p.unitId}] ${p.kind}: ${p.detail}\n`);
      return EXIT.damaged;
    }
    io.out(report.markdown);
    return EXIT.ok;
  },
};
