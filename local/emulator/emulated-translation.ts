/**
 * What the offline Translate emulator does to a document. It cannot translate, so it is honest:
 * every sentence whose text exactly matches a source sentence of the imported parallel data is
 * replaced by the human target of that pair; everything else is returned unchanged and wrapped in
 * `<span class="amts-untranslated">…</span>` (an element without an id, which the codec treats as
 * transparent, so the merged Markdown simply keeps the English). Content of `translate="no"`
 * elements is never touched, as Amazon Translate documents.
 */
import type { HtmlTranslator } from './apertium';
import { decodeEntities, escapeText, type HtmlToken, tokenizeHtml } from './html-tokenizer';

/** Class of the marker element around text the emulator could not translate. */
export const UNTRANSLATED_CLASS = 'amts-untranslated';

/** Source sentence (whitespace-normalised) → human target, as imported from parallel data. */
export type TranslationMemory = ReadonlyMap<string, string>;

export interface TranslationStats {
  /** Characters of translatable text (outside `translate="no"`), what Translate would bill. */
  characters: number;
  /** Sentences seen in translatable text. */
  sentences: number;
  /** Sentences replaced from the parallel data. */
  sentencesFromParallelData: number;
  /** Sentences returned untranslated (marked). */
  sentencesUntranslated: number;
  /** Sentences translated by the local machine translator (Apertium), when there is one. */
  sentencesMachineTranslated: number;
  /** Characters of text sent to the local machine translator. */
  charactersMachineTranslated: number;
}

/** Zeroed statistics. */
export function emptyStats(): TranslationStats {
  return {
    characters: 0,
    sentences: 0,
    sentencesFromParallelData: 0,
    sentencesUntranslated: 0,
    sentencesMachineTranslated: 0,
    charactersMachineTranslated: 0,
  };
}

/**
 * Runs without any parallel-data match, kept for the machine translator: each fragment is the run's
 * HTML with every `translate="no"` element replaced by an empty placeholder `<amts-x id="N"></amts-x>`
 * (Apertium would translate inside the span: `$\mathbf{x}$` → `$</span>\<span…>*mathbf…`).
 */
interface Deferred {
  fragments: string[];
  /** Raw HTML of the protected elements of each fragment, by placeholder number. */
  atoms: string[][];
  /** The fragment as the emulator returns it without a translator (marked untranslated). */
  fallback: string[];
  sentences: number[];
  characters: number[];
}

/** Stands for deferred fragment `k` in the document until the translator's output is filled in. */
const SLOT = /\uE001(\d+)\uE002/g;

/** Collapses whitespace the way the matching compares sentences. */
export function normalizeSentence(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

const BLOCK = new Set([
  'html',
  'head',
  'body',
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'ul',
  'ol',
  'td',
  'th',
  'tr',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'caption',
  'figcaption',
  'figure',
  'blockquote',
  'pre',
  'dl',
  'dt',
  'dd',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'nav',
  'aside',
]);
const SKIPPED = new Set(['head', 'script', 'style', 'title']);

/** Private-use character standing for one protected element while sentences are split. */
const ATOM = '\uE000';

const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'etc',
  'vs',
  'cf',
  'al',
  'fig',
  'figs',
  'sec',
  'eq',
  'eqs',
  'no',
  'dr',
  'mr',
  'mrs',
  'ms',
  'prof',
  'ch',
  'st',
  'approx',
  'resp',
  'viz',
]);

/**
 * Sentence boundaries (end offsets) of `text`: after `.!?` followed by space and a capital, digit,
 * quote or protected element (not after a known abbreviation or an initial), and after CJK `。！？`.
 */
export function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if ('。！？'.includes(c)) {
      let j = i + 1;
      while (j < text.length && '”’」』）)"\''.includes(text[j] ?? '')) j++;
      if (j < text.length) ends.push(j);
      i = j - 1;
      continue;
    }
    if (!'.!?'.includes(c)) continue;
    let j = i + 1;
    while (j < text.length && '"\'”’)]'.includes(text[j] ?? '')) j++;
    if (j >= text.length || !/\s/.test(text[j] ?? '')) continue;
    let k = j;
    while (k < text.length && /\s/.test(text[k] ?? '')) k++;
    const next = text[k] ?? '';
    if (!/[\p{Lu}\p{N}"'“‘([\uE000\p{Script=Han}]/u.test(next)) continue;
    if (c === '.') {
      const word = /([\p{L}.]+)$/u.exec(text.slice(Math.max(0, i - 12), i))?.[1] ?? '';
      if (ABBREVIATIONS.has(word.toLowerCase()) || /^\p{Lu}$/u.test(word)) continue;
    }
    ends.push(j);
  }
  return ends;
}

