/**
 * Markdown → translatable units. Parses with mdast-util-from-markdown (+ GFM, math) only to find
 * source offsets; every unit is described by ranges of the original string, so output is always
 * produced by splicing, never by re-serialising the tree.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { mathFromMarkdown } from 'mdast-util-math';
import { math } from 'micromark-extension-math';
import { NestingTooDeepError } from '../errors';
import { splitBom } from './decode';
import { checkLimits, MAX_NESTING_DEPTH } from './limits';
import { lineEndingOf, lineStartsOf, normalizeWhitespace, pointAt, textForParser } from './text';
import { type MdNode, parseTree } from './tree';
import type { UnitKind } from './types';
import type { CodecDocument, Piece, ProtectedPiece, Unit, WrapperPiece } from './units';

const PROTECTED_INLINE = new Set(['inlineCode', 'inlineMath', 'html', 'footnoteReference']);
const WRAPPER_TAG: Record<string, WrapperPiece['tag']> = {
  emphasis: 'em',
  strong: 'strong',
  delete: 'del',
  link: 'a',
  linkReference: 'a',
  image: 'span',
  imageReference: 'span',
};
const CONTAINERS = new Set([
  'root',
  'blockquote',
  'list',
  'listItem',
  'footnoteDefinition',
  'table',
  'tableRow',
]);

/**
 * Tokens inside literal text that are protected: backslash escapes, HTML entities, the bare
 * `:end_tab:` directive and the `(((`/`)))` slide markers.
 */
