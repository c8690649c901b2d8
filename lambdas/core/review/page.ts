/**
 * The review page of a run (`reports/<src>-<tgt>/<runId>.html`): one static HTML file a translator
 * opens from the book folder (or the bucket) to see every unit that needs a human look — what the
 * machine wrote, stale human text beside the new English and the new machine text, fuzzy matches,
 * conflicts with both texts — chapter by chapter, the chapters with the most to review first.
 *
 * One file, no script, nothing loaded from the network (a Content-Security-Policy of `default-src
 * 'none'` says so to the browser), inline CSS, readable on a phone. Every text from the report is
 * HTML-escaped. Pure: the same report always gives the same page.
 */
import {
  type ComparisonSide,
  type DocumentReport,
  type DocumentScores,
  REVIEW_KINDS,
  type ReviewItem,
  type ReviewKind,
  type RunReport,
} from '../report';

/** Languages of the pair, for links to the source files and the `lang` attributes of the texts. */
export interface ReviewPageOptions {
  source: string;
  target: string;
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const esc = escapeHtml;

/** Headings and labels of each kind of review item. */
export const KIND_LABELS: Record<ReviewKind, string> = {
  machine: 'machine-translated',
  stale: 'stale human text',
  fuzzy: 'fuzzy (kept, wording changed)',
  conflict: 'conflict',
  'weak-alignment': 'weak alignment',
};

/**
 * Relative link from `reports/<pair>/<runId>.html` to a line of the English source,
 * `../../source/<src>/<path>#L<line>`. The `#L<n>` fragment is how GitHub, GitLab, Gitea and
 * Bitbucket address a line of a file in a repository view; a browser opening the file from disk
 * opens the file (the fragment is ignored). Each path segment is percent-encoded.
 */
export function sourceLineHref(options: ReviewPageOptions, path: string, line: number): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `../../source/${encodeURIComponent(options.source)}/${encoded}#L${line}`;
}

/** Relative link from the page to the translated file (`../../translated/<tgt>/<path>`). */
export function translatedHref(options: ReviewPageOptions, path: string): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `../../translated/${encodeURIComponent(options.target)}/${encoded}`;
}

function integer(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n);
}

/** Scores as people read them: two decimals (the JSON keeps full precision). */
function score(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(2);
}

function usd(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return `$${n.toFixed(n !== 0 && Math.abs(n) < 0.01 ? 4 : 2)}`;
}

function reviewOf(d: DocumentReport): ReviewItem[] {
  return d.review ?? [];
}