type Item =
  | { kind: 'text'; token: HtmlToken & { type: 'text' }; from: number; to: number }
  | { kind: 'atom'; raw: string; literal: string; at: number }
  | { kind: 'tag'; raw: string; at: number };

interface Sentence {
  from: number;
  to: number;
  replacement?: string;
}

/** Translates one HTML document against the memory; see the module comment for the rules. */
export function emulateHtmlTranslation(
  html: string,
  memory: TranslationMemory,
): { html: string; stats: TranslationStats } {
  return emulate(html, memory);
}

/**
 * As {@link emulateHtmlTranslation}, then the runs no parallel-data sentence matched are translated by
 * `translator` in ONE call for the whole document. The protected elements are taken out before and put
 * back after, exactly as they were; a fragment whose placeholders do not come back exactly once each
 * stays untranslated (marked), as without a translator.
 */
export async function emulateHtmlTranslationWith(
  html: string,
  memory: TranslationMemory,
  translator: HtmlTranslator | null,
): Promise<{ html: string; stats: TranslationStats }> {
  const [one] = await emulateHtmlTranslationsWith([html], memory, translator);
  return one as { html: string; stats: TranslationStats };
}

/**
 * As {@link emulateHtmlTranslationWith} for several documents (a job's) with ONE translator call for all
 * of them: a translator process costs far more to start than its text (Apertium: ~3 s per process).
 * Each fragment travels in its own wrapper, so the documents need no separator of their own.
 */
export async function emulateHtmlTranslationsWith(
  htmls: readonly string[],
  memory: TranslationMemory,
  translator: HtmlTranslator | null,
): Promise<{ html: string; stats: TranslationStats }[]> {
  if (!translator) return htmls.map((html) => emulate(html, memory));
  const prepared = htmls.map((html) => {
    const deferred: Deferred = { fragments: [], atoms: [], fallback: [], sentences: [], characters: [] };
    return { deferred, ...emulate(html, memory, deferred) };
  });
  const all = prepared.flatMap((p) => p.deferred.fragments);
  let translated: readonly (string | undefined)[] = [];
  if (all.length > 0) {
    try {
      translated = await translator.translate(all);
    } catch {
      // The engine failed (killed, broken install): the documents come back as without it.
      translated = [];
    }
  }
  let offset = 0;
  return prepared.map(({ html: template, stats, deferred }) => {
    const base = offset;
    offset += deferred.fragments.length;
    const html = template.replace(SLOT, (_m, k: string) => {
      const i = Number(k);
      const fragment = translated[base + i];
      const restored = fragment === undefined ? undefined : restoreAtoms(fragment, deferred.atoms[i] ?? []);
      if (restored === undefined) return deferred.fallback[i] ?? '';
      stats.sentencesUntranslated -= deferred.sentences[i] ?? 0;
      stats.sentencesMachineTranslated += deferred.sentences[i] ?? 0;
      stats.charactersMachineTranslated += deferred.characters[i] ?? 0;
      return restored;
    });
    return { html, stats };
  });
}

/** Puts each protected element back in place of its placeholder; undefined unless each is there once. */
export function restoreAtoms(fragment: string, atoms: readonly string[]): string | undefined {
  const seen = new Array<number>(atoms.length).fill(0);
  let bad = false;
  const out = fragment.replace(/<amts-x id="(\d+)"\s*(?:\/>|><\/amts-x>)/g, (_m, n: string) => {
    const i = Number(n);
    if (i >= atoms.length) {
      bad = true;
      return '';
    }
    seen[i] = (seen[i] ?? 0) + 1;
    return atoms[i] as string;
  });
  if (bad || seen.some((c) => c !== 1) || /<\/?amts-x\b/.test(out)) return undefined;
  return out;
}

function emulate(
  html: string,
  memory: TranslationMemory,
  deferred?: Deferred,
): { html: string; stats: TranslationStats } {
  const stats = emptyStats();
  const tokens = tokenizeHtml(html);
  const out: string[] = [];
  let run: HtmlToken[] = [];
  // Elements whose content is left alone: translate="no" and skipped (head, script…) ancestors.
  const frozen: string[] = [];
  const flush = () => {
    if (run.length) out.push(translateRun(run, memory, stats, deferred));
    run = [];
  };
  for (const t of tokens) {
    if (frozen.length) {
      out.push(t.raw);
      if (t.type === 'start' && !t.selfClosing && t.name === frozen[frozen.length - 1]) frozen.push(t.name);
      else if (t.type === 'end' && t.name === frozen[frozen.length - 1]) frozen.pop();
      continue;
    }
    const isBlock = (t.type === 'start' || t.type === 'end') && BLOCK.has(t.name);
    const freezes =
      t.type === 'start' &&
      !t.selfClosing &&
      (SKIPPED.has(t.name) || (BLOCK.has(t.name) && t.attrs.translate === 'no'));
    if (isBlock || freezes) {
      flush();
      out.push(t.raw);
      if (freezes && t.type === 'start') frozen.push(t.name);
      continue;
    }
    run.push(t);
  }
  flush();
  return { html: out.join(''), stats };
}