const TEXT_PROTECTED =
  /\\[!-/:-@[-`{-~]|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|(?<=^|\s):end_tab:(?=\s|$)|\(\(\(|\)\)\)/g;
/** A d2lbook role name right before an inline code argument: `:numref:` + `` `sec_x` ``. */
const ROLE_SUFFIX = /:[A-Za-z_]+:$/;
/**
 * d2lbook directives live on a line of their own (under a heading, figure, equation, or around a
 * framework tab); a merge must keep them there even if the translator joins the lines.
 */
const DIRECTIVE = /^:(?:label|eqlabel|width|height|begin_tab|end_tab|bibliography):/;
const LINE_PREFIX = /^[ \t]*(?:>[ \t]?)*[ \t]*$/;
const HAS_WORD = /[\p{L}\p{N}]/u;

function offsets(node: MdNode): [number, number] {
  return [node.position?.start.offset ?? 0, node.position?.end.offset ?? 0];
}

/**
 * Parses Markdown (BOM allowed) into units. `file` only labels error messages.
 * @throws DocumentTooLargeError over `MAX_MARKDOWN_BYTES` (checked before parsing).
 * @throws NestingTooDeepError when containers or inline markup nest deeper than `MAX_NESTING_DEPTH`.
 */
export function parseDocument(markdown: string, file = '<input>'): CodecDocument {
  checkLimits(markdown, file);
  const { bom, body: text } = splitBom(markdown);
  const parseText = textForParser(text);
  const tree = parseTree(parseText);
  const lineStarts = lineStartsOf(text);
  const eol = lineEndingOf(text);
  const builder = new UnitBuilder(text, file, lineStarts);
  builder.walk(tree);
  return { file, bom, text, eol, units: builder.units, lineStarts };
}

class UnitBuilder {
  readonly units: Unit[] = [];
  private unitCounter = 0;
  private pieceCounter = 0;
  private unitProtected: ProtectedPiece[] = [];
  private currentUnitId = '';
  private quoteDepth = 0;
  private inlineDepth = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly lineStarts: readonly number[],
  ) {}

  /** Fails with the file and position when nesting passes `MAX_NESTING_DEPTH`. */
  private checkDepth(depth: number, offset: number, what: string): void {
    if (depth <= MAX_NESTING_DEPTH) return;
    const pt = pointAt(this.lineStarts, offset);
    throw new NestingTooDeepError(
      this.file,
      `${this.file}:${pt.line}:${pt.column}`,
      `${what} nested ${depth} deep; the codec accepts at most ${MAX_NESTING_DEPTH}`,
    );
  }

  /** Visits the block tree in document order (an explicit stack: no recursion). */
  walk(root: MdNode): void {
    type Frame = {
      node: MdNode;
      parent: string | undefined;
      inQuote: boolean;
      quoteDepth: number;
      depth: number;
    };
    const stack: Frame[] = [{ node: root, parent: undefined, inQuote: false, quoteDepth: 0, depth: 0 }];
    for (let frame = stack.pop(); frame; frame = stack.pop()) {
      const { node, parent, inQuote, quoteDepth, depth } = frame;
      const type = node.type;
      if (CONTAINERS.has(type)) {
        const nests = type === 'blockquote' || type === 'listItem' || type === 'footnoteDefinition';
        if (nests) this.checkDepth(depth + 1, offsets(node)[0], 'block quotes and lists');
        const children = node.children ?? [];
        const child = {
          parent: type,
          inQuote: inQuote || type === 'blockquote',
          quoteDepth: type === 'blockquote' ? quoteDepth + 1 : quoteDepth,
          depth: nests ? depth + 1 : depth,
        };
        for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i] as MdNode, ...child });
        continue;
      }
      if (type === 'heading') {
        this.addUnit('heading', node, quoteDepth, node.depth);
      } else if (type === 'tableCell') {
        this.addUnit('table-cell', node, quoteDepth);
      } else if (type === 'paragraph') {
        const kind: UnitKind = inQuote ? 'blockquote' : parent === 'listItem' ? 'list-item' : 'paragraph';
        this.addUnit(kind, node, quoteDepth);
      }
      // Everything else (code, math, html, thematicBreak, definition, …) stays verbatim.
    }
  }

  private addUnit(kind: UnitKind, node: MdNode, quoteDepth: number, depth?: number): void {
    const children = node.children ?? [];
    if (children.length === 0) return;
    let start = offsets(children[0] as MdNode)[0];
    const end = offsets(children[children.length - 1] as MdNode)[1];
    let unitKind = kind;
    // d2lbook table caption: a top-level paragraph `:Caption text` (a leading colon that is no role).
    if (
      kind === 'paragraph' &&
      this.text[start] === ':' &&
      !/^:[A-Za-z_]+:/.test(this.text.slice(start, start + 40))
    ) {
      start += 1;
      unitKind = 'caption';
    }
    const id = `u${this.unitCounter + 1}`;
    this.currentUnitId = id;
    this.pieceCounter = 0;
    this.unitProtected = [];
    this.quoteDepth = quoteDepth;
    const pieces = this.phrasing(children, start, end);
    if (!hasWords(pieces)) return;
    if (unitKind === 'paragraph' && isImageOnly(pieces)) unitKind = 'image-alt';
    const range = this.trimDirectiveLines(pieces, start, end);
    this.unitCounter++;
    // Every protected item still in the unit (directive lines cut at its edges are not), nested ones
    // (inside link text, alt text, emphasis) included.
    const kept = new Set<Piece>();
    const keep = (ps: readonly Piece[]) => {
      for (const p of ps) {
        kept.add(p);
        if (p.type === 'wrapper') keep(p.children);
      }
    };
    keep(pieces);
    const protectedItems = this.unitProtected.filter((p) => kept.has(p));
    const unit: Unit = { id, kind: unitKind, start: range.start, end: range.end, pieces, protectedItems };
    if (depth !== undefined) unit.depth = depth;
    this.units.push(unit);
  }

  /**
   * Directive lines at the edges of a unit (`:begin_tab:` above framework prose, `:end_tab:` below
   * it, `:label:`/`:width:` under a figure) are structure, not text: they are cut out of the unit so
   * they stay verbatim in the Markdown and never reach Translate or the parallel data.
   */
  private trimDirectiveLines(pieces: Piece[], start: number, end: number): { start: number; end: number } {
    const isBlank = (p: Piece | undefined) => p?.type === 'text' && p.norm.trim() === '';
    for (;;) {
      const first = pieces[0];
      if (first?.type !== 'protected' || !first.lineEnd || !DIRECTIVE.test(first.src)) break;
      pieces.shift();
      while (isBlank(pieces[0])) pieces.shift();
      const next = pieces[0];
      if (!next) break;
      if (next.type === 'text') {
        const lead = /^[ \t\r\n>]*/.exec(this.text.slice(next.start, next.end))?.[0].length ?? 0;
        this.shrinkText(pieces, 0, next.start + lead, next.end);
      }
      start = (pieces[0] as Piece).start;
    }
    for (;;) {
      const last = pieces[pieces.length - 1];
      const before = pieces[pieces.length - 2];
      if (last?.type !== 'protected' || !last.lineStart || !DIRECTIVE.test(last.src)) break;
      if (!before || (before.type === 'text' && !/[\r\n]/.test(this.text.slice(before.start, before.end))))
        break;
      pieces.pop();
      while (isBlank(pieces[pieces.length - 1]) && pieces.length > 1) pieces.pop();
      const prev = pieces[pieces.length - 1] as Piece;
      if (prev.type === 'text') {
        const raw = this.text.slice(prev.start, prev.end);
        const trimmed = raw.replace(/[ \t\r\n>]+$/, '');
        this.shrinkText(pieces, pieces.length - 1, prev.start, prev.start + trimmed.length);
      }
      end = (pieces[pieces.length - 1] as Piece).end;
    }
    return { start, end };
  }

  /** Pieces for a run of phrasing nodes covering [from, to). */
  private phrasing(nodes: MdNode[], from: number, to: number): Piece[] {
    // First pass: literal runs and inline nodes, in source order.
    type Raw = { kind: 'literal'; start: number; end: number } | { kind: 'node'; node: MdNode };
    const raw: Raw[] = [];
    let cursor = from;
    for (const node of nodes) {
      const [s, e] = offsets(node);
      if (node.type === 'text' || node.type === 'break') {
        // Start at the cursor, not at the node: mdast leaves trailing spaces before a line ending
        // outside every node, and they must stay in the text.
        const a = cursor;
        const b = Math.min(e, to);
        if (b > a) raw.push({ kind: 'literal', start: a, end: b });
        cursor = Math.max(cursor, b);
        continue;
      }
      if (s > cursor) raw.push({ kind: 'literal', start: cursor, end: s });
      raw.push({ kind: 'node', node });
      cursor = e;
    }
    if (cursor < to) raw.push({ kind: 'literal', start: cursor, end: to });

    // Second pass: merge adjacent literals, split them at protected tokens, build nodes.
    const out: Piece[] = [];
    for (let i = 0; i < raw.length; i++) {
      const r = raw[i] as Raw;
      if (r.kind === 'literal') {
        let end = r.end;
        while (raw[i + 1]?.kind === 'literal') {
          end = (raw[i + 1] as { end: number }).end;
          i++;
        }
        this.literal(r.start, end, out);
      } else {
        this.inline(r.node, out);
      }
    }
    this.attachRolesAndSlides(out);
    return out;
  }

  /** Splits literal text at protected tokens. */
  private literal(start: number, end: number, out: Piece[]): void {
    const slice = this.text.slice(start, end);
    TEXT_PROTECTED.lastIndex = 0;
    let last = 0;
    for (let m = TEXT_PROTECTED.exec(slice); m; m = TEXT_PROTECTED.exec(slice)) {
      if (m.index > last) this.pushText(start + last, start + m.index, out);
      out.push(this.protect(start + m.index, start + m.index + m[0].length));
      last = m.index + m[0].length;
    }
    if (last < slice.length) this.pushText(start + last, end, out);
  }

  private pushText(start: number, end: number, out: Piece[]): void {
    const prev = out[out.length - 1];
    if (prev?.type === 'text' && prev.end === start) {
      prev.end = end;
      prev.norm = normalizeWhitespace(this.text.slice(prev.start, end), this.quoteDepth);
      return;
    }
    out.push({
      type: 'text',
      start,
      end,
      norm: normalizeWhitespace(this.text.slice(start, end), this.quoteDepth),
    });
  }

  private inline(node: MdNode, out: Piece[]): void {
    const [s, e] = offsets(node);
    if (PROTECTED_INLINE.has(node.type)) {
      out.push(this.protect(s, e));
      return;
    }
    const tag = WRAPPER_TAG[node.type];
    if (tag) {
      const wrapper = this.wrapper(node, tag, s, e);
      if (wrapper) {
        out.push(wrapper);
        return;
      }
    }
    out.push(this.protect(s, e));
  }

  /** Emphasis, strong, links and images become wrappers around their translatable inside. */
  private wrapper(node: MdNode, tag: WrapperPiece['tag'], s: number, e: number): WrapperPiece | undefined {
    let innerStart: number;
    let innerEnd: number;
    let inner: MdNode[];
    if (node.type === 'image' || node.type === 'imageReference') {
      innerStart = s + 2;
      innerEnd = closingBracket(this.text, innerStart, e);
      if (innerEnd < 0 || innerEnd === innerStart) return undefined;
      inner = [];
    } else {
      const children = node.children ?? [];
      if (children.length === 0) return undefined;
      innerStart = offsets(children[0] as MdNode)[0];
      innerEnd = offsets(children[children.length - 1] as MdNode)[1];
      // Autolinks (`<https://…>`, bare URLs) have no brackets: the whole link is protected.
      if ((node.type === 'link' || node.type === 'linkReference') && this.text[s] !== '[') return undefined;
      inner = children;
    }
    const id = `${this.currentUnitId}.w${++this.pieceCounter}`;
    this.checkDepth(++this.inlineDepth, s, 'inline markup (emphasis, links, images)');
    const children =
      inner.length > 0 ? this.phrasing(inner, innerStart, innerEnd) : this.altText(innerStart, innerEnd);
    this.inlineDepth--;
    return {
      type: 'wrapper',
      id,
      tag,
      open: this.text.slice(s, innerStart),
      close: this.text.slice(innerEnd, e),
      start: s,
      end: e,
      children,
    };
  }

  /**
   * Alt text of an image: mdast keeps only its flattened string, so the label is parsed again on its
   * own to find inline code and math, which are protected like anywhere else (a role is inline code
   * after `:name:`, attached by {@link attachRolesAndSlides}). The rest is literal text, as before.
   */
  private altText(start: number, end: number): Piece[] {
    const out: Piece[] = [];
    let cursor = start;
    for (const [s, e] of inlineCodeAndMath(this.text.slice(start, end))) {
      if (start + s > cursor) this.literal(cursor, start + s, out);
      out.push(this.protect(start + s, start + e));
      cursor = start + e;
    }
    if (cursor < end) this.literal(cursor, end, out);
    this.attachRolesAndSlides(out);
    return out;
  }

  private protect(start: number, end: number): ProtectedPiece {
    const piece: ProtectedPiece = {
      type: 'protected',
      id: `${this.currentUnitId}.p${++this.pieceCounter}`,
      start,
      end,
      src: this.text.slice(start, end),
      lineStart: false,
      lineEnd: false,
      linePrefix: '',
      nextLinePrefix: '',
    };
    this.anchor(piece);
    this.unitProtected.push(piece);
    return piece;
  }

  /** Marks a d2lbook directive that starts and/or ends a source line, with the line prefixes. */
  private anchor(piece: ProtectedPiece): void {
    const text = this.text;
    const directive = DIRECTIVE.test(piece.src);
    const lineBegin = text.lastIndexOf('\n', piece.start - 1) + 1;
    const prefixBefore = text.slice(lineBegin, piece.start);
    piece.lineStart = directive && lineBegin > 0 && LINE_PREFIX.test(prefixBefore);
    piece.linePrefix = piece.lineStart ? prefixBefore : '';
    let nl = text.indexOf('\n', piece.end);
    if (nl === -1) nl = text.length;
    piece.lineEnd = directive && nl < text.length && /^[ \t]*\r?$/.test(text.slice(piece.end, nl));
    piece.nextLinePrefix = piece.lineEnd
      ? (/^[ \t]*(?:>[ \t]?)*[ \t]*/.exec(text.slice(nl + 1, nl + 200))?.[0] ?? '')
      : '';
  }

  /**
   * Roles: text ending in `:numref:` followed by inline code become one protected item.
   * Slide markers: `[**…**]`, `(**…**)` and `(~~…~~)` keep their brackets inside the wrapper.
   */
  private attachRolesAndSlides(pieces: Piece[]): void {
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i] as Piece;
      const prev = pieces[i - 1];
      const next = pieces[i + 1];
      if (p.type === 'protected' && p.src.startsWith('`') && prev?.type === 'text') {
        const m = ROLE_SUFFIX.exec(this.text.slice(prev.start, prev.end));
        if (m) {
          p.start -= m[0].length;
          p.src = this.text.slice(p.start, p.end);
          this.anchor(p);
          this.shrinkText(pieces, i - 1, prev.start, p.start);
          if (prev.end <= prev.start) i--;
        }
      }
      const cur = pieces[i] as Piece;
      if (cur.type === 'wrapper' && (cur.tag === 'strong' || cur.tag === 'del')) {
        const before = pieces[i - 1];
        const after = pieces[i + 1];
        if (before?.type !== 'text' || after?.type !== 'text') continue;
        const open = this.text[before.end - 1];
        const close = this.text[after.start];
        const pairs: Record<string, string> = cur.tag === 'strong' ? { '[': ']', '(': ')' } : { '(': ')' };
        if (open && close && pairs[open] === close) {
          cur.start -= 1;
          cur.end += 1;
          cur.open = open + cur.open;
          cur.close += close;
          this.shrinkText(pieces, i + 1, after.start + 1, after.end);
          this.shrinkText(pieces, i - 1, before.start, before.end - 1);
          if (before.end <= before.start) i--;
        }
      }
      void next;
    }
  }

  /** Narrows a text piece to [start, end), removing it when empty. */
  private shrinkText(pieces: Piece[], index: number, start: number, end: number): void {
    const p = pieces[index];
    if (p?.type !== 'text') return;
    p.start = start;
    p.end = end;
    if (end <= start) pieces.splice(index, 1);
    else p.norm = normalizeWhitespace(this.text.slice(start, end), this.quoteDepth);
  }
}

