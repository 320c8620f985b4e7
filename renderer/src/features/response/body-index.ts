import { XMLParser } from 'fast-xml-parser';
import { marketoPathFor } from '@shared/engine/mapping-path';

/**
 * A response body, parsed once and kept where it was parsed (in the body worker for real answers), so
 * that the page only ever holds the rows it shows. Views ask for windows of rows or lines.
 */

export type BodyKind = 'json' | 'xml' | 'text';
export type Segment = string | number;

export type TreeRow = {
  /** Stable id: the segments joined; used to expand and collapse. */
  id: string;
  depth: number;
  /** The key in its parent (object key, element name, or array index). */
  key: Segment | null;
  kind: 'object' | 'array' | 'value';
  /** For values, the value as text (strings quoted); for containers, a count. */
  preview: string;
  valueType: 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';
  expanded: boolean;
  childCount: number;
  segments: Segment[];
  /** The Response Attribute Marketo would need to reach this node; absent for the document itself. */
  path?: string;
  /** False when a key on the way cannot be written in Marketo's path grammar; `unreachable` says why. */
  reachable: boolean;
  /** Why the path cannot be used, or (when it can) which undocumented assumption it rests on. */
  unreachable?: string;
};

/** `wrap` is the raw text cut into rows of WRAP_COLUMNS characters, so that nothing needs a sideways scroll. */
export type LineMode = 'pretty' | 'raw' | 'wrap';

const DISPLAY_LINE = 2000;
export const WRAP_COLUMNS = 100;
/** Containers deeper than this are shown closed and are not walked: a 100,000-deep answer never recurses. */
export const MAX_TREE_DEPTH = 200;

type Node = unknown;

function childrenOf(node: Node): [Segment, Node][] {
  if (Array.isArray(node)) return node.map((v, i) => [i, v] as [Segment, Node]);
  if (node !== null && typeof node === 'object') return Object.entries(node as Record<string, unknown>);
  return [];
}

function isContainer(node: Node): boolean {
  return node !== null && typeof node === 'object';
}

function previewOf(node: Node): { preview: string; valueType: TreeRow['valueType'] } {
  if (Array.isArray(node)) return { preview: `[${node.length}]`, valueType: 'array' };
  if (node === null) return { preview: 'null', valueType: 'null' };
  if (typeof node === 'object') return { preview: `{${Object.keys(node).length}}`, valueType: 'object' };
  if (typeof node === 'string')
    return { preview: JSON.stringify(node.length > 500 ? `${node.slice(0, 500)}…` : node), valueType: 'string' };
  if (typeof node === 'number') return { preview: String(node), valueType: 'number' };
  if (typeof node === 'boolean') return { preview: String(node), valueType: 'boolean' };
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects returned above: only a primitive (undefined) is left
  return { preview: String(node), valueType: 'string' };
}

/** Splits text into display lines, cutting very long lines (minified JSON is one line) so no row is huge. */
function displayLines(text: string, width = DISPLAY_LINE): string[] {
  const DISPLAY_LINE = width;
  const lines: string[] = [];
  let start = 0;
  while (start <= text.length) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    for (let s = start; s < nl || s === start; s += DISPLAY_LINE) {
      lines.push(text.slice(s, Math.min(nl, s + DISPLAY_LINE)).replace(/\r$/, ''));
      if (s + DISPLAY_LINE >= nl) break;
    }
    start = nl + 1;
  }
  return lines;
}

/**
 * The largest well-formed JSON document that starts a cut-off text: the text up to the last complete
 * member or element, with the open arrays and objects closed. The sender keeps only the first part of
 * a large body in memory; this lets the tree show that part.
 */
export function closeJsonPrefix(text: string): string | undefined {
  return closeJsonPrefixWithDepth(text)?.text;
}

