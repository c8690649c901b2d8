/**
 * Sentence splitting per language, for segment text as Translate sees it (see `Segment.text`):
 * protected items (inline code, `$math$`, d2lbook roles such as :numref:`sec_a`) are never split.
 *
 * English-like languages split after `.`, `!`, `?` (plus closing quotes/brackets) when the next
 * word starts a sentence, but not after abbreviations (e.g., i.e., Fig., Sec., et al., U.S.),
 * initials, or inside decimals. CJK languages split after full-width `。！？` (and `…`), and after
 * ASCII `!`/`?`; a `.` in CJK text only ends a sentence when it is followed by a CJK character.
 */

/** Lower-cased abbreviations (without the final dot) after which a `.` never ends a sentence. */
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'eg',
  'ie',
  'cf',
  'vs',
  'viz',
  'al',
  'fig',
  'figs',
  'sec',
  'secs',
  'eq',
  'eqs',
  'eqn',
  'eqns',
  'ch',
  'chap',
  'no',
  'nos',
  'vol',
  'pp',
  'p',
  'ref',
  'refs',
  'dr',
  'mr',
  'mrs',
  'ms',
  'prof',
  'st',
  'jr',
  'sr',
  'approx',
  'resp',
  'incl',
  'u.s',
  'u.k',
  'ph.d',
  'a.k.a',
  'w.r.t',
  'n.b',
  'def',
  'thm',
  'lemma',
  'tab',
  'app',
  'appx',
]);

/** Opening characters that may start a sentence besides letters and digits. */
const SENTENCE_START =
  /^[\p{Lu}\p{N}"'“‘([{$`:*_\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const REFERENCE_ROLE = /^:(?:numref|ref|eqref|cite|citet|citep):`/;
const CLOSERS = new Set([
  '"',
  "'",
  '”',
  '’',
  ')',
  ']',
  '}',
  '»',
  '*',
  '_',
  '）',
  '」',
  '』',
  '】',
  '》',
  '〉',
]);
const CJK_TERMINATORS = new Set(['。', '！', '？', '…', '｡']);
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** True for languages written without spaces between sentences (Chinese, Japanese). */
export function isCjkLanguage(lang: string): boolean {
  const base = lang.toLowerCase().split(/[-_]/)[0];
  return base === 'zh' || base === 'ja';
}

/**
 * Masks protected items so that their punctuation cannot end a sentence: inline code (any number
 * of backticks), `$…$`/`$$…$$` math and roles `:name:` followed by a backquoted argument. The mask
 * keeps the length (offsets stay valid) and replaces every character by `x`.
 */
export function maskProtected(text: string): string {
  return text.replace(PROTECTED, (m) => 'x'.repeat(m.length));
}

const PROTECTED = /:[a-z]+:`[^`]*`|(`+)[\s\S]*?\1|\$\$[\s\S]*?\$\$|(?<!\\)\$(?!\s)(?:\\.|[^$\\])+?\$/g;

/** `text` with every protected item replaced by one space. */
export function stripProtected(text: string): string {
  return text.replace(PROTECTED, ' ');
}

/** The word (letters, digits and inner dots) that ends just before `end` in `text`. */
function wordBefore(text: string, end: number): string {
  let i = end;
  while (i > 0 && /[\p{Script=Latin}\p{N}.]/u.test(text[i - 1] ?? '')) i--;
  return text.slice(i, end);
}

/** Whether the `.` at `dot` in `masked` ends an abbreviation (list above), an initial or a dotted acronym. */
export function isAbbreviation(masked: string, dot: number): boolean {
  const word = wordBefore(masked, dot);
  if (word === '') return false;
  const lower = word.toLowerCase().replace(/^\.+/, '');
  if (ABBREVIATIONS.has(lower)) return true;
  // A single letter (an initial: "A. Smola") or a dotted acronym ("U.S.A").
  if (/^\p{Lu}$/u.test(word)) return true;
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return true;
  return false;
}

/**
 * Masks what can hide a sentence end in unit Markdown, keeping the length: what `maskProtected` masks,
 * plus backslash escapes, whole links and images (`[a. B](u)`) and an unclosed backtick run (to the end).
 */