/** Documents ordered for review: most items first, then by path. */
export function reviewOrder(documents: readonly DocumentReport[]): DocumentReport[] {
  return [...documents].sort(
    (a, b) => reviewOf(b).length - reviewOf(a).length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}

/** Items per kind over the whole run. */
export function reviewCounts(report: RunReport): Record<ReviewKind, number> {
  const counts = Object.fromEntries(REVIEW_KINDS.map((k) => [k, 0])) as Record<ReviewKind, number>;
  for (const d of report.documents) for (const item of reviewOf(d)) counts[item.kind]++;
  return counts;
}

/** A stable element id for a document's section. */
function anchorOf(path: string): string {
  return `doc-${path.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`;
}

const STYLE = `
:root{--fg:#1b1b1b;--muted:#5a5a5a;--bg:#fff;--line:#d6d6d6;--en:#f4f6f8;--machine:#fff4d6;--machine-b:#c98a00;
--human:#e3f4e6;--human-b:#2e7d32;--stale:#fde4e1;--stale-b:#c62828;--fuzzy:#fff9c4;--fuzzy-b:#9e8700;
--conflict:#efe3f7;--conflict-b:#7b1fa2;--weak:#e1eefb;--weak-b:#1565c0}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.2rem 0 .5rem;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:2rem 0 .5rem;padding-top:.5rem;border-top:2px solid var(--line);overflow-wrap:anywhere}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
.meta{color:var(--muted);margin:.2rem 0;overflow-wrap:anywhere}
.banner{background:var(--stale);border:1px solid var(--stale-b);padding:.5rem .75rem;border-radius:6px;font-weight:600}
.counts{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0;padding:0;list-style:none}
.counts li{border:1px solid var(--line);border-radius:8px;padding:.4rem .7rem;min-width:7.5rem}
.counts b{display:block;font-size:1.5rem;line-height:1.2}
.counts .total{background:var(--en)}
.k-machine{background:var(--machine);border-color:var(--machine-b)!important}
.k-stale{background:var(--stale);border-color:var(--stale-b)!important}
.k-fuzzy{background:var(--fuzzy);border-color:var(--fuzzy-b)!important}
.k-conflict{background:var(--conflict);border-color:var(--conflict-b)!important}
.k-weak-alignment{background:var(--weak);border-color:var(--weak-b)!important}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0;font-size:.95rem}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
nav ol{padding-left:1.2rem}
nav a,td a{overflow-wrap:anywhere}
.item{border:1px solid var(--line);border-left-width:6px;border-radius:6px;margin:1rem 0;padding:.6rem .75rem;background:#fff}
.item.kind-machine{border-left-color:var(--machine-b)}
.item.kind-stale{border-left-color:var(--stale-b)}
.item.kind-fuzzy{border-left-color:var(--fuzzy-b)}
.item.kind-conflict{border-left-color:var(--conflict-b)}
.item.kind-weak-alignment{border-left-color:var(--weak-b)}
.item-head{display:flex;flex-wrap:wrap;gap:.4rem .75rem;align-items:baseline}
.badge{display:inline-block;border:1px solid;border-radius:999px;padding:0 .55rem;font-size:.85rem;font-weight:600}
.reason{margin:.4rem 0}
.texts{display:grid;grid-template-columns:1fr;gap:.5rem}
@media (min-width:720px){.texts{grid-template-columns:1fr 1fr}.texts.three{grid-template-columns:1fr 1fr 1fr}}
.text{border-radius:4px;padding:.4rem .55rem;border:1px solid var(--line)}
.text h4{margin:0 0 .2rem;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
.text p{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.o-en{background:var(--en)}
.o-machine{background:var(--machine)}
.o-human{background:var(--human)}
.o-old{background:#f1f1f1;color:#444}
.warn{color:#8a4b00}
.none{color:var(--muted)}
footer{color:var(--muted);font-size:.85rem;margin:2rem 0 1rem}
`;

function text(label: string, body: string, origin: string, lang: string): string {
  return `<div class="text o-${origin}"><h4>${esc(label)}</h4><p lang="${esc(lang)}">${esc(body)}</p></div>`;
}

function itemHtml(item: ReviewItem, d: DocumentReport, o: ReviewPageOptions): string {
  const href = sourceLineHref(o, d.path, item.line);
  const en = (label: string, body: string) => text(label, body, 'en', o.source);
  const parts: string[] = [];
  switch (item.kind) {
    case 'stale':
      // The old human text beside the new English and the new machine text.
      parts.push(
        `<div class="texts three">${en('English now', item.source)}${text('Old human text', item.previousHuman ?? '(not recorded)', 'human', o.target)}${text('New machine text', item.translation, 'machine', o.target)}</div>`,
      );
      if (item.previousSource !== undefined) {
        parts.push(
          `<div class="texts">${text('English the human text was written for', item.previousSource, 'old', o.source)}</div>`,
        );
      }
      break;
    case 'fuzzy':
      parts.push(
        `<div class="texts">${en('English now', item.source)}${text('Human text (kept)', item.translation, 'human', o.target)}</div>`,
      );
      if (item.previousSource !== undefined) {
        parts.push(
          `<div class="texts">${text('English the human text was written for', item.previousSource, 'old', o.source)}</div>`,
        );
      }
      break;
    case 'conflict':
      parts.push(
        `<div class="texts three">${en('English', item.source)}${text('Reference (reference/)', item.reference ?? '(not recorded)', 'human', o.target)}${text('Post-edit (translated/)', item.postEdit ?? item.translation, 'human', o.target)}</div>`,
      );
      break;
    case 'weak-alignment':
      parts.push(
        `<div class="texts">${en('English', item.source)}${text('Reference paired with it', item.reference ?? item.translation, 'human', o.target)}</div>`,
      );
      break;
    default: {
      const plain = item.withoutParallelData;
      parts.push(
        plain === undefined
          ? `<div class="texts">${en('English', item.source)}${text('Machine translation', item.translation, 'machine', o.target)}</div>`
          : `<div class="texts three">${en('English', item.source)}${text('With parallel data', item.translation, 'machine', o.target)}${text('Without parallel data', plain, 'machine', o.target)}</div>`,
      );
    }
  }
  return `<article class="item kind-${item.kind}" data-kind="${item.kind}" data-unit="${esc(item.unitId)}">
<div class="item-head"><span class="badge k-${item.kind}">${esc(KIND_LABELS[item.kind])}</span><a href="${esc(href)}">source/${esc(o.source)}/${esc(d.path)}:${item.line}</a><span class="meta">unit ${esc(item.unitId)}</span></div>
<p class="reason">${esc(item.reason)}</p>
${parts.join('\n')}
</article>`;
}

function scoresCell(s: DocumentScores | null | undefined): string {
  return s ? `BLEU ${score(s.bleu)}, chrF ${score(s.chrf)}` : 'no reference';
}

function documentHtml(d: DocumentReport, o: ReviewPageOptions): string {
  const items = reviewOf(d);
  const u = d.units;
  const lines: string[] = [];
  lines.push(
    `<section class="doc" id="${anchorOf(d.path)}" data-path="${esc(d.path)}"><h2>${esc(d.path)} <span class="meta">— ${integer(items.length)} to review</span></h2>`,
  );
  lines.push(
    `<p class="meta">${esc(d.status)}; ${integer(d.charactersSent)} characters sent; units: ${integer(u.total)} total, ${integer(u.reused)} reused, ${integer(u.fromReference)} from reference, ${integer(u.postEditsKept)} post-edits kept, ${integer(u.machineTranslated)} machine-translated${u.stale ? `, ${integer(u.stale)} stale` : ''}${u.fuzzy ? `, ${integer(u.fuzzy)} fuzzy` : ''}${u.conflicts ? `, ${integer(u.conflicts)} conflicts` : ''}; ${esc(scoresCell(d.scores))}${d.scoresWithoutParallelData !== undefined ? ` (without parallel data: ${esc(scoresCell(d.scoresWithoutParallelData))})` : ''}. <a href="${esc(translatedHref(o, d.path))}">translated file</a></p>`,
  );
  if (d.error !== null) lines.push(`<p class="warn"><strong>Error:</strong> ${esc(d.error)}</p>`);
  if (d.warnings.length > 0) {
    lines.push(`<ul class="warn">${d.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  }
  if (items.length === 0) lines.push('<p class="none">Nothing to review in this document.</p>');
  for (const item of items) lines.push(itemHtml(item, d, o));
  lines.push('</section>');
  return lines.join('\n');
}

function comparisonHtml(report: RunReport): string {
  const cmp = report.comparison;
  if (!cmp) return '';
  const row = (label: string, side: ComparisonSide) =>
    `<tr><th>${esc(label)}</th><td><code>${esc(side.jobId)}</code></td><td class="n">${side.charactersSent === undefined ? '–' : integer(side.charactersSent)}</td><td class="n">${score(side.bleu)}</td><td class="n">${score(side.chrf)}</td></tr>`;
  const perDoc = report.documents
    .filter((d) => d.scoresWithoutParallelData !== undefined)
    .map(
      (d) =>
        `<tr><td><a href="#${anchorOf(d.path)}">${esc(d.path)}</a></td><td class="n">${score(d.scores?.bleu)}</td><td class="n">${score(d.scoresWithoutParallelData?.bleu)}</td><td class="n">${score(d.scores?.chrf)}</td><td class="n">${score(d.scoresWithoutParallelData?.chrf)}</td></tr>`,
    )
    .join('');
  return `<section id="comparison"><h3>With and without parallel data</h3>
<p class="meta">${integer(cmp.documents)} document(s) translated by both jobs; ${esc(cmp.note)}. Output without parallel data: <code>${esc(cmp.output)}</code></p>
<div class="table-wrap"><table><thead><tr><th>Translation</th><th>Job</th><th class="n">Characters sent</th><th class="n">BLEU</th><th class="n">chrF</th></tr></thead><tbody>
${row('with parallel data (ACT)', cmp.withParallelData)}
${row('without parallel data', cmp.withoutParallelData)}
</tbody></table></div>
${perDoc ? `<div class="table-wrap"><table><thead><tr><th>Document</th><th class="n">BLEU with</th><th class="n">BLEU without</th><th class="n">chrF with</th><th class="n">chrF without</th></tr></thead><tbody>${perDoc}</tbody></table></div>` : ''}
</section>`;
}

function scoresHtml(report: RunReport): string {
  const scored = report.documents.filter((d) => d.scores);
  if (scored.length === 0) return '';
  const rows = scored
    .map(
      (d) =>
        `<tr><td><a href="#${anchorOf(d.path)}">${esc(d.path)}</a></td><td class="n">${score(d.scores?.bleu)}</td><td class="n">${score(d.scores?.chrf)}</td><td class="n">${integer(d.scores?.pairedUnits ?? 0)}</td></tr>`,
    )
    .join('');
  return `<section id="scores"><h3>Scores against the human reference</h3>
<div class="table-wrap"><table><thead><tr><th>Document</th><th class="n">BLEU</th><th class="n">chrF</th><th class="n">Paired units</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

/** Renders the review page of a run. */
export function renderReviewPage(report: RunReport, options: ReviewPageOptions): string {
  const counts = reviewCounts(report);
  const total = REVIEW_KINDS.reduce((n, k) => n + counts[k], 0);
  const ordered = reviewOrder(report.documents);
  const dry = report.dryRun === true;
  const evaluate = report.mode === 'evaluate';
  const title = `AMTS review ${report.pair} ${report.runId}`;
  const out: string[] = [];
  out.push(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Review: ${esc(report.pair)} run ${esc(report.runId)}</h1>
<p class="meta">Status <strong>${esc(report.status)}</strong>${evaluate ? ' (evaluate)' : ''} · started ${esc(report.startedAt)} · finished ${esc(report.finishedAt)} · job ${report.job ? `<code>${esc(report.job.jobId)}</code> ${esc(report.job.status)}` : 'none'} · ${integer(report.charactersSent)} characters ${dry ? 'would be sent' : 'sent'}, ${esc(usd(report.estimatedCostUsd))}</p>`);
  if (dry) {
    out.push(
      '<p class="banner">DRY RUN: nothing was sent or written to translated/; the figures are what a run would do.</p>',
    );
  }
  if (report.error) {
    out.push(`<p class="banner">${esc(report.error.name)}: ${esc(report.error.message)}</p>`);
  }
  out.push(`<ul class="counts" aria-label="to review">
<li class="total" data-count="total"><b>${integer(total)}</b>to review</li>
${REVIEW_KINDS.map((k) => `<li class="k-${k}" data-count="${k}"><b>${integer(counts[k])}</b>${esc(KIND_LABELS[k])}</li>`).join('\n')}
<li data-count="documents"><b>${integer(report.documents.length)}</b>documents</li>
</ul>`);
  if ((report.warnings?.length ?? 0) > 0) {
    out.push(`<ul class="warn">${(report.warnings ?? []).map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  }
  if (evaluate && report.evaluationOutput) {
    out.push(
      `<p class="meta">Evaluation output (full machine translations): <code>${esc(report.evaluationOutput)}</code></p>`,
    );
  }
  out.push(scoresHtml(report), comparisonHtml(report));
  if (ordered.length > 0) {
    out.push(
      `<nav aria-label="chapters"><h3>Chapters, most to review first</h3><ol>${ordered
        .map(
          (d) =>
            `<li><a href="#${anchorOf(d.path)}">${esc(d.path)}</a> — ${integer(reviewOf(d).length)} to review (${esc(d.status)})</li>`,
        )
        .join('')}</ol></nav>`,
    );
  } else {
    out.push('<p class="none">No documents in this run.</p>');
  }
  for (const d of ordered) out.push(documentHtml(d, options));
  out.push(`<footer>Written by AMTS with the run report <code>${esc(report.runId)}.json</code>. Colours: grey English, amber machine text, green human text (reference or post-edit); the left border shows why a unit is listed. Links to a line (<code>#L&lt;n&gt;</code>) jump to it in a repository view (GitHub, GitLab…); opened from disk they open the file.</footer>
</main>
</body>
</html>
`);
  return out.filter((s) => s !== '').join('\n');
}
