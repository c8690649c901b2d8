/**
 * Translated HTML → Markdown. Every unit's Markdown is rebuilt from the translated text and the
 * ORIGINAL source of its protected items and markup (the translation only decides their order), then
 * spliced into the source at the unit's offsets. Anything missing, duplicated or altered is reported
 * with file:line:column; a caller never gets a damaged document that looks fine.
 */
import { InvalidInputError, type MergeProblem, ProtectedContentError } from '../errors';
import { parseDocument } from './parse';
import { normalizeWhitespace, pointAt, withLineEnding } from './text';
import { type HtmlElement, type HtmlNode, parseHtml, textContent, unitElements } from './translated-html';
import type { CodecDocument, Piece, ProtectedPiece, Unit, WrapperPiece } from './units';

export interface TranslatedUnit {
  /** The unit's new Markdown (replaces the source slice of the unit). */
  markdown: string;
  /** Problems with this unit's protected content; empty when the unit is intact. */
  problems: MergeProblem[];
}

export interface MergeReport {
  /** The merged document (damaged units are merged as well as possible; check `problems`). */
  markdown: string;
  problems: MergeProblem[];
  /** Units found in the translation / units in the source. */
  unitsTranslated: number;
  unitsTotal: number;
}

interface Options {
  file?: string;
}

const LINE_PREFIX_ONLY = /(?:^|\n)[ \t>]*$/;

/** Math (`$…$`) and inline code or role (`` `…` ``) written as plain text. */
const MARKUP_IN_TEXT = /\$[^$\s][^$]*\$|`[^`]+`/g;

/** How many math or inline-code shapes a text holds (a lone `$` or backtick is not one). */
function markupChars(text: string): number {
  return text.includes('$') || text.includes('`') ? (text.match(MARKUP_IN_TEXT)?.length ?? 0) : 0;
}

/** A link or an image: neither may end up inside another. */
function isLinkLike(piece: WrapperPiece): boolean {
  return piece.tag === 'a' || piece.open.startsWith('![');
}

function holdsLink(piece: WrapperPiece): boolean {
  return isLinkLike(piece) || piece.children.some((c) => c.type === 'wrapper' && holdsLink(c));
}

function squash(s: string): string {
  return s.replace(/[ \t\r\n]+/g, ' ').trim();
}

class UnitRenderer {
  out = '';
  problems: MergeProblem[] = [];
  private pending: string | null = null;
  private readonly seen = new Map<string, number>();
  private readonly byId = new Map<string, ProtectedPiece | WrapperPiece>();
  /** Math or code shapes (`$…$`, `` `…` ``) in the source unit's text, outside protected items. */
  private readonly sourceMarkup: number;
  /** Translated text holding math or code shapes. */
  private readonly markupText: string[] = [];
  private translatedMarkup = 0;

  constructor(
    private readonly doc: CodecDocument,
    private readonly unit: Unit,
  ) {
    const index = (pieces: readonly Piece[]) => {
      for (const p of pieces) {
        if (p.type !== 'text') this.byId.set(p.id, p);
        if (p.type === 'wrapper') index(p.children);
      }
    };
    index(unit.pieces);
    const count = (pieces: readonly Piece[]): number =>
      pieces.reduce(
        (n, p) =>
          n + (p.type === 'text' ? markupChars(p.norm) : p.type === 'wrapper' ? count(p.children) : 0),
        0,
      );
    this.sourceMarkup = count(unit.pieces);
  }

  where(offset: number): string {
    const pt = pointAt(this.doc.lineStarts, offset);
    return `${this.doc.file}:${pt.line}:${pt.column}`;
  }

  render(el: HtmlElement): TranslatedUnit {
    this.level(this.unit.pieces, el.children);
    // Math and code in the source are protected items, never text. The same shapes in the translated text
    // mean math, code or a role came back as text (a parallel-data sentence holding it, a translator
    // unwrapping a span). Written as it is, it would be escaped (`\$2\$`) and silently broken: it is a
    // problem like a missing item.
    if (this.translatedMarkup > this.sourceMarkup) {
      this.problem(
        this.unit.start,
        'protected-as-text',
        `the translated text holds ${this.translatedMarkup - this.sourceMarkup} more math or code item(s) (\`$…$\`, \`\`…\`\`) than the source text, as text that would be written escaped: «${squash(this.markupText.join(' … ')).slice(0, 200)}»`,
      );
    }
    for (const [id, piece] of this.byId) {
      const count = this.seen.get(id) ?? 0;
      const what =
        piece.type === 'protected' ? `\`${piece.src}\`` : `markup \`${piece.open}…${piece.close}\``;
      if (count === 0)
        this.problem(piece.start, 'missing-protected', `${what} is missing from the translation`);
      else if (count > 1)
        this.problem(piece.start, 'duplicated-protected', `${what} appears ${count} times, expected once`);
    }
    return { markdown: this.out, problems: this.problems };
  }

  private problem(offset: number, kind: MergeProblem['kind'], detail: string): void {
    this.problems.push({ where: this.where(offset), unitId: this.unit.id, kind, detail });
  }