/** As closeJsonPrefix, with how many containers had to be closed (they are the incomplete ones). */
function closeJsonPrefixWithDepth(text: string): { text: string; closed: number } | undefined {
  const stack: string[] = [];
  let inString = false;
  let escaped = false;
  let cut = -1;
  let cutStack: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 92 /* \\ */) escaped = true;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 /* { */) stack.push('}');
    else if (c === 91 /* [ */) stack.push(']');
    else if (c === 125 || c === 93) {
      stack.pop();
      if (stack.length > 0) {
        cut = i + 1;
        cutStack = stack.slice();
      }
    } else if (c === 44 /* , */ && stack.length > 0) {
      cut = i;
      cutStack = stack.slice();
    }
  }
  if (cut < 0) return undefined;
  return { text: text.slice(0, cut) + cutStack.reverse().join(''), closed: cutStack.length };
}

export class BodyIndex {
  readonly kind: BodyKind;
  readonly parseError: string | undefined;
  readonly root: Node;
  readonly bytes: number;
  private readonly text: string;
  private readonly expanded = new Set<string>();
  private rows: { node: Node; segments: Segment[]; depth: number; id: string }[] = [];
  private pretty: string[] | undefined;
  private raw: string[] | undefined;
  private wrapped: string[] | undefined;

  /** True when the tree shows only the complete part of a cut-off body. */
  readonly partialTree: boolean = false;
  /** True when the body is empty or only whitespace: nothing to parse, nothing to show. */
  readonly empty: boolean;
  /** Ids of the containers the cut went through: their counts are of the part that arrived only. */
  private readonly incomplete = new Set<string>();

  constructor(text: string, kind: BodyKind, opts: { partial?: boolean } = {}) {
    this.text = text;
    this.bytes = text.length;
    let root: Node;
    let parseError: string | undefined;
    let effective: BodyKind = kind;
    this.empty = !/\S/.test(text.length > 4096 ? text.slice(0, 4096) : text) && !/\S/.test(text);
    try {
      if (this.empty) root = text;
      else if (kind === 'json') root = JSON.parse(text) as unknown;
      else if (kind === 'xml')
        root = new XMLParser({
          ignoreAttributes: true,
          ignoreDeclaration: true,
          ignorePiTags: true,
          parseTagValue: false,
          trimValues: true,
        }).parse(text, true) as unknown;
      else root = text;
    } catch (e) {
      const closed = kind === 'json' && opts.partial ? closeJsonPrefixWithDepth(text) : undefined;
      let repaired: unknown;
      if (closed !== undefined) {
        try {
          repaired = JSON.parse(closed.text) as unknown;
        } catch {
          repaired = undefined;
        }
      }
      if (repaired !== undefined && closed !== undefined) {
        root = repaired;
        this.partialTree = true;
        // The closed containers are the root and, below it, each last child down the cut.
        let node: Node = repaired;
        const segs: Segment[] = [];
        for (let level = 0; level < closed.closed && isContainer(node); level++) {
          this.incomplete.add(segs.length ? JSON.stringify(segs) : '');
          const kids = childrenOf(node);
          const last = kids[kids.length - 1];
          if (!last) break;
          segs.push(last[0]);
          node = last[1];
        }
      } else {
        parseError = e instanceof Error ? e.message : String(e);
        root = text;
        effective = 'text';
      }
    }
    this.kind = this.empty ? 'text' : effective;
    this.root = root;
    this.parseError = parseError;
    this.expanded.add('');
    // The first level is open so the shape of the answer shows at once.
    for (const [k] of childrenOf(root).slice(0, 50)) this.expanded.add(JSON.stringify([k]));
    this.flatten();
  }