export function maskMarkdown(md: string): string {
  const out: string[] = [];
  let i = 0;
  let from = 0;
  const mask = (end: number) => {
    out.push(md.slice(from, i), 'x'.repeat(end - i));
    i = end;
    from = end;
  };
  while (i < md.length) {
    const c = md[i];
    if (c === '\\') mask(Math.min(i + 2, md.length));
    else if (c === '`') {
      const run = /^`+/.exec(md.slice(i, i + 64))?.[0] ?? '`';
      const end = md.indexOf(run, i + run.length);
      mask(end < 0 ? md.length : end + run.length);
    } else if (c === '$') {
      const fence = md.startsWith('$$', i) ? '$$' : '$';
      const end = md.indexOf(fence, i + fence.length);
      if (end < 0) i++;
      else mask(end + fence.length);
    } else if (c === '[' || (c === '!' && md[i + 1] === '[')) {
      const link = /^!?\[[^\]\n]*\]\([^)\n]*\)/.exec(md.slice(i, i + 2000));
      if (link) mask(i + link[0].length);
      else i++;
    } else i++;
  }
  out.push(md.slice(from));
  return out.join('');
}

/**
 * Where sentences end in `text`: offsets just after terminal punctuation and its closing quotes or
 * brackets. `masked` is `text` with protected items masked (same length). The one sentence-boundary
 * rule of the code base: align (segment text) and sync (unit Markdown) both cut here.
 */
export function sentenceEnds(text: string, masked: string, lang: string): number[] {
  const cjk = isCjkLanguage(lang);
  const cuts: number[] = [];
  for (let i = 0; i < masked.length; i++) {
    const ch = masked[i] as string;
    let end = -1;
    if (CJK_TERMINATORS.has(ch)) {
      end = i + 1;
      while (end < masked.length && (CJK_TERMINATORS.has(masked[end] as string) || masked[end] === '.'))
        end++;
    } else if (ch === '!' || ch === '?' || ch === '.') {
      end = i + 1;
      while (end < masked.length && (masked[end] === '!' || masked[end] === '?' || masked[end] === '.'))
        end++;
    } else {
      continue;
    }
    while (end < masked.length && CLOSERS.has(masked[end] as string)) end++;
    if (end >= masked.length) break;
    const next = masked.slice(end, end + 1);
    const fullWidth = CJK_TERMINATORS.has(ch);
    if (fullWidth) {
      // Full-width terminators end a sentence whatever follows (no space is written after them),
      // except a directive that decorates the sentence (`。 :end_tab:`).
      const after = text.slice(end, end + 64).trimStart();
      if (after.startsWith(':') && !REFERENCE_ROLE.test(after)) continue;
      cuts.push(end);
      i = end - 1;
      continue;
    }
    const spaced = /^\s/.test(next);
    const rest = text.slice(end, end + 256).trimStart();
    if (cjk) {
      // ASCII punctuation inside CJK text: `!`/`?` followed by a space or CJK, `.` followed by CJK.
      const startsCjk = CJK_CHAR.test(rest[0] ?? '');
      const dotEnds =
        ch === '.' && startsCjk && !/\d/.test(masked[i - 1] ?? '') && !isAbbreviation(masked, i);
      if (dotEnds || (ch !== '.' && (spaced || startsCjk))) {
        cuts.push(end);
        i = end - 1;
      }
      continue;
    }
    if (!spaced || !SENTENCE_START.test(rest)) continue;
    // Directives (`:label:`, `:width:`, `:end_tab:` …) decorate what precedes them; only reference
    // roles (:numref:, :cite: …) can start a sentence.
    if (rest.startsWith(':') && !REFERENCE_ROLE.test(rest)) continue;
    if (ch === '.' && end === i + 1 && isAbbreviation(masked, i)) continue;
    cuts.push(end);
    i = end - 1;
  }
  return cuts;
}

/**
 * Splits `text` into sentences for language `lang` (BCP-47 code such as `en`, `zh`, `zh-TW`).
 * Every character of the input except the whitespace between sentences is kept, so
 * `splitSentences(t).join(' ')` equals `t` for whitespace-collapsed English text, and
 * `.join('')` equals `t` for Chinese text without spaces between sentences.
 * Empty or blank input gives `[]`.
 */
export function splitSentences(text: string, lang: string): string[] {
  if (text.trim() === '') return [];
  const out: string[] = [];
  let start = 0;
  for (const cut of [...sentenceEnds(text, maskProtected(text), lang), text.length]) {
    const piece = text.slice(start, cut).trim();
    if (piece !== '') out.push(piece);
    start = cut;
  }
  return out;
}

/**
 * Splits unit Markdown into sentences with the same rule as `splitSentences` (code spans, math,
 * escapes and links are never split). Each piece keeps the whitespace after it, so the pieces
 * concatenate to the input; input without a sentence end gives `[md]` (also for `''`).
 */
export function splitMarkdownSentences(md: string, lang: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const end of sentenceEnds(md, maskMarkdown(md), lang)) {
    let k = end;
    while (k < md.length && /\s/.test(md[k] as string)) k++;
    if (k > from && k < md.length) {
      out.push(md.slice(from, k));
      from = k;
    }
  }
  out.push(md.slice(from));
  return out;
}
