import { LineCounter, parseDocument, type Document } from 'yaml';
import type { FileProblem } from '../model';
import { parsedJson } from './document-json';

/** Bounds that keep a hostile or mistaken file from exhausting memory or the stack. */
export const documentLimits = { maxBytes: 5 * 1024 * 1024, maxAliasCount: 100, maxDepth: 64 } as const;

/** Where each node of a document sits: what places a problem at its line and column. */
export interface DocumentPositions {
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

/** A document's content, and (on demand: a JSON file is read without them) the positions of its nodes. */
export interface LoadedText {
  data: unknown;
  positions(): DocumentPositions | undefined;
}

export type LoadTextResult = { ok: true; loaded: LoadedText } | { ok: false; problems: FileProblem[] };

export function problem(
  file: string,
  code: string,
  message: string,
  at?: { line: number; col: number },
  path?: Array<string | number>,
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

type Fail = (code: string, message: string, at?: { line: number; col: number }) => LoadTextResult;

/** The checks every document passes before it is parsed: size, content, text, nesting. */
function refusal(body: string, fail: Fail): LoadTextResult | undefined {
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
  return undefined;
}

/** The YAML document with a position for every node; throws what the parser throws. */
function yamlDocument(body: string): DocumentPositions {
  const lineCounter = new LineCounter();
  const doc = parseDocument(body, { lineCounter, uniqueKeys: true, prettyErrors: true, strict: true });
  return { doc, lineCounter };
}

/** The parser's errors as problems (at most MAX_PROBLEMS), each at its line and column. */
function syntaxProblems(file: string, doc: Document.Parsed): FileProblem[] {
  return doc.errors.slice(0, MAX_PROBLEMS).map((e) => {
    const at = e.linePos?.[0];
    const code = e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax';
    const first = e.message.split('\n')[0] ?? e.message;
    const message =
      e.code === 'DUPLICATE_KEY'
        ? 'a key appears twice in the same mapping'
        : first.replace(/ at line \d+, column \d+:?$/, '');
    return problem(file, code, message, at ? { line: at.line, col: at.col } : undefined);
  });
}

/** Parses YAML (and so JSON, which YAML 1.2 contains) with positions kept for every node. */
function loadYaml(body: string, file: string, fail: Fail): LoadTextResult {
  let positions: DocumentPositions;
  try {
    positions = yamlDocument(body);
  } catch (e) {
    if (e instanceof RangeError)
      return fail('too-deep', `the file nests deeper than ${documentLimits.maxDepth} levels`);
    return fail('yaml-syntax', e instanceof Error ? e.message : String(e));
  }
  const { doc } = positions;
  if (doc.errors.some((e) => /call stack/i.test(e.message)))
    return fail('too-deep', `the file nests deeper than ${documentLimits.maxDepth} levels`);
  if (doc.errors.length > 0) return { ok: false, problems: syntaxProblems(file, doc) };
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
  return { ok: true, loaded: { data, positions: () => positions } };
}

/** Options of loadText; `json: false` reads every file through YAML (the tests compare both ways). */
export interface LoadTextOptions {
  json?: boolean;
}

/**
 * Reads a YAML or JSON document. A JSON object or list is read with JSON.parse (several times faster
 * than composing a YAML document, whose positions are only wanted when a problem must be placed), as
 * long as YAML would read it the same; anything else, or anything JSON.parse refuses, goes through
 * YAML, so every problem is reported as before, at its line and column.
 */
export function loadText(text: string, file: string, options: LoadTextOptions = {}): LoadTextResult {
  const fail: Fail = (code, message, at) => ({ ok: false, problems: [problem(file, code, message, at)] });
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const refused = refusal(body, fail);
  if (refused) return refused;
  const json = options.json === false ? undefined : parsedJson(body);
  let result: LoadTextResult;
  if (json) {
    let positions: DocumentPositions | undefined;
    // Placing a schema problem needs the YAML positions: parsed then, once. JSON.parse took the text,
    // so YAML reads it too (parsedJson leaves out every text where the two could differ).
    const positionsOf = (): DocumentPositions | undefined => (positions ??= yamlDocument(body));
    result = { ok: true, loaded: { data: json.value, positions: positionsOf } };
  } else result = loadYaml(body, file, fail);
  if (result.ok && depthOf(result.loaded.data) > documentLimits.maxDepth)
    return fail('too-deep', `the file nests deeper than ${documentLimits.maxDepth} levels`);
  return result;
}