  /** Flattens transparent elements (no id, not translate="no") and joins adjacent text. */
  private flatten(nodes: readonly HtmlNode[]): HtmlNode[] {
    const flat: HtmlNode[] = [];
    const push = (n: HtmlNode) => {
      if (typeof n === 'string') {
        if (n === '') return;
        const last = flat[flat.length - 1];
        if (typeof last === 'string') flat[flat.length - 1] = last + n;
        else flat.push(n);
      } else if (n.attrs.id && this.byId.has(n.attrs.id)) flat.push(n);
      else if (n.attrs.translate === 'no') flat.push(n);
      else if (n.tag === 'br') push(' ');
      else for (const c of n.children) push(c);
    };
    for (const n of nodes) push(n);
    return flat;
  }

  /**
   * A translator that reorders words may split one inline element into several with the same id:
   * Apertium turns `<em id="w1">processor cores</em>` into `<em id="w1">núcleos</em> de <em
   * id="w1">procesador</em>`. Siblings carrying the same WRAPPER id (emphasis, strong, link, slide
   * marker) become one element from the first to the last, holding what lies between: the markup then
   * covers the whole translated phrase (`*núcleos de procesador*`), which is what the source meant.
   * Never joined: a protected item seen twice (that stays a `duplicated-protected` problem), a link
   * or image around another link or image, or across a directive that must keep its own line.
   */
  private coalesce(flat: HtmlNode[]): HtmlNode[] {
    const idOf = (n: HtmlNode | undefined) =>
      n !== undefined && typeof n !== 'string' ? (n.attrs.id ?? '') : '';
    for (let i = 0; i < flat.length; i++) {
      const piece = this.byId.get(idOf(flat[i]));
      if (piece?.type !== 'wrapper') continue;
      let j = flat.length - 1;
      while (j > i && idOf(flat[j]) !== piece.id) j--;
      if (j === i) continue;
      const span = flat.slice(i, j + 1);
      const blocked = span.some((n) => {
        const other = this.byId.get(idOf(n));
        if (other === undefined || other.id === piece.id) return false;
        if (other.type === 'protected') return other.lineStart || other.lineEnd;
        return isLinkLike(piece) && holdsLink(other);
      });
      if (blocked) continue;
      const first = flat[i] as HtmlElement;
      const children = span.flatMap((n) => (idOf(n) === piece.id ? (n as HtmlElement).children : [n]));
      flat.splice(i, j - i + 1, { ...first, children });
    }
    return flat;
  }

  private level(source: readonly Piece[], nodes: readonly HtmlNode[]): void {
    const flat = this.coalesce(this.flatten(nodes));
    flat.forEach((node, i) => {
      if (typeof node === 'string') {
        const marks = markupChars(node);
        if (marks > 0) {
          this.translatedMarkup += marks;
          this.markupText.push(node);
        }
        const src = source[i];
        if (src?.type === 'text' && normalizeWhitespace(node) === src.norm) {
          this.emit(this.doc.text.slice(src.start, src.end), true);
        } else {
          this.emit(this.formatText(node), false);
        }
        return;
      }
      const piece = this.resolve(node);
      if (!piece) {
        this.problem(
          this.unit.start,
          'unknown-protected',
          `a protected span «${squash(textContent(node))}» (translated HTML line ${node.line}) matches nothing in the source unit`,
        );
        return;
      }
      this.seen.set(piece.id, (this.seen.get(piece.id) ?? 0) + 1);
      if (piece.type === 'protected') {
        const got = squash(textContent(node));
        if (got !== squash(piece.src)) {
          this.problem(piece.start, 'altered-protected', `expected \`${piece.src}\`, got \`${got}\``);
        }
        if (piece.lineStart) this.breakLine(piece.linePrefix);
        this.emit(piece.src, true);
        if (piece.lineEnd) this.pending = piece.nextLinePrefix;
      } else if (piece.type === 'wrapper') {
        this.emit(piece.open, true);
        this.level(piece.children, node.children);
        this.emit(piece.close, true);
      }
    });
  }

  /** The source piece an element stands for: by id, or a protected span by its content. */
  private resolve(el: HtmlElement): ProtectedPiece | WrapperPiece | undefined {
    const byId = el.attrs.id ? this.byId.get(el.attrs.id) : undefined;
    if (byId) return byId;
    const content = squash(textContent(el));
    for (const p of this.unit.protectedItems) {
      if (!this.seen.has(p.id) && squash(p.src) === content) return p;
    }
    return undefined;
  }

  /** Starts a new line (a d2lbook directive must begin one), unless the output is already at one. */
  private breakLine(prefix: string): void {
    this.pending = null;
    if (this.out === '' || LINE_PREFIX_ONLY.test(this.out)) return;
    this.out = this.out.replace(/[ \t]+$/, '') + this.doc.eol + prefix;
  }