  private flatten(): void {
    const rows: BodyIndex['rows'] = [];
    // An explicit stack, not recursion: the depth of an answer is the sender's choice, not ours.
    const stack: { node: Node; segments: Segment[]; depth: number }[] = [{ node: this.root, segments: [], depth: 0 }];
    while (stack.length > 0) {
      const { node, segments, depth } = stack.pop() as { node: Node; segments: Segment[]; depth: number };
      const id = segments.length ? JSON.stringify(segments) : '';
      rows.push({ node, segments, depth, id });
      if (!isContainer(node) || !this.expanded.has(id) || depth >= MAX_TREE_DEPTH) continue;
      const kids = childrenOf(node);
      for (let i = kids.length - 1; i >= 0; i--) {
        const [k, child] = kids[i] as [Segment, Node];
        stack.push({ node: child, segments: [...segments, k], depth: depth + 1 });
      }
    }
    this.rows = rows;
  }

  wholeText(): string {
    return this.text;
  }

  treeRowCount(): number {
    return this.rows.length;
  }

  treeRows(offset: number, limit: number): TreeRow[] {
    return this.rows.slice(offset, offset + limit).map((r) => {
      const shown = previewOf(r.node);
      const valueType = shown.valueType;
      let preview = shown.preview;
      if (this.incomplete.has(r.id))
        preview = `${preview.slice(0, -1)} so far…${preview.slice(-1)} (cut: the rest was not loaded)`;
      else if (isContainer(r.node) && r.depth >= MAX_TREE_DEPTH)
        preview = `${preview} (deeper than ${MAX_TREE_DEPTH} levels: not shown)`;
      const container = isContainer(r.node);
      const marketo = r.segments.length ? marketoPathFor(r.segments, this.kind === 'xml' ? 'xml' : 'json') : undefined;
      return {
        id: r.id,
        depth: r.depth,
        key: r.segments.length ? (r.segments[r.segments.length - 1] as Segment) : null,
        kind: Array.isArray(r.node) ? 'array' : container ? 'object' : 'value',
        preview,
        valueType,
        expanded: this.expanded.has(r.id),
        childCount: container ? childrenOf(r.node).length : 0,
        segments: r.segments,
        path: marketo?.path,
        reachable: marketo?.reachable ?? true,
        unreachable: marketo?.reason,
      };
    });
  }

  toggle(id: string, open?: boolean): number {
    const isOpen = this.expanded.has(id);
    if (open ?? !isOpen) this.expanded.add(id);
    else this.expanded.delete(id);
    this.flatten();
    return this.rows.length;
  }

  /** Opens every container on the way to each node whose Marketo path is listed, so mapped nodes are visible. */
  reveal(paths: string[]): number {
    const wanted = new Set(paths);
    const visit = (node: Node, segments: Segment[]): boolean => {
      let hit = segments.length > 0 && wanted.has(this.pathFor(segments));
      if (isContainer(node) && segments.length < 12) {
        for (const [k, child] of childrenOf(node).slice(0, 1000)) if (visit(child, [...segments, k])) hit = true;
      }
      if (hit) this.expanded.add(segments.length ? JSON.stringify(segments.slice(0, -1)) : '');
      if (hit && segments.length) {
        for (let i = 1; i < segments.length; i++) this.expanded.add(JSON.stringify(segments.slice(0, i)));
      }
      return hit;
    };
    if (wanted.size) visit(this.root, []);
    this.flatten();
    return this.rows.length;
  }

  private pathFor(segments: Segment[]): string {
    return marketoPathFor(segments, this.kind === 'xml' ? 'xml' : 'json').path;
  }

  private linesOf(mode: LineMode): string[] {
    if (mode === 'wrap') return (this.wrapped ??= displayLines(this.text, WRAP_COLUMNS));
    if (mode === 'raw' || this.kind === 'text') return (this.raw ??= displayLines(this.text));
    if (this.kind === 'xml') return (this.pretty ??= displayLines(prettyXml(this.text)));
    if (this.pretty) return this.pretty;
    let text: string;
    try {
      // JSON.stringify answers undefined (not a string) for an undefined root.
      text = this.root === undefined ? '' : JSON.stringify(this.root, null, 2);
    } catch {
      // Too deep for the engine's stack (JSON.stringify recurses): the raw text is shown instead.
      text = this.text;
    }
    return (this.pretty = displayLines(text));
  }

