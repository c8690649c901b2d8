import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toTranslateHtml } from '../../lambdas/core/markdown';
import { toHan } from '../helpers/fake-translator';
import { runCli } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'amts-cli-'));
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const source = 'See `code` and $x$ here.\n';
const md = file('章节 one.md', source);

describe('amts html', () => {
  it('prints the HTML document for a Markdown file (paths with spaces and Chinese are fine)', async () => {
    const r = await runCli('html', md);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(toTranslateHtml(source, { file: md }));
  });

  it.each([
    [[], /expected exactly one Markdown file/],
    [[join(dir, 'missing.md')], /missing\.md: no such file/],
    [[dir], /is a directory/],
  ])('exits 2 with a clear message for bad arguments %#', async (args, message) => {
    const r = await runCli('html', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 1 naming the byte for a non-UTF-8 file', async () => {
    const r = await runCli('html', file('latin1.md', Buffer.from('caf\xe9\n', 'latin1')));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/latin1\.md:1:4: not valid UTF-8/);
  });
});

describe('amts merge', () => {
  it('prints the translated Markdown', async () => {
    const html = file('ok.html', toHan(toTranslateHtml(source)));
    const r = await runCli('merge', md, html);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('译 `code` 译 $x$ 译译.\n');
  });

  it('exits 3, prints nothing and lists the damage on stderr when protected content was altered', async () => {
    const html = file(
      'bad.html',
      toTranslateHtml(source).replace('>$x$<', '>$y$<').replace('>`code`<', '><'),
    );
    const r = await runCli('merge', md, html);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${md}:1:5 [u1] altered-protected: expected \`\`code\`\`, got \`\``);
    expect(r.stderr).toContain(`${md}:1:16 [u1] altered-protected: expected \`$x$\`, got \`$y$\``);
  });
});

describe('amts merge flags math, code and roles that come back as text (exit 3)', () => {
  it('the caption case: math in image alt text is protected, and a translation losing it is flagged', async () => {
    const caption = '![Here the sequences are $A$, $C$, $AB$ and $ABC$.](../img/seq.svg)\n:label:`fig_seq`\n';
    const captionMd = file('caption.md', caption);
    const good = file('caption-ok.html', toHan(toTranslateHtml(caption)));
    const ok = await runCli('merge', captionMd, good);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /^!\[[译 ]+\$A\$, \$C\$, \$AB\$ 译 \$ABC\$\.\]\(\.\.\/img\/seq\.svg\)\n:label:`fig_seq`\n$/,
    );
    // A translator that unwraps the spans returns the math as text: before, this was written `\$A\$`.
    const unwrapped = toTranslateHtml(caption).replace(
      /<span translate="no" id="u1\.p\d+">([^<]*)<\/span>/g,
      '$1',
    );
    const r = await runCli('merge', captionMd, file('caption-bad.html', unwrapped));
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('protected-as-text');
    expect(r.stderr).toContain(`${captionMd}:1:26 [u1] missing-protected: \`$A$\` is missing`);
  });

  it('the escaped-role case: a role returned as text beside its span is flagged, not written `\\``', async () => {
    const prose = 'The attention weights are shown in :numref:`fig_qkv`.\n';
    const proseMd = file('role.md', prose);
    const html = toTranslateHtml(prose).replace(
      /<p id="u1">.*<\/p>/,
      '<p id="u1">注意力权重见:numref:`fig_qkv`，如<span translate="no" id="u1.p1">:numref:`fig_qkv`</span>所示。</p>',
    );
    const r = await runCli('merge', proseMd, file('role-bad.html', html));
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/role\.md:1:1 \[u1\] protected-as-text: .*:numref:`fig_qkv`/);
  });
});

describe('amts roundtrip', () => {
  it('prints one line per file and a summary, exit 0 when all are identical', async () => {
    const r = await runCli('roundtrip', md, file('b.md', '# B\r\n\r\ntext\r\n'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^ok {4}.*章节 one\.md \(1 units\)\nok {4}.*b\.md \(2 units\)\n2 file\(s\): 2 identical, 0 not\n$/,
    );
  });

  it('exits 1 when any file cannot be read or decoded, and still checks the others', async () => {
    const r = await runCli(
      'roundtrip',
      md,
      join(dir, 'nope.md'),
      file('bin.md', Buffer.from([0x89, 0x50, 0x00])),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR .*nope\.md: .*no such file/);
    expect(r.stdout).toMatch(/ERROR .*bin\.md:1:3: NUL byte/);
    expect(r.stdout).toMatch(/3 file\(s\): 1 identical, 2 not/);
  });

  it('walks directories for *.md files', async () => {
    const r = await runCli('roundtrip', join(import.meta.dirname, '../fixtures/codec'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/9 file\(s\): 9 identical, 0 not/);
  });
});
