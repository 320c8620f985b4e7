import {
  Document,
  LineCounter,
  Scalar,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
} from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import type { FileProblem } from '../model';

/**
 * YAML files of a collection: read with hard limits (size, alias expansion, nesting, duplicate keys),
 * validated against the model with problems that name file, line and field path, and written back by
 * editing the parsed document in place, so comments, key order and quoting of hand-written files
 * survive an edit made in the app, and an unchanged value gives the very same bytes.
 */

export const yamlLimits = {
  /** Characters in one YAML file; a webhook or context is a few KB, a big field catalog a few hundred. */
  maxChars: 4 * 1024 * 1024,
  /** Alias uses per document: enough for hand-written reuse, far too few for a "billion laughs" bomb. */
  maxAliasCount: 100,
  /** Nesting of maps and sequences; the model is at most five deep. */
  maxDepth: 32,
} as const;

export const stringifyOptions = { indent: 2, lineWidth: 0, minContentWidth: 0 } as const;

export type ReadYaml =
  { ok: true; doc: Document; value: unknown; lines: LineCounter } | { ok: false; problems: FileProblem[] };

function lineOf(lines: LineCounter, offset: number | undefined): { line?: number; column?: number } {
  if (offset === undefined) return {};
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function depthOf(value: unknown): number {
  let max = 0;
  const stack: { v: unknown; d: number }[] = [{ v: value, d: 0 }];
  while (stack.length) {
    const { v, d } = stack.pop() as { v: unknown; d: number };
    if (d > max) max = d;
    if (d > yamlLimits.maxDepth) return d;
    if (Array.isArray(v)) for (const x of v) stack.push({ v: x, d: d + 1 });
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stack.push({ v: x, d: d + 1 });
  }
  return max;
}

/** Parses one YAML file; every failure is a FileProblem, never an exception. */
export function readYaml(text: string, file: string): ReadYaml {
  if (text.length > yamlLimits.maxChars) {
    return {
      ok: false,
      problems: [
        {
          file,
          code: 'file-too-large',
          message: `${file} has ${text.length} characters; the limit for a collection file is ${yamlLimits.maxChars}`,
        },
      ],
    };
  }
  if (text.includes('\u0000')) {
    const offset = text.indexOf('\u0000');
    const line = text.slice(0, offset).split('\n').length;
    return {
      ok: false,
      problems: [
        { file, line, code: 'binary-file', message: `${file} holds a NUL byte at line ${line}: it is not a text file` },
      ],
    };
  }
  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (e) {
    return {
      ok: false,
      problems: [{ file, code: 'yaml-unreadable', message: `${file}: ${e instanceof Error ? e.message : String(e)}` }],
    };
  }
  if (doc.errors.length) {
    return {
      ok: false,
      problems: doc.errors.map((err) => {
        const first = err.message.split('\n')[0] ?? err.message;
        const why =
          err.code === 'DUPLICATE_KEY'
            ? 'a key appears twice in the same mapping'
            : /call stack/i.test(first)
              ? `nested too deeply (${first})`
              : first;
        return {
          file,
          ...lineOf(lines, err.pos[0]),
          code: err.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax',
          message: `${file}: ${why}`,
        };
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: yamlLimits.maxAliasCount });
  } catch (e) {
    const why =
      e instanceof ReferenceError && /alias/i.test(e.message)
        ? `its aliases expand beyond ${yamlLimits.maxAliasCount} uses (an alias bomb?)`
        : e instanceof RangeError
          ? 'nested too deeply to read'
          : e instanceof Error
            ? e.message
            : String(e);
    return { ok: false, problems: [{ file, code: 'yaml-hostile', message: `${file}: ${why}` }] };
  }
  if (depthOf(value) > yamlLimits.maxDepth) {
    return {
      ok: false,
      problems: [{ file, code: 'yaml-too-deep', message: `${file}: nested deeper than ${yamlLimits.maxDepth} levels` }],
    };
  }
  return { ok: true, doc, value, lines };
}

/** Where a dotted path points in the document, for a problem's line. */
function offsetOfPath(doc: Document, path: (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}

export type Validated<T> = { ok: true; value: T; doc: Document } | { ok: false; problems: FileProblem[] };

/** Reads and checks a file against a model schema; each schema issue names its line and field path. */
export function readModelFile<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
  /** How a field path reads in the message (`rule 2, status`); dotted (`1.status`) without it. */
  place?: (path: readonly (string | number)[]) => string,
): Validated<z.output<S>> {
  const read = readYaml(text, file);
  if (!read.ok) return read;
  const parsed = schema.safeParse(read.value === null || read.value === undefined ? {} : read.value);
  if (parsed.success) return { ok: true, value: parsed.data, doc: read.doc };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const dotted = path.map(String).join('.');
      return {
        file,
        ...lineOf(read.lines, offsetOfPath(read.doc, path)),
        ...(dotted ? { path: dotted } : {}),
        code: 'invalid-field',
        message: `${file}${dotted ? ` at ${place ? place(path) : dotted}` : ''}: ${issue.message}`,
      };
    }),
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function scalarKey(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (typeof key === 'string') return key;
  return undefined;
}

/**
 * Makes `node` hold `next`, touching only what differs. `before` is what the old file meant once the
 * schema filled its defaults: a key the file leaves out stays out while its meaning is unchanged, so
 * a hand-written file that relies on `method: POST` being the default does not grow that line.
 */
function patchNode(doc: Document, node: unknown, next: unknown, before: unknown): unknown {
  if (isNode(node) && !isAlias(node) && deepEqual(node.toJS(doc), next)) return node;
  if (isAlias(node) && deepEqual(node.resolve(doc)?.toJS(doc), next)) return node;
  if (isPlainObject(next) && isMap(node)) {
    const order = Object.keys(next);
    const map = node;
    map.items = map.items.filter((pair) => {
      const k = scalarKey(pair.key);
      return k !== undefined && next[k] !== undefined;
    });
    for (const pair of map.items) {
      const k = scalarKey(pair.key) as string;
      pair.value = patchNode(doc, pair.value, next[k], isPlainObject(before) ? before[k] : undefined);
    }
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined) continue;
      if (map.items.some((p) => scalarKey(p.key) === k)) continue;
      if (isPlainObject(before) && deepEqual(before[k], v)) continue;
      const rank = order.indexOf(k);
      const at = map.items.findIndex((p) => order.indexOf(scalarKey(p.key) ?? '') > rank);
      const pair = doc.createPair(k, v);
      if (at < 0) map.items.push(pair);
      else map.items.splice(at, 0, pair);
    }
    return map;
  }
  if (Array.isArray(next) && isSeq(node)) {
    const seq = node;
    seq.items = seq.items.slice(0, next.length);
    for (let i = 0; i < next.length; i++) {
      const prior: unknown = Array.isArray(before) ? (before as unknown[])[i] : undefined;
      seq.items[i] =
        i < seq.items.length ? patchNode(doc, seq.items[i], next[i], prior) : doc.createNode(next[i] as unknown);
    }
    return seq;
  }
  if (isScalar(node) && (next === null || ['string', 'number', 'boolean'].includes(typeof next))) {
    const scalar = node;
    scalar.value = next;
    // A plain style cannot carry every new value (e.g. a line break): let the writer choose.
    if (scalar.type === Scalar.PLAIN) scalar.type = undefined;
    return scalar;
  }
  return doc.createNode(next);
}

