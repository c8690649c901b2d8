import { parseArgs } from 'node:util';
import { decodeMarkdown, toTranslateHtml } from '../../lambdas/core/markdown';
import { type Command, EXIT, readInputFile, UsageError } from '../io';

export const command: Command = {
  summary: 'print the HTML document Amazon Translate would translate for a Markdown file',
  usage:
    'usage: amts html [--lang en] FILE.md\n\nPrints the HTML (one block element per translatable unit, protected content in translate="no").',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { lang: { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one Markdown file');
    const file = positionals[0] as string;
    const markdown = decodeMarkdown(readInputFile(file), file);
    io.out(toTranslateHtml(markdown, { file, lang: values.lang ?? 'en' }));
    return EXIT.ok;
  },
};
