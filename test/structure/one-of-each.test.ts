/**
 * Rules that keep one implementation of each shared concern (issue 16: copies drift). Each test names
 * the files that break its rule.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, sourceFiles } from './import-graph';

const FILES = sourceFiles(['lambdas', 'local', 'cli', 'infra', 'bench']);
const text = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');
const filesMatching = (pattern: RegExp, except: readonly string[]) =>
  FILES.filter((file) => !except.includes(file) && pattern.test(text(file)));

describe('one implementation of each shared rule', () => {
  it('hashes SHA-256 only in lambdas/core/hash.ts', () => {
    expect(filesMatching(/createHash\(\s*['"]sha256['"]/, ['lambdas/core/hash.ts'])).toEqual([]);
  });

  it('spells the language-code pattern only in lambdas/core/language.ts', () => {
    // A regex that starts like a language code (`[a-z]{2`) anywhere else is a second rule that will drift;
    // an AWS region pattern (`[a-z]{2}(-[a-z]+)+-\d+`, infra/config.ts) is not one.
    expect(filesMatching(/\[a-z\]\{2(,3)?\}(?!\(-\[a-z\]\+\))/, ['lambdas/core/language.ts'])).toEqual([]);
  });

  it('renders and writes run reports (JSON, Markdown, review page) only in lambdas/aws/reports.ts', () => {
    expect(
      filesMatching(/renderReportMarkdown\(|renderReviewPage\(|reportKey\([^)]*,\s*'(md|html)'\)/, [
        'lambdas/aws/reports.ts',
        'lambdas/core/report.ts',
        'lambdas/core/review/page.ts',
      ]),
    ).toEqual([]);
  });
});
