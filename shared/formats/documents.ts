import { isMap, isNode, isPair, isScalar } from 'yaml';
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
import { loadText, problem, type LoadedText } from './document-text';

export { documentLimits } from './document-text';
export { formatFileProblem } from './document-checks';

/** A loaded document, or every problem found in it (the file itself is never touched). */
export type DocumentResult<T> =
  { ok: true; value: T; warnings?: FileProblem[] } | { ok: false; problems: FileProblem[] };

type Path = Array<string | number>;

/** Line and column of the node at `path`, else of the nearest ancestor that exists. */
function locate(loaded: LoadedText, path: Path, key?: string): { line: number; col: number } | undefined {
  const positions = loaded.positions();
  if (!positions) return undefined;
  const { doc, lineCounter } = positions;
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (!isNode(node) || !node.range) continue;
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) return lineCounter.linePos(pair.key.range[0]);
    }
    return lineCounter.linePos(node.range[0]);
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