/** One run of inline content between block boundaries. */
function translateRun(
  run: HtmlToken[],
  memory: TranslationMemory,
  stats: TranslationStats,
  deferred?: Deferred,
): string {
  const items: Item[] = [];
  let plain = '';
  for (let i = 0; i < run.length; i++) {
    const t = run[i] as HtmlToken;
    if (t.type === 'text') {
      items.push({ kind: 'text', token: t, from: plain.length, to: plain.length + t.text.length });
      plain += t.text;
    } else if (t.type === 'start' && !t.selfClosing && t.attrs.translate === 'no') {
      // Collect the whole protected element (nested same-name elements included).
      let depth = 0;
      let raw = '';
      let literal = '';
      let j = i;
      for (; j < run.length; j++) {
        const u = run[j] as HtmlToken;
        raw += u.raw;
        if (u.type === 'text') literal += u.text;
        if (u.type === 'start' && !u.selfClosing && u.name === t.name) depth++;
        if (u.type === 'end' && u.name === t.name && --depth === 0) break;
      }
      items.push({ kind: 'atom', raw, literal, at: plain.length });
      plain += ATOM;
      i = j;
    } else {
      items.push({ kind: 'tag', raw: t.raw, at: plain.length });
      if (t.type === 'start' && t.name === 'br') {
        items.push({
          kind: 'text',
          token: { type: 'text', raw: '', text: ' ' },
          from: plain.length,
          to: plain.length + 1,
        });
        plain += ' ';
      }
    }
  }
  const atoms = items.filter((it): it is Item & { kind: 'atom' } => it.kind === 'atom');
  stats.characters += items.reduce((n, it) => (it.kind === 'text' ? n + it.token.text.length : n), 0);
  if (!plain.replace(new RegExp(ATOM, 'g'), '').trim()) return run.map((t) => t.raw).join('');

  // Sentences as trimmed [from, to) ranges of `plain`.
  const sentences: Sentence[] = [];
  let start = 0;
  for (const end of [...sentenceEnds(plain), plain.length]) {
    const from = start + (plain.slice(start, end).length - plain.slice(start, end).trimStart().length);
    const to = end - (plain.slice(start, end).length - plain.slice(start, end).trimEnd().length);
    if (to > from) sentences.push({ from, to });
    start = end;
  }
  const literalOf = (from: number, to: number): string => {
    let s = '';
    for (let p = from; p < to; p++) {
      const c = plain[p] ?? '';
      s += c === ATOM ? (atoms.find((a) => a.at === p)?.literal ?? '') : c;
    }
    return normalizeSentence(s);
  };
  const replaceable = (from: number, to: number) =>
    !items.some((it) => it.kind === 'tag' && it.at > from && it.at < to);

  // Greedy: from each sentence, the longest run of sentences whose joined text is in the memory.
  const merged: Sentence[] = [];
  for (let i = 0; i < sentences.length; ) {
    let matched = false;
    for (let j = sentences.length - 1; j >= i; j--) {
      const from = (sentences[i] as Sentence).from;
      const to = (sentences[j] as Sentence).to;
      const target = memory.get(literalOf(from, to));
      if (target === undefined || !replaceable(from, to)) continue;
      const replacement = withAtoms(
        target,
        atoms.filter((a) => a.at >= from && a.at < to),
      );
      if (replacement === undefined) continue;
      merged.push({ from, to, replacement });
      stats.sentences += j - i + 1;
      stats.sentencesFromParallelData += j - i + 1;
      i = j + 1;
      matched = true;
      break;
    }
    if (!matched) {
      merged.push(sentences[i] as Sentence);
      stats.sentences++;
      stats.sentencesUntranslated++;
      i++;
    }
  }
  const replaced = merged.filter((s) => s.replacement !== undefined);
  if (replaced.length === 0) return deferred ? defer(items, merged.length, deferred) : markAll(items);

  const out: string[] = [];
  const inReplaced = (p: number) => replaced.find((s) => p >= s.from && p < s.to);
  const emitted = new Set<Sentence>();
  for (const it of items) {
    if (it.kind === 'tag') {
      out.push(it.raw);
      continue;
    }
    if (it.kind === 'atom') {
      const s = inReplaced(it.at);
      if (!s) out.push(it.raw);
      else if (!emitted.has(s)) {
        emitted.add(s);
        out.push(s.replacement ?? '');
      }
      continue;
    }
    // Text: split at replaced-sentence edges.
    let p = it.from;
    while (p < it.to) {
      const s = inReplaced(p);
      if (s) {
        if (!emitted.has(s)) {
          emitted.add(s);
          out.push(s.replacement ?? '');
        }
        p = Math.min(s.to, it.to);
        continue;
      }
      const nextStart = Math.min(it.to, ...replaced.filter((r) => r.from > p).map((r) => r.from));
      const piece = it.token.text.slice(p - it.from, nextStart - it.from);
      out.push(
        p === it.from && nextStart === it.to ? mark(it.token.raw, piece) : mark(escapeText(piece), piece),
      );
      p = nextStart;
    }
  }
  return out.join('');
}