  private emit(text: string, raw: boolean): void {
    if (this.pending !== null) {
      if (raw && /^[ \t]*\r?\n/.test(text)) {
        this.pending = null;
      } else if (text.trim() === '') {
        return;
      } else {
        this.out = this.out.replace(/[ \t]+$/, '') + this.doc.eol + this.pending;
        this.pending = null;
        this.out += raw ? text : text.trimStart();
        return;
      }
    }
    this.out += text;
  }

  /** Translated text as Markdown: one line, Markdown syntax characters escaped. */
  private formatText(text: string): string {
    let s = text.replace(/[\r\n]+/g, ' ');
    s = s.replace(/[\\`*$[\]]/g, '\\$&');
    s = s.replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_');
    s = s.replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;').replace(/</g, '&lt;');
    if (this.unit.kind === 'table-cell') s = s.replace(/\|/g, '\\|');
    if (this.out === '' || LINE_PREFIX_ONLY.test(this.out)) {
      s = s.replace(/^(\s*)([#>+=-]|\d+[.)])(?=\s|$)/, (_m, ws: string, mark: string) =>
        /^\d/.test(mark) ? `${ws}${mark.slice(0, -1)}\\${mark.slice(-1)}` : `${ws}\\${mark}`,
      );
    }
    return s;
  }
}

function translateUnits(
  doc: CodecDocument,
  html: string,
): { units: Map<string, TranslatedUnit>; problems: MergeProblem[] } {
  const byId = new Map(doc.units.map((u) => [u.id, u]));
  const units = new Map<string, TranslatedUnit>();
  const problems: MergeProblem[] = [];
  for (const el of unitElements(parseHtml(html))) {
    const id = el.attrs.id as string;
    const unit = byId.get(id);
    if (!unit) {
      problems.push({
        where: `${doc.file}:?`,
        unitId: id,
        kind: 'malformed-html',
        detail: `the translation has a unit id ${id} (HTML line ${el.line}) that the source does not have`,
      });
      continue;
    }
    if (units.has(id)) {
      const pt = pointAt(doc.lineStarts, unit.start);
      problems.push({
        where: `${doc.file}:${pt.line}:${pt.column}`,
        unitId: id,
        kind: 'malformed-html',
        detail: `unit ${id} appears more than once in the translation (again at HTML line ${el.line})`,
      });
      continue;
    }
    units.set(id, new UnitRenderer(doc, unit).render(el));
  }
  return { units, problems };
}

function splice(doc: CodecDocument, replacements: ReadonlyMap<string, string>): string {
  let out = '';
  let cursor = 0;
  for (const unit of doc.units) {
    const md = replacements.get(unit.id);
    if (md === undefined) continue;
    out += doc.text.slice(cursor, unit.start) + md;
    cursor = unit.end;
  }
  // Translations come back with LF; the written document follows the source's line endings throughout.
  return doc.bom + withLineEnding(out + doc.text.slice(cursor), doc.eol);
}

/**
 * Reads the units present in a (possibly partial) translated HTML document. Units absent from the
 * HTML are absent from the map; each present unit carries its own problems.
 */
export function readTranslatedUnits(
  markdown: string,
  html: string,
  opts: Options = {},
): Map<string, TranslatedUnit> {
  return translateUnits(parseDocument(markdown, opts.file), html).units;
}

/** Replaces units (by id) with new Markdown, leaving every other byte of the source as it was. */
export function replaceUnits(
  markdown: string,
  replacements: ReadonlyMap<string, string>,
  opts: Options = {},
): string {
  const doc = parseDocument(markdown, opts.file);
  const known = new Set(doc.units.map((u) => u.id));
  const unknown = [...replacements.keys()].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      `${doc.file}: replaceUnits got unit ids the document does not have: ${unknown.slice(0, 10).join(', ')} (it has u1…u${doc.units.length})`,
    );
  }
  return splice(doc, replacements);
}

/** Merges a complete translation and reports every problem instead of throwing. */
export function mergeTranslationReport(markdown: string, html: string, opts: Options = {}): MergeReport {
  const doc = parseDocument(markdown, opts.file);
  const { units, problems } = translateUnits(doc, html);
  const replacements = new Map<string, string>();
  for (const unit of doc.units) {
    const t = units.get(unit.id);
    if (!t) {
      const pt = pointAt(doc.lineStarts, unit.start);
      problems.push({
        where: `${doc.file}:${pt.line}:${pt.column}`,
        unitId: unit.id,
        kind: 'missing-unit',
        detail: `unit ${unit.id} (${unit.kind}) is missing from the translation`,
      });
      continue;
    }
    problems.push(...t.problems);
    replacements.set(unit.id, t.markdown);
  }
  return {
    markdown: splice(doc, replacements),
    problems,
    unitsTranslated: units.size,
    unitsTotal: doc.units.length,
  };
}

/**
 * Merges a complete translated HTML document back into its Markdown source.
 * @throws ProtectedContentError listing every missing, duplicated or altered protected item or unit.
 */
export function mergeTranslation(markdown: string, html: string, opts: Options = {}): string {
  const report = mergeTranslationReport(markdown, html, opts);
  if (report.problems.length > 0) throw new ProtectedContentError(report.problems, opts.file);
  return report.markdown;
}
