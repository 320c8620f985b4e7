import { LineCounter, parseDocument, type Document } from 'yaml';
import type { FileProblem } from '../model';
import { depthOf, documentLimits, refusalOf, tooDeep } from './document-checks';
import { parsedJson } from './document-json';

export { documentLimits } from './document-checks';

const MAX_PROBLEMS = 20;

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

type Fail = (code: string, message: string, at?: { line: number; col: number }) => LoadTextResult;

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
    if (e instanceof RangeError) return fail(tooDeep.code, tooDeep.message);
    return fail('yaml-syntax', e instanceof Error ? e.message : String(e));
  }
  const { doc } = positions;
  if (doc.errors.some((e) => /call stack/i.test(e.message))) return fail(tooDeep.code, tooDeep.message);
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
    if (e instanceof RangeError) return fail(tooDeep.code, tooDeep.message);
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
  const refused = refusalOf(body);
  if (refused) return fail(refused.code, refused.message);
  const json = options.json === false ? undefined : parsedJson(body);
  let result: LoadTextResult;
  if (json) {
    let positions: DocumentPositions | undefined;
    // Placing a schema problem needs the YAML positions: parsed then, once. JSON.parse took the text,
    // so YAML reads it too (parsedJson leaves out every text where the two could differ).
    const positionsOf = (): DocumentPositions | undefined => (positions ??= yamlDocument(body));
    result = { ok: true, loaded: { data: json.value, positions: positionsOf } };
  } else result = loadYaml(body, file, fail);
  if (result.ok && depthOf(result.loaded.data) > documentLimits.maxDepth) return fail(tooDeep.code, tooDeep.message);
  return result;
}