/** Wraps non-blank text in the marker, leaving its outer whitespace outside. */
function mark(raw: string, text: string): string {
  if (!text.trim()) return raw;
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(raw) as RegExpExecArray;
  return `${m[1]}<span class="${UNTRANSLATED_CLASS}">${m[2]}</span>${m[3]}`;
}

/** Keeps a run without any parallel-data match for the machine translator; returns its slot. */
function defer(items: Item[], sentences: number, d: Deferred): string {
  const atoms: string[] = [];
  let html = '';
  let characters = 0;
  for (const it of items) {
    if (it.kind === 'text') {
      html += it.token.raw;
      characters += it.token.text.length;
    } else if (it.kind === 'atom') {
      html += `<amts-x id="${atoms.length}"></amts-x>`;
      atoms.push(it.raw);
    } else html += it.raw;
  }
  // Outer whitespace stays outside the fragment (Apertium may trim it).
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(html) as RegExpExecArray;
  d.fragments.push(m[2] as string);
  d.atoms.push(atoms);
  d.fallback.push(markAll(items));
  d.sentences.push(sentences);
  d.characters.push(characters);
  return `${m[1]}\uE001${d.fragments.length - 1}\uE002${m[3]}`;
}

function markAll(items: Item[]): string {
  return items.map((it) => (it.kind === 'text' ? mark(it.token.raw, it.token.text) : it.raw)).join('');
}

/**
 * The target text as HTML with each protected element put back where its literal text occurs
 * (Translate keeps protected spans but may move them). Undefined when a literal is missing.
 */
function withAtoms(target: string, atoms: readonly { raw: string; literal: string }[]): string | undefined {
  const slots: { at: number; len: number; raw: string }[] = [];
  for (const a of atoms) {
    if (!a.literal) return undefined;
    let at = target.indexOf(a.literal);
    while (at >= 0 && slots.some((s) => at < s.at + s.len && s.at < at + a.literal.length)) {
      at = target.indexOf(a.literal, at + 1);
    }
    if (at < 0) return undefined;
    slots.push({ at, len: a.literal.length, raw: a.raw });
  }
  slots.sort((x, y) => x.at - y.at);
  let html = '';
  let p = 0;
  for (const s of slots) {
    html += escapeText(target.slice(p, s.at)) + s.raw;
    p = s.at + s.len;
  }
  return html + escapeText(target.slice(p));
}

/** Plain-text documents (ContentType text/plain): line by line, sentences replaced, no marker. */
export function emulatePlainTranslation(
  text: string,
  memory: TranslationMemory,
): { text: string; stats: TranslationStats } {
  const stats: TranslationStats = { ...emptyStats(), characters: text.length };
  const lines = text.split('\n').map((line) => {
    const whole = memory.get(normalizeSentence(line));
    if (whole !== undefined && line.trim()) {
      stats.sentences++;
      stats.sentencesFromParallelData++;
      return whole;
    }
    let out = '';
    let start = 0;
    for (const end of [...sentenceEnds(line), line.length]) {
      const piece = line.slice(start, end);
      if (piece.trim()) {
        stats.sentences++;
        const hit = memory.get(normalizeSentence(piece));
        if (hit !== undefined) stats.sentencesFromParallelData++;
        else stats.sentencesUntranslated++;
        out += hit === undefined ? piece : piece.replace(piece.trim(), hit);
      } else out += piece;
      start = end;
    }
    return out;
  });
  return { text: lines.join('\n'), stats };
}

export { decodeEntities };