/**
 * The new text of a file whose content becomes `next` (in canonical key order, undefined = absent).
 * `oldText` is the file as it is on disk (or undefined for a new file); `meaning` turns a parsed
 * document into its effective value (schema defaults filled) so unchanged defaults are not written.
 */
export function writeYamlText(
  oldText: string | undefined,
  next: Record<string, unknown> | unknown[],
  meaning: (raw: unknown) => unknown,
): string {
  if (oldText !== undefined) {
    const read = readYaml(oldText, 'file');
    if (read.ok && (isMap(read.doc.contents) || isSeq(read.doc.contents))) {
      let before: unknown;
      try {
        before = meaning(read.value);
      } catch {
        before = undefined;
      }
      if (before !== undefined && deepEqual(before, meaningOrUndefined(meaning, next))) return oldText;
      read.doc.contents = patchNode(read.doc, read.doc.contents, next, before) as YamlNode;
      return keepLineEnds(oldText, read.doc.toString(stringifyOptions));
    }
  }
  return freshYaml(next);
}

/**
 * A file edited on Windows keeps its CRLF line ends and a leading byte-order mark keeps its place, so
 * an edit in the app does not show up as a change of every line. (YAML reads CRLF in block scalars as
 * LF, so the meaning is the same.)
 */
function keepLineEnds(oldText: string, out: string): string {
  let text = out;
  if (oldText.includes('\r\n') && !/(^|[^\r])\n/.test(oldText)) text = text.replace(/\n/g, '\r\n');
  if (oldText.startsWith('\uFEFF') && !text.startsWith('\uFEFF')) text = `\uFEFF${text}`;
  return text;
}

function meaningOrUndefined(meaning: (raw: unknown) => unknown, value: unknown): unknown {
  try {
    return meaning(value);
  } catch {
    return undefined;
  }
}

export function freshYaml(value: unknown): string {
  const doc = new Document(value);
  return doc.toString(stringifyOptions);
}

/**
 * Canonical form for `fmt`: keys in the model's order (unknown keys after, as they were), scalars in
 * the writer's default style, two-space indent, comments kept. `canonical` gives, for the file's
 * value, the same value with keys in canonical order, which drives the reordering.
 */
export function formatYamlText(text: string, canonical: unknown): string {
  const read = readYaml(text, 'file');
  if (!read.ok) return text;
  const reorder = (node: unknown, shape: unknown): void => {
    if (isMap(node) && isPlainObject(shape)) {
      const order = Object.keys(shape);
      const rank = (p: unknown): number => {
        const k = isPair(p) ? scalarKey(p.key) : undefined;
        const i = k === undefined ? -1 : order.indexOf(k);
        return i < 0 ? order.length : i;
      };
      const items = [...node.items];
      node.items = items
        .map((p, i) => ({ p, i }))
        .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
        .map((x) => x.p);
      for (const pair of node.items) {
        const k = scalarKey(pair.key);
        if (k !== undefined) reorder(pair.value, shape[k]);
      }
    } else if (isSeq(node) && Array.isArray(shape)) {
      node.items.forEach((item, i) => reorder(item, shape[i]));
    }
  };
  reorder(read.doc.contents, canonical);
  visit(read.doc, {
    Scalar(_key, node) {
      if (node.type !== Scalar.BLOCK_LITERAL) node.type = undefined;
    },
  });
  return keepLineEnds(text, read.doc.toString(stringifyOptions));
}
