import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import {
  fieldCatalogSchema,
  profileSchema,
  tokenContextSchema,
  webhookSchema,
  type FieldCatalog,
  type FileProblem,
  type Profile,
  type TokenContext,
  type Webhook,
} from '../model';
import { catalogFromDescribe } from '../catalog';

/** A loaded document, or every problem found in it (the file itself is never touched). */
export type DocumentResult<T> =
  { ok: true; value: T; warnings?: FileProblem[] } | { ok: false; problems: FileProblem[] };

/** Bounds that keep a hostile or mistaken file from exhausting memory or the stack. */
export const documentLimits = { maxBytes: 5 * 1024 * 1024, maxAliasCount: 100, maxDepth: 64 } as const;

type Path = Array<string | number>;

interface LoadedText {
  doc: Document.Parsed;
  data: unknown;
  lineCounter: LineCounter;
}

function problem(
  file: string,
  code: string,
  message: string,
  at?: { line: number; col: number },
  path?: Path,
): FileProblem {
  const p: FileProblem = { file, code, message };
  if (at) {
    p.line = at.line;
    p.column = at.col;
  }
  if (path && path.length > 0) p.path = path.join('.');
  return p;
}

/** Rough UTF-8 size without encoding the text (each UTF-16 unit is at most 3 bytes). */
function byteSize(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 || (c >= 0xdc00 && c <= 0xdfff) ? 2 : 3;
  }
  return n;
}

const MAX_PROBLEMS = 20;

/**
 * The deepest `[`/`{` nesting outside quoted strings, checked before parsing: the YAML composer recurses
 * per level, so a file of 100 000 `[` would exhaust the stack before any other check could run.
 */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 92 && quote === 34) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 34 || (c === 39 && i > 0 && /[\s[{,:]/.test(text[i - 1] ?? ''))) quote = c;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
  return max;
}

/** Nesting depth of a plain value, without recursion. */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: unknown; d: number };
    if (d > max) max = d;
    if (v !== null && typeof v === 'object')
      for (const child of Object.values(v as Record<string, unknown>)) stack.push({ v: child, d: d + 1 });
  }
  return max;
}

/** Parses YAML (and so JSON, which YAML 1.2 contains) with positions kept for every node. */
function loadText(
  text: string,
  file: string,
): { ok: true; loaded: LoadedText } | { ok: false; problems: FileProblem[] } {
  const fail = (code: string, message: string, at?: { line: number; col: number }) => ({
    ok: false as const,
    problems: [problem(file, code, message, at)],
  });
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (byteSize(body) > documentLimits.maxBytes)
    return fail('file-too-large', `the file is larger than ${documentLimits.maxBytes / 1024 / 1024} MiB`);
  if (body.trim() === '') return fail('empty-file', 'the file is empty');
  const nul = body.indexOf('\u0000');
  // Counting C0 control characters is how a binary file is told from text.
  // eslint-disable-next-line no-control-regex -- the control characters are what is being counted
  const controls = body.match(/[\u0000-\u0008\u000e-\u001f]/g)?.length ?? 0;
  if (nul >= 0 || controls > 8) return fail('binary-file', 'the file is binary, not YAML or JSON text');
  if (flowDepth(body) > documentLimits.maxDepth)
    return fail('too-deep', `the file nests deeper than ${documentLimits.maxDepth} levels`);
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(body, { lineCounter, uniqueKeys: true, prettyErrors: true, strict: true });
  } catch (e) {
    if (e instanceof RangeError)
      return fail('too-deep', `the file nests deeper than ${documentLimits.maxDepth} levels`);
    return fail('yaml-syntax', e instanceof Error ? e.message : String(e));
  }
  if (doc.errors.some((e) => /call stack/i.test(e.message)))
    return fail('too-deep', `the file nests deeper than ${documentLimits.maxDepth} levels`);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.slice(0, MAX_PROBLEMS).map((e) => {
        const at = e.linePos?.[0];
        const code = e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax';
        const first = e.message.split('\n')[0] ?? e.message;
        const message =
          e.code === 'DUPLICATE_KEY'
            ? 'a key appears twice in the same mapping'
            : first.replace(/ at line \d+, column \d+:?$/, '');
        return problem(file, code, message, at ? { line: at.line, col: at.col } : undefined);
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: documentLimits.maxAliasCount });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/excessive alias count/i.test(message))
      return fail(
        'alias-limit',
        `the file expands aliases beyond the limit of ${documentLimits.maxAliasCount} (refused: it looks like an alias bomb)`,
      );
    if (e instanceof RangeError)
      return fail('too-deep', `the file nests deeper than ${documentLimits.maxDepth} levels`);
    return fail('yaml-syntax', message);
  }
  if (data === null || data === undefined)
    return fail('empty-file', 'the file holds no content (only comments or blank lines)');
  if (depthOf(data) > documentLimits.maxDepth)
    return fail('too-deep', `the file nests deeper than ${documentLimits.maxDepth} levels`);
  return { ok: true, loaded: { doc, data, lineCounter } };
}

