import { type RunReport, renderReportMarkdown } from '../core/report';
import { renderReviewPage } from '../core/review/page';
import { type LanguagePair, reportKey } from '../core/workflow/names';
import type { Bucket } from './s3';

/**
 * Writes a run's report: `reports/<pair>/<runId>.json` (for code), its Markdown twin `.md` and the
 * review page `.html` (for people). Returns the JSON key. The JSON is written last: a reader that
 * finds it finds the other two.
 */
export async function writeRunReport(bucket: Bucket, pair: LanguagePair, report: RunReport): Promise<string> {
  await bucket.putText(
    reportKey(pair, report.runId, 'html'),
    renderReviewPage(report, pair),
    'text/html; charset=utf-8',
  );
  await bucket.putText(
    reportKey(pair, report.runId, 'md'),
    renderReportMarkdown(report),
    'text/markdown; charset=utf-8',
  );
  const key = reportKey(pair, report.runId, 'json');
  await bucket.putJson(key, report);
  return key;
}
