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
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '}', '»', '）', '」', '』', '】', '》', '〉']);
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

function isAbbreviation(masked: string, dot: number): boolean {
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
 * Splits `text` into sentences for language `lang` (BCP-47 code such as `en`, `zh`, `zh-TW`).
 * Every character of the input except the whitespace between sentences is kept, so
 * `splitSentences(t).join(' ')` equals `t` for whitespace-collapsed English text, and
 * `.join('')` equals `t` for Chinese text without spaces between sentences.
 * Empty or blank input gives `[]`.
 */
export function splitSentences(text: string, lang: string): string[] {
  if (text.trim() === '') return [];
  const masked = maskProtected(text);
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
    const next = masked.slice(end);
    const fullWidth = CJK_TERMINATORS.has(ch);
    if (fullWidth) {
      // Full-width terminators end a sentence whatever follows (no space is written after them),
      // except a directive that decorates the sentence (`。 :end_tab:`).
      const after = text.slice(end).trimStart();
      if (after.startsWith(':') && !REFERENCE_ROLE.test(after)) continue;
      cuts.push(end);
      i = end - 1;
      continue;
    }
    const spaced = /^\s/.test(next);
    const rest = text.slice(end).trimStart();
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
  const out: string[] = [];
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    const piece = text.slice(start, cut).trim();
    if (piece !== '') out.push(piece);
    start = cut;
  }
  return out;
}