  lineCount(mode: LineMode): number {
    return this.linesOf(mode).length;
  }

  lines(mode: LineMode, offset: number, limit: number): string[] {
    return this.linesOf(mode).slice(offset, offset + limit);
  }

  /** Line numbers holding the query (case-insensitive), at most `max`, and the number of matching lines. */
  search(mode: LineMode, query: string, max = 2000): { lines: number[]; total: number } {
    const q = query.toLowerCase();
    if (!q) return { lines: [], total: 0 };
    const all = this.linesOf(mode);
    const lines: number[] = [];
    let total = 0;
    for (let i = 0; i < all.length; i++) {
      if ((all[i] as string).toLowerCase().includes(q)) {
        total++;
        if (lines.length < max) lines.push(i);
      }
    }
    return { lines, total };
  }

  /** Tree rows whose key or value holds the query: opens their ancestors and returns their row indexes. */
  searchTree(query: string, max = 500): { rows: number[]; total: number; count: number } {
    const q = query.toLowerCase();
    if (!q) return { rows: [], total: 0, count: this.rows.length };
    const hits: Segment[][] = [];
    let total = 0;
    const visit = (node: Node, segments: Segment[]): void => {
      const key = segments[segments.length - 1];
      const match =
        (key !== undefined && String(key).toLowerCase().includes(q)) ||
        (!isContainer(node) && String(node).toLowerCase().includes(q));
      if (match) {
        total++;
        if (hits.length < max) hits.push(segments);
      }
      if (isContainer(node) && segments.length < MAX_TREE_DEPTH)
        for (const [k, child] of childrenOf(node)) visit(child, [...segments, k]);
    };
    visit(this.root, []);
    for (const segs of hits)
      for (let i = 0; i < segs.length; i++) this.expanded.add(i === 0 ? '' : JSON.stringify(segs.slice(0, i)));
    this.flatten();
    const ids = new Set(hits.map((s) => (s.length ? JSON.stringify(s) : '')));
    const rows: number[] = [];
    this.rows.forEach((r, i) => {
      if (ids.has(r.id)) rows.push(i);
    });
    return { rows, total, count: this.rows.length };
  }
}

/**
 * XML laid out one element per line, indented by depth; an element holding only text stays on one
 * line. Works on the text (not a parsed tree) so that nothing the answer said is lost or reordered.
 */
export function prettyXml(text: string): string {
  const out: string[] = [];
  let depth = 0;
  const parts = text.split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<[^>]+>)/);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === '') continue;
    if (!part.startsWith('<')) {
      const t = part.trim();
      if (t !== '') out.push(`${'  '.repeat(depth)}${t}`);
      continue;
    }
    if (part.startsWith('</')) {
      depth = Math.max(0, depth - 1);
      // <a>text</a> (and <a></a>) stay on one line.
      const opener = parts[i - 2] ?? '';
      const inner = (parts[i - 1] ?? '').trim();
      const simple =
        i >= 2 &&
        opener.startsWith('<') &&
        !opener.startsWith('</') &&
        !opener.startsWith('<!') &&
        !opener.startsWith('<?') &&
        !opener.endsWith('/>');
      if (simple && inner !== '' && out.length >= 2) {
        out[out.length - 2] = `${out[out.length - 2] ?? ''}${inner}${part}`;
        out.pop();
        continue;
      }
      if (simple && inner === '' && out.length >= 1) {
        out[out.length - 1] = `${out[out.length - 1] ?? ''}${part}`;
        continue;
      }
      out.push(`${'  '.repeat(depth)}${part}`);
      continue;
    }
    out.push(`${'  '.repeat(depth)}${part}`);
    if (!part.startsWith('<?') && !part.startsWith('<!') && !part.endsWith('/>')) depth++;
  }
  return out.join('\n');
}
