/**
 * The mdast tree of a whole document, in time linear in its size.
 *
 * micromark (under mdast-util-from-markdown) is superlinear on one huge document: every table, setext
 * heading and container exit rewrites the event list of everything parsed so far (its EditMap
 * `consume`; upstream wooorm/markdown-rs#218 describes the same shape), so 4 MB took 6 × the time of
 * 1 MB. Top-level blocks that start after a blank line are independent, so the text is parsed in
 * pieces of about `CHUNK_CHARS` split at such a line, and the pieces' top-level nodes are joined with
 * their offsets shifted. Two things keep the result identical to a whole-document parse:
 *
 * - A split is only kept if nothing is still open there (a fence, math, an HTML block, a list the
 *   next line continues): each piece is parsed together with the first line of the next one, and that
 *   line must start a new top-level node. Otherwise the piece grows (doubling, so a document that is
 *   one long construct costs a bounded number of re-parses).
 * - Link-reference and footnote definitions are document-wide: a piece that mentions a label defined
 *   only in another piece is parsed again with that definition written in front of it (then cut off).
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown } from 'mdast-util-math';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';

/** Minimal structural view of an mdast node (positions are always present from fromMarkdown). */
export interface MdNode {
  type: string;
  depth?: number;
  label?: string | null;
  identifier?: string;
  children?: MdNode[];
  position?: { start: { offset?: number }; end: { offset?: number } };
}

/** Target size of one parsed piece (UTF-16 units); small enough that micromark stays linear. */
export const CHUNK_CHARS = 32 * 1024;

const options = {
  extensions: [gfm(), math()],
  mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown()],
};

/** One mdast-util-from-markdown parse (GFM + math), the way the codec configures it. */
export function parseMarkdown(text: string): MdNode {
  return fromMarkdown(text, options) as unknown as MdNode;
}

/** Offsets of lines that may start an independent top-level block: after a blank line, at column 0. */
const SPLIT_LINE = /\n[ \t]*\r?\n(?=[#\p{L}])/gu;

/** Normalised label (as micromark compares them): whitespace collapsed, case folded. */
function labelKey(label: string): string {
  return label
    .replace(/[\t\n\r ]+/g, ' ')
    .trim()
    .toLowerCase()
    .toUpperCase();
}

/** Every bracketed text that could be a reference label (a superset: false hits only cost a re-parse). */
const BRACKETED = /\[((?:[^[\]\\]|\\[\s\S]){1,999})\]/g;

interface Definition {
  footnote: boolean;
  label: string;
}

/** Definitions anywhere in a tree, keyed by normalised label (`^label` for footnotes). */
function definitionsOf(root: MdNode, into: Map<string, Definition>): Set<string> {
  const own = new Set<string>();
  const stack: MdNode[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if ((node.type === 'definition' || node.type === 'footnoteDefinition') && node.label) {
      const footnote = node.type === 'footnoteDefinition';
      const key = (footnote ? '^' : '') + labelKey(node.label);
      own.add(key);
      if (!into.has(key)) into.set(key, { footnote, label: node.label });
    }
    for (const child of node.children ?? []) stack.push(child);
  }
  return own;
}

function shift(root: MdNode, by: number): void {
  if (by === 0) return;
  const stack: MdNode[] = [...(root.children ?? [])];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const pos = node.position;
    if (pos) {
      if (pos.start.offset !== undefined) pos.start.offset += by;
      if (pos.end.offset !== undefined) pos.end.offset += by;
    }
    for (const child of node.children ?? []) stack.push(child);
  }
}

interface Piece {
  start: number;
  end: number;
  tree: MdNode;
  /** Definitions this piece holds itself. */
  own: Set<string>;
}

/**
 * Parses `text` (already prepared by `textForParser`) as one document. `chunkChars` only changes how
 * it is cut into pieces and `parse` only how a piece is parsed (tests count the work with it).
 */
export function parseTree(text: string, chunkChars = CHUNK_CHARS, parse = parseMarkdown): MdNode {
  if (text.length <= 2 * chunkChars) return parse(text);
  const splits: number[] = [];
  SPLIT_LINE.lastIndex = 0;
  for (let m = SPLIT_LINE.exec(text); m; m = SPLIT_LINE.exec(text)) splits.push(m.index + m[0].length);

  const pieces: Piece[] = [];
  const definitions = new Map<string, Definition>();
  let start = 0;
  let next = 0; // index into splits
  while (start < text.length) {
    let want = start + chunkChars;
    let piece: Piece | undefined;
    while (!piece) {
      while (next < splits.length && (splits[next] as number) < want) next++;
      const end = splits[next];
      if (end === undefined || text.length - end < chunkChars / 2) {
        piece = { start, end: text.length, tree: parse(text.slice(start)), own: new Set() };
        break;
      }
      let lineEnd = text.indexOf('\n', end);
      lineEnd = lineEnd === -1 ? text.length : lineEnd + 1;
      const tree = parse(text.slice(start, lineEnd));
      const children = tree.children ?? [];
      const last = children[children.length - 1];
      if (last?.position?.start.offset === end - start) {
        children.pop();
        piece = { start, end, tree, own: new Set() };
      } else {
        want = start + 2 * (want - start); // something is still open: try a piece twice as long
      }
    }
    piece.own = definitionsOf(piece.tree, definitions);
    pieces.push(piece);
    start = piece.end;
  }

  const root: MdNode = { type: 'root', children: [] };
  for (const piece of pieces) {
    let tree = piece.tree;
    let by = piece.start;
    if (definitions.size > piece.own.size) {
      const slice = text.slice(piece.start, piece.end);
      const missing: Definition[] = [];
      const added = new Set<string>();
      BRACKETED.lastIndex = 0;
      for (let m = BRACKETED.exec(slice); m; m = BRACKETED.exec(slice)) {
        const key = labelKey(m[1] as string);
        const def = definitions.get(key);
        if (def && !piece.own.has(key) && !added.has(key)) {
          added.add(key);
          missing.push(def);
        }
      }
      if (missing.length > 0) {
        const prefix = `${missing.map((d) => `[${d.footnote ? '^' : ''}${d.label}]: #`).join('\n\n')}\n\n`;
        tree = parse(prefix + slice);
        const defs = missing.length;
        tree.children = (tree.children ?? []).slice(defs);
        by -= prefix.length;
      }
    }
    shift(tree, by);
    for (const child of tree.children ?? []) root.children?.push(child);
  }
  root.position = { start: { offset: 0 }, end: { offset: text.length } };
  return root;
}