/** Line and column of the node at `path`, else of the nearest ancestor that exists. */
function locate(loaded: LoadedText, path: Path, key?: string): { line: number; col: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? loaded.doc.contents : loaded.doc.getIn(path.slice(0, n), true);
    if (!isNode(node) || !node.range) continue;
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) return loaded.lineCounter.linePos(pair.key.range[0]);
    }
    return loaded.lineCounter.linePos(node.range[0]);
  }
  return undefined;
}

function describeReceived(loaded: LoadedText, path: Path): string {
  let v: unknown = loaded.data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return 'nothing';
    v = (v as Record<string | number, unknown>)[p];
  }
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** zod issues as problems naming the field path, the line, what was expected and what was found. */
function schemaProblems(loaded: LoadedText, file: string, issues: z.core.$ZodIssue[]): FileProblem[] {
  const problems: FileProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = locate(loaded, path, key);
        problems.push(
          problem(file, 'unknown-field', `${[...path, key].join('.')}: '${key}' is not a field here`, at, [
            ...path,
            key,
          ]),
        );
      }
      continue;
    }
    const where = path.length > 0 ? path.join('.') : '(document)';
    let expected = issue.message;
    if (issue.code === 'invalid_type') expected = `expected ${issue.expected}, found ${describeReceived(loaded, path)}`;
    else if (issue.code === 'invalid_value')
      expected = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${describeReceived(loaded, path)}`;
    const missing = describeReceived(loaded, path) === 'nothing';
    problems.push(
      problem(
        file,
        missing ? 'missing-field' : 'invalid-value',
        `${where}: ${missing && issue.code === 'invalid_type' ? `required (${expected})` : expected}`,
        locate(loaded, path),
        path,
      ),
    );
  }
  return problems;
}

/** The whole document has the wrong shape: one problem at its first character. */
function invalidDocument(file: string, message: string): { ok: false; problems: FileProblem[] } {
  return { ok: false, problems: [problem(file, 'invalid-value', message, { line: 1, col: 1 })] };
}

function parseWith<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
  what: string,
): DocumentResult<z.output<S>> {
  const loaded = loadText(text, file);
  if (!loaded.ok) return loaded;
  const data = loaded.loaded.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const found = Array.isArray(data) ? 'a list' : data === null ? 'nothing' : typeof data;
    return invalidDocument(file, `expected a ${what} (a mapping of fields), found ${found}`);
  }
  const result = schema.safeParse(data);
  if (!result.success) return { ok: false, problems: schemaProblems(loaded.loaded, file, result.error.issues) };
  return { ok: true, value: result.data };
}

export function parseWebhookDocument(text: string, file: string): DocumentResult<Webhook> {
  return parseWith(webhookSchema, text, file, 'webhook');
}

export function parseContextDocument(text: string, file: string): DocumentResult<TokenContext> {
  return parseWith(tokenContextSchema, text, file, 'token context');
}

const profilePartialSchema = profileSchema.partial();

/** Only the options the file sets: the rest stay defaults, so output can say which ones were assumed. */
export function parseProfileDocument(text: string, file: string): DocumentResult<Partial<Profile>> {
  const r = parseWith(profilePartialSchema, text, file, 'profile');
  if (!r.ok) return r;
  // zod fills defaults even in a partial schema; keep only the keys the file wrote.
  const loaded = loadText(text, file);
  const written =
    loaded.ok && loaded.loaded.data !== null && typeof loaded.loaded.data === 'object'
      ? Object.keys(loaded.loaded.data)
      : [];
  const value: Partial<Profile> = {};
  for (const [k, v] of Object.entries(r.value)) if (written.includes(k)) (value as Record<string, unknown>)[k] = v;
  return { ok: true, value };
}

/**
 * A field catalog: a YAML/JSON list of `{displayName, soapName, restName, type}`, or the JSON that
 * Marketo's Describe Lead returns (items it cannot carry come back as warnings).
 */
export function parseCatalogDocument(text: string, file: string): DocumentResult<FieldCatalog> {
  const loaded = loadText(text, file);
  if (!loaded.ok) return loaded;
  const data = loaded.loaded.data;
  if (
    data !== null &&
    typeof data === 'object' &&
    !Array.isArray(data) &&
    Array.isArray((data as Record<string, unknown>)['result'])
  ) {
    const { fields, notCarried } = catalogFromDescribe(data);
    const warnings = notCarried.map((n) => problem(file, 'field-not-carried', `${n.item}: ${n.reason}`));
    return warnings.length > 0 ? { ok: true, value: fields, warnings } : { ok: true, value: fields };
  }
  if (!Array.isArray(data)) {
    return invalidDocument(
      file,
      'expected a list of lead fields ({displayName, soapName, restName, type}) or a Describe Lead response',
    );
  }
  const result = fieldCatalogSchema.safeParse(data);
  if (!result.success) return { ok: false, problems: schemaProblems(loaded.loaded, file, result.error.issues) };
  return { ok: true, value: result.data };
}

/** `file:line:column: message` for one problem, as the CLI and logs print it. */
export function formatFileProblem(p: FileProblem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return `${where}: ${p.message}`;
}