/**
 * Offsets of the inline code spans and inline math in a piece of inline Markdown (an image label), as
 * micromark reads them. Line breaks become spaces first (same length), and a leading letter keeps the
 * text one paragraph: no line can start a block construct.
 */
function inlineCodeAndMath(label: string): [number, number][] {
  if (!/[`$]/.test(label)) return [];
  const tree = fromMarkdown(`a${label.replace(/[\r\n]/g, ' ')}`, {
    extensions: [math()],
    mdastExtensions: [mathFromMarkdown()],
  }) as unknown as MdNode;
  const found: [number, number][] = [];
  const visit = (node: MdNode) => {
    if (node.type === 'inlineCode' || node.type === 'inlineMath') {
      const [s, e] = offsets(node);
      found.push([s - 1, e - 1]);
      return;
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(tree);
  return found;
}

/** Index of the `]` closing an image's alt text that starts at `from` (escapes and nesting aware). */
function closingBracket(text: string, from: number, limit: number): number {
  let depth = 0;
  for (let i = from; i < limit; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '[') depth++;
    else if (c === ']') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function hasWords(pieces: readonly Piece[]): boolean {
  return pieces.some((p) =>
    p.type === 'text' ? HAS_WORD.test(p.norm) : p.type === 'wrapper' && hasWords(p.children),
  );
}

/** A paragraph whose only words are image alt texts (a figure with its `:label:`/`:width:` lines). */
function isImageOnly(pieces: readonly Piece[]): boolean {
  let image = false;
  for (const p of pieces) {
    if (p.type === 'text' && HAS_WORD.test(p.norm)) return false;
    if (p.type === 'wrapper') {
      if (p.open.startsWith('![')) image = true;
      else if (hasWords(p.children)) return false;
    }
  }
  return image;
}
