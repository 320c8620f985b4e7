import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  defaultProfile,
  maxResponseDepthCeiling,
  type Diagnostic,
  type FieldCatalog,
  type LeadField,
  type MappingReport,
  type MappingResult,
  type Profile,
  type Scalar,
  type TokenContext,
  type Webhook,
} from '../model';
import { defaultFieldCatalog, findFieldByAnyName, findFieldBySoapName } from '../catalog';
import { parseMappingPath, type ParsedPath, type PathStep } from './mapping-path';
import { ProfileUse } from './render';
import { jsonDepthExceeded, jsonErrorOffset } from './json-error';
import { lineColumn, utf8Length } from './text';

/** `tooDeep`: the body nests deeper than the profile's maxResponseDepth, so it was not read at all. */
export type ParsedBody =
  | { ok: true; tree: unknown; diagnostics: readonly Diagnostic[] }
  | { ok: false; message: string; line?: number; column?: number; tooDeep?: true };

type XmlNode = Record<string, unknown>;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const xmlEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined XML entities and character references; DOCTYPE entities are never expanded. */
function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9A-Fa-f]+|#\d+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return safeCodePoint(parseInt(ref.slice(2), 16)) ?? whole;
    if (ref.startsWith('#')) return safeCodePoint(parseInt(ref.slice(1), 10)) ?? whole;
    return xmlEntities[ref] ?? whole;
  });
}

function safeCodePoint(cp: number): string | undefined {
  return Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
}

/** The profile's depth, never above the ceiling (a profile handed in unchecked could ask for more). */
function depthLimit(profile: Partial<Profile>): number {
  const asked = profile.maxResponseDepth ?? defaultProfile.maxResponseDepth;
  return asked >= 1 && asked <= maxResponseDepthCeiling ? asked : maxResponseDepthCeiling;
}

function xmlParser(profile: Profile): XMLParser {
  return new XMLParser({
    // The parser stops past this many open ancestors (so depth - 1); buildXmlElement recurses once per level.
    maxNestedTags: depthLimit(profile) - 1,
    preserveOrder: true,
    // Entity expansion stays off: a DOCTYPE cannot make the parser expand entities (billion laughs).
    processEntities: false,
    ignoreAttributes: profile.xmlAttributes === 'ignore',
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: false,
  });
}

/** An own property even for a name like `__proto__` (an element name is the response's choice). */
function setOwn(node: XmlNode, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Builds the tree mapping paths walk: an element with only text is its (decoded) text; otherwise an
 * object of child name → element, or → array when the name repeats (spec §4: repeated siblings form an
 * array). Mixed unique and repeated children are warned about: Marketo calls that undefined behaviour.
 */
function buildXmlElement(
  children: unknown[],
  attrs: Obj | undefined,
  path: string,
  diagnostics: Diagnostic[],
  profile: Profile,
): unknown {
  const groups = new Map<string, unknown[]>();
  let text = '';
  for (const child of children) {
    if (!isObj(child)) continue;
    for (const key of Object.keys(child)) {
      if (key === ':@') continue;
      const value = child[key];
      if (key === '#text') {
        text += typeof value === 'string' || typeof value === 'number' ? String(value) : '';
        continue;
      }
      if (key.startsWith('?') || key === '#comment') continue;
      const childAttrs = isObj(child[':@']) ? (child[':@'] as Obj) : undefined;
      const element = buildXmlElement(
        Array.isArray(value) ? value : [],
        childAttrs,
        `${path}.${key}`,
        diagnostics,
        profile,
      );
      const list = groups.get(key);
      if (list) list.push(element);
      else groups.set(key, [element]);
    }
  }
  const attrKeys = profile.xmlAttributes === 'as-keys' && attrs ? Object.keys(attrs) : [];
  if (groups.size === 0 && attrKeys.length === 0) return decodeXmlText(text);
  const node: XmlNode = {};
  let unique = 0;
  let repeated = 0;
  for (const [name, list] of groups) {
    if (list.length === 1) {
      setOwn(node, name, list[0]);
      unique++;
    } else {
      setOwn(node, name, list);
      repeated++;
    }
  }
  for (const k of attrKeys)
    if (!Object.prototype.hasOwnProperty.call(node, k)) setOwn(node, k, decodeXmlText(String(attrs?.[k] ?? '')));
  if (unique > 0 && repeated > 0) {
    diagnostics.push({
      severity: 'warning',
      code: 'xml-mixed-children',
      message: `<${path.split('.').pop()}> at ${path} has both unique and repeated child elements; Marketo documents mappings inside such an element as undefined behaviour`,
      location: { part: 'mapping', path },
    });
  }
  return node;
}

/** JSON parsing has no diagnostics of its own (only XML does): one frozen list serves every parse. */
const noDiagnostics: readonly Diagnostic[] = Object.freeze([]);

function tooDeep(what: 'JSON' | 'XML', maxDepth: number, at?: { line: number; column: number }): ParsedBody {
  const where = at ? ` at line ${at.line}, column ${at.column}` : '';
  const body: ParsedBody = {
    ok: false,
    tooDeep: true,
    message: `the response ${what} nests deeper than ${maxDepth} levels${where} (profile maxResponseDepth); it is not read, so no mapping is written`,
  };
  if (at) {
    body.line = at.line;
    body.column = at.column;
  }
  return body;
}

function parseJsonBody(body: string, maxDepth: number): ParsedBody {
  const deep = jsonDepthExceeded(body, maxDepth);
  if (deep >= 0) return tooDeep('JSON', maxDepth, lineColumn(body, deep));
  try {
    return { ok: true, tree: JSON.parse(body) as unknown, diagnostics: noDiagnostics };
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e))
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/, ".*" is not valid JSON$/s, '');
    const offset = jsonErrorOffset(body);
    if (offset < 0) return { ok: false, message: `the response is not valid JSON: ${message}` };
    const { line, column } = lineColumn(body, offset);
    return {
      ok: false,
      message: `the response is not valid JSON at line ${line}, column ${column}: ${message}`,
      line,
      column,
    };
  }
}

export function parseResponseBody(
  body: string,
  responseType: 'json' | 'xml',
  profile: Partial<Profile> = {},
): ParsedBody {
  // No profile copy for JSON: a run parses one answer per lead.
  if (responseType === 'json') return parseJsonBody(body, depthLimit(profile));
  const p: Profile = { ...defaultProfile, ...profile };
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('<'))
    return { ok: false, message: 'the response is not XML: it does not start with an element', line: 1, column: 1 };
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    return {
      ok: false,
      message: `the response is not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`,
      line: valid.err.line,
      column: valid.err.col,
    };
  }
  let parsed: unknown;
  try {
    parsed = xmlParser(p).parse(body);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // fast-xml-parser's maxNestedTags error: the one place a deep XML body is caught.
    if (/maximum nested tags/i.test(message)) return tooDeep('XML', depthLimit(p));
    return { ok: false, message: `the response is not well-formed XML: ${message}` };
  }
  const diagnostics: Diagnostic[] = [];
  if (/<!DOCTYPE[^>]*\[[\s\S]*<!ENTITY/i.test(body)) {
    diagnostics.push({
      severity: 'warning',
      code: 'xml-entities-not-expanded',
      message:
        'the response declares DOCTYPE entities; they are not expanded (entity expansion is off), so such references stay as written',
    });
  }
  const tree: Obj = {};
  for (const top of Array.isArray(parsed) ? parsed : []) {
    if (!isObj(top)) continue;
    for (const key of Object.keys(top)) {
      if (key === ':@' || key === '#text' || key === '#comment' || key.startsWith('?')) continue;
      const value = top[key];
      const attrs = isObj(top[':@']) ? (top[':@'] as Obj) : undefined;
      setOwn(tree, key, buildXmlElement(Array.isArray(value) ? value : [], attrs, key, diagnostics, p));
    }
  }
  if (Object.keys(tree).length === 0) return { ok: false, message: 'the response holds no XML element' };
  if (p.xmlAttributes === 'as-keys' && /<[^!?/][^>]*\s[\w:-]+\s*=/.test(body)) {
    diagnostics.push({
      severity: 'info',
      code: 'xml-attributes',
      message: 'XML attributes are reachable as keys (profile xmlAttributes: as-keys)',
    });
  }
  return { ok: true, tree, diagnostics };
}

export const reasonPhrases: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

type Walk =
  { found: true; value: unknown } | { found: false; reason: 'path-not-found' | 'invalid-path'; message: string };

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (isObj(v)) return 'an object';
  return JSON.stringify(v) ?? String(v);
}

function walk(tree: unknown, steps: PathStep[], responseType: 'json' | 'xml', pu: ProfileUse): Walk {
  let cur = tree;
  let at = '';
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s] as PathStep;
    if ('key' in step) {
      if (!isObj(cur)) {
        const hint = Array.isArray(cur) ? `; it is an array, so index it first (${at}[0].${step.key})` : '';
        return {
          found: false,
          reason: 'path-not-found',
          message: `${at === '' ? 'the response' : at} is ${describeValue(cur)}, which has no key '${step.key}'${hint}`,
        };
      }
      if (!Object.prototype.hasOwnProperty.call(cur, step.key)) {
        if (s === 0 && responseType === 'xml') {
          const root = Object.keys(cur)[0] ?? '';
          return {
            found: false,
            reason: 'path-not-found',
            message: `an XML path starts with the root element: '${root}', not '${step.key}' (try ${root}.${step.key})`,
          };
        }
        return {
          found: false,
          reason: 'path-not-found',
          message: `${at === '' ? 'the response' : at} has no key '${step.key}'`,
        };
      }
      cur = cur[step.key];
      at = at === '' ? step.key : `${at}.${step.key}`;
    } else {
      if (s === 0 && responseType === 'json') {
        pu.use('jsonRootArray');
        if (pu.profile.jsonRootArray === 'refuse') {
          return {
            found: false,
            reason: 'invalid-path',
            message:
              'the path starts with an index; the profile (jsonRootArray: refuse) does not allow indexing a root-level array',
          };
        }
      }
      if (Array.isArray(cur)) {
        if (step.index >= cur.length)
          return {
            found: false,
            reason: 'path-not-found',
            message: `${at === '' ? 'the response' : at} has ${cur.length} elements; [${step.index}] does not exist`,
          };
        cur = cur[step.index];
      } else if (responseType === 'xml' && step.index === 0 && s > 0) {
        pu.use('xmlSingleElementIndex');
        if (pu.profile.xmlSingleElementIndex === 'bare-only') {
          return {
            found: false,
            reason: 'path-not-found',
            message: `<${at.split('.').pop()}> occurs once, so it is not an array (profile xmlSingleElementIndex: bare-only)`,
          };
        }
      } else {
        return {
          found: false,
          reason: 'path-not-found',
          message: `${at === '' ? 'the response' : at} is ${describeValue(cur)}, not an array; [${step.index}] does not apply`,
        };
      }
      at = `${at}[${step.index}]`;
    }
  }
  return { found: true, value: cur };
}

type Coerced = { ok: true; value: Scalar; message?: string } | { ok: false; reason: string; message: string };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The value as the lead field would hold it. JSON keeps its types (a JSON string never goes into a
 * number field: DEV-RM); XML has only text, so numeric text is a number there.
 */
function coerce(value: unknown, field: LeadField, responseType: 'json' | 'xml', pu: ProfileUse): Coerced {
  const mismatch = (what: string): Coerced => ({
    ok: false,
    reason: 'type-mismatch',
    message: `${what} cannot go into ${field.soapName ?? field.displayName}, ${/^[aeiou]/i.test(field.type) ? 'an' : 'a'} ${field.type} field`,
  });
  if (Array.isArray(value) || isObj(value)) {
    if (['string', 'text', 'email', 'phone', 'url'].includes(field.type)) {
      pu.use('nestedValueToString');
      if (pu.profile.nestedValueToString === 'json') return checkLength(JSON.stringify(value), field, pu);
    }
    return {
      ok: false,
      reason: 'nested-value',
      message: `the value is ${describeValue(value)}, not a single value; Marketo's behaviour here is not documented (profile nestedValueToString)`,
    };
  }
  if (value === null) return { ok: false, reason: 'null-value', message: 'the value is null; nothing is written' };
  const text = typeof value === 'string' ? value : String(value);
  const fromXml = responseType === 'xml';
  switch (field.type) {
    case 'integer':
    case 'score':
      if (typeof value === 'number' && Number.isInteger(value)) return { ok: true, value };
      if (fromXml && /^-?\d+$/.test(text.trim())) return { ok: true, value: Number(text.trim()) };
      return mismatch(typeof value === 'string' ? `the string ${JSON.stringify(value)}` : describeValue(value));
    case 'float':
    case 'currency':
      if (typeof value === 'number') return { ok: true, value };
      if (fromXml && /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text.trim()))
        return { ok: true, value: Number(text.trim()) };
      return mismatch(typeof value === 'string' ? `the string ${JSON.stringify(value)}` : describeValue(value));
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (/^(true|false)$/i.test(text.trim())) return { ok: true, value: text.trim().toLowerCase() === 'true' };
      return mismatch(describeValue(value));
    case 'date':
      if (typeof value === 'string' && ISO_DATE.test(value.trim())) return { ok: true, value: value.trim() };
      return mismatch(describeValue(value));
    case 'datetime':
      if (typeof value === 'string' && (ISO_DATETIME.test(value.trim()) || ISO_DATE.test(value.trim())))
        return { ok: true, value: value.trim() };
      return mismatch(describeValue(value));
    default:
      return checkLength(text, field, pu);
  }
}

function checkLength(text: string, field: LeadField, pu: ProfileUse): Coerced {
  const limit = field.length ?? (field.type === 'string' ? 255 : undefined);
  const textLimit = field.type === 'text' ? 30_000 : undefined;
  const over = limit !== undefined ? text.length > limit : textLimit !== undefined && utf8Length(text) > textLimit;
  if (!over) return { ok: true, value: text };
  pu.use('overLengthString');
  const what = limit !== undefined ? `${limit} characters` : `${textLimit} bytes`;
  if (pu.profile.overLengthString === 'refuse') {
    return {
      ok: false,
      reason: 'over-length',
      message: `the value is longer than ${field.soapName ?? field.displayName} holds (${what}); the profile does not write it`,
    };
  }
  const cut = limit !== undefined ? text.slice(0, limit) : text.slice(0, textLimit);
  return {
    ok: true,
    value: cut,
    message: `the value is longer than the field holds (${what}); written truncated (profile overLengthString)`,
  };
}

// A run evaluates the same webhook for lead after lead: the SOAP name of each lead key and each mapping's
// parsed path are worked out once per catalog and per attribute text, not per response.
const soapKeys = new WeakMap<FieldCatalog, Map<string, string>>();
const PATH_CACHE_LIMIT = 256;
const parsedPaths = new Map<string, ParsedPath>();

function parsedPath(attribute: string): ParsedPath {
  let parsed = parsedPaths.get(attribute);
  if (parsed === undefined) {
    parsed = parseMappingPath(attribute);
    if (parsedPaths.size >= PATH_CACHE_LIMIT) parsedPaths.clear();
    parsedPaths.set(attribute, parsed);
  }
  return parsed;
}

/**
 * context.lead keyed by SOAP name, so before/after line up with what mappings write: into `lead` and
 * `copy` alike, two objects built the same way rather than one copied (a copy, by spread or
 * Object.assign, cost more than building both).
 */
function leadBySoapName(
  context: TokenContext | undefined,
  catalog: FieldCatalog,
  lead: Record<string, Scalar>,
  copy: Record<string, Scalar>,
): void {
  const source = context?.lead;
  if (!source) return;
  let keys = soapKeys.get(catalog);
  if (!keys) {
    keys = new Map();
    soapKeys.set(catalog, keys);
  }
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    let soap = keys.get(key);
    if (soap === undefined) {
      const field = findFieldByAnyName(catalog, key);
      soap = field?.soapName ?? field?.displayName ?? key;
      if (keys.size < PATH_CACHE_LIMIT) keys.set(key, soap);
    }
    const value = source[key] as Scalar;
    lead[soap] = value;
    copy[soap] = value;
  }
}

/** The first reason a mapping is not written is the one reported. */
function notWritten(result: MappingResult, reason: string, message: string): void {
  result.reason ??= reason;
  result.message ??= message;
}

/** Each mapping's lead field (by SOAP name) and parsed path: the same for every response to one webhook. */
interface MappingPlan {
  field: LeadField | undefined;
  path: ParsedPath;
}
type Mappings = Webhook['mappings'];
const plansByMappings = new WeakMap<
  Mappings,
  { catalog: FieldCatalog; attributes: string[]; fields: string[]; plans: MappingPlan[] }
>();

/**
 * The plans for a webhook's mappings, kept per mappings list and checked against the texts they were
 * made from, so a list changed in place is planned again rather than answered stale.
 */
function mappingPlans(mappings: Mappings, catalog: FieldCatalog): MappingPlan[] {
  const known = plansByMappings.get(mappings);
  if (known !== undefined && known.catalog === catalog && known.plans.length === mappings.length) {
    let same = true;
    for (let i = 0; i < mappings.length && same; i++) {
      const m = mappings[i] as Mappings[number];
      same = m.attribute === known.attributes[i] && m.field === known.fields[i];
    }
    if (same) return known.plans;
  }
  const plans = mappings.map((m) => ({ field: findFieldBySoapName(catalog, m.field), path: parsedPath(m.attribute) }));
  plansByMappings.set(mappings, {
    catalog,
    attributes: mappings.map((m) => m.attribute),
    fields: mappings.map((m) => m.field),
    plans,
  });
  return plans;
}

export interface EvaluateOptions {
  context?: TokenContext;
  fields?: FieldCatalog;
  profile?: Partial<Profile>;
}

/**
 * What Marketo would do with a response: the outcome, each mapping's value and whether it is written,
 * and the lead before and after. `truncated` says the body was cut at maxResponseBytes (the sender knows).
 */
export function evaluateResponse(
  webhook: Webhook,
  response: { status: number; reason?: string; body: string; truncated?: boolean },
  options: EvaluateOptions = {},
): MappingReport {
  const pu = new ProfileUse(options.profile);
  const catalog = options.fields ?? defaultFieldCatalog;
  const diagnostics: Diagnostic[] = [];
  const before: Record<string, Scalar> = {};
  const after: Record<string, Scalar> = {};
  leadBySoapName(options.context, catalog, before, after);
  const ok2xx = response.status >= 200 && response.status <= 299;
  // Same whitespace as trim(), without copying a large body to find out; a body that starts with a
  // visible ASCII character (the usual answer) needs no scan at all.
  const first = response.body.charCodeAt(0);
  const empty = !(first > 0x20 && first < 0x7f) && !/\S/.test(response.body);
  const report: MappingReport = {
    status: response.status,
    outcome: 'updated',
    mappings: [],
    lead: { before, after },
    diagnostics,
  };
  if (!ok2xx) {
    report.outcome = 'ignored';
    report.errorType =
      response.reason && response.reason !== '' ? response.reason : (reasonPhrases[response.status] ?? '');
    diagnostics.push({
      severity: 'warning',
      code: 'non-2xx',
      message: `HTTP ${response.status}${report.errorType ? ` ${report.errorType}` : ''}: Marketo ignores the response for updating lead fields; the "Webhook is Called" Error Type is '${report.errorType}'`,
    });
  } else if (empty) {
    report.outcome = 'empty-body';
    diagnostics.push({
      severity: 'warning',
      code: 'empty-body',
      message: 'the web service returned an empty body (Marketo code 1001); no lead field is updated',
    });
  }

  if (response.truncated) {
    pu.use('maxResponseBytes');
    diagnostics.push({
      severity: 'warning',
      code: 'response-truncated',
      message: `the response was cut at ${pu.profile.maxResponseBytes} bytes (profile maxResponseBytes); mappings read only what was kept`,
      assumed: pu.isAssumed('maxResponseBytes') ? ['maxResponseBytes'] : undefined,
    });
  }

  const responseType = webhook.responseType ?? 'none';
  let tree: unknown;
  let parseProblem: string | undefined;
  let parseReason = 'unparseable-response';
  if (responseType !== 'none' && !empty && webhook.mappings.length > 0) {
    if (responseType === 'xml' && /<[^!?/\s>][^>]*\s[^\s=>]+\s*=/.test(response.body)) pu.use('xmlAttributes');
    const parsed = parseResponseBody(response.body, responseType, pu.profile);
    if (parsed.ok) {
      tree = parsed.tree;
      for (const d of parsed.diagnostics) diagnostics.push(d);
    } else {
      parseProblem = parsed.message;
      if (parsed.tooDeep) {
        parseReason = 'too-deep';
        pu.use('maxResponseDepth');
      }
      const d: Diagnostic = {
        severity: 'error',
        code: parsed.tooDeep ? 'response-too-deep' : 'response-parse-error',
        message: parsed.message,
      };
      if (parsed.line !== undefined) d.location = { part: 'file', line: parsed.line, column: parsed.column ?? 1 };
      diagnostics.push(d);
    }
  }

  const plans = mappingPlans(webhook.mappings, catalog);
  for (let index = 0; index < webhook.mappings.length; index++) {
    const m = webhook.mappings[index] as Webhook['mappings'][number];
    const { field, path } = plans[index] as MappingPlan;
    const result: MappingResult = {
      index,
      attribute: m.attribute,
      field: m.field,
      found: false,
      value: null,
      coerced: null,
      written: false,
    };
    report.mappings.push(result);
    if (field) result.fieldType = field.type;
    // Marketo writes nothing on a non-2xx, whatever the path: that is every mapping's reason, first.
    if (!ok2xx)
      notWritten(result, 'non-2xx', `HTTP ${response.status}: Marketo updates lead fields only on a 2xx response`);
    if (!path.ok) {
      notWritten(result, 'invalid-path', `the response attribute is not a Marketo path: ${path.message}`);
      continue;
    }
    if (responseType === 'none') {
      notWritten(result, 'response-type-none', "the webhook's response type is None, so Marketo reads no mappings");
      continue;
    }
    if (tree !== undefined) {
      const w = walk(tree, path.steps, responseType, pu);
      if (w.found) {
        result.found = true;
        result.value = w.value === undefined ? null : w.value;
      } else notWritten(result, w.reason, w.message);
    }
    if (!field) {
      const other = findFieldByAnyName(catalog, m.field);
      if (other && other.soapName === undefined)
        notWritten(
          result,
          'rest-only-field',
          `${other.displayName} is a REST-only field: it has no SOAP API name, so a mapping cannot write it`,
        );
      else if (other)
        notWritten(
          result,
          'unknown-field',
          `'${m.field}' is not a SOAP API name; mappings name fields by SOAP name: use '${other.soapName}'`,
        );
      else notWritten(result, 'unknown-field', `'${m.field}' is not a lead field in the catalog`);
      continue;
    }
    const c = result.found ? coerce(result.value, field, responseType, pu) : undefined;
    if (c?.ok) result.coerced = c.value;
    if (!ok2xx) {
      notWritten(result, 'non-2xx', `HTTP ${response.status}: Marketo updates lead fields only on a 2xx response`);
      continue;
    }
    if (empty) {
      notWritten(result, 'empty-body', 'the response body is empty (code 1001)');
      continue;
    }
    if (parseProblem !== undefined) {
      notWritten(result, parseReason, parseProblem);
      continue;
    }
    if (!c) continue;
    if (!c.ok) {
      notWritten(result, c.reason, c.message);
      continue;
    }
    if (field.readOnly) {
      notWritten(
        result,
        'read-only-field',
        `${field.soapName ?? field.displayName} is read-only; Marketo does not write it`,
      );
      continue;
    }
    if (c.message) result.message = c.message;
    result.written = true;
    after[field.soapName ?? field.displayName] = c.value;
  }
  for (let i = diagnostics.length - 1; i >= 0; i--) {
    const d = diagnostics[i];
    if (d && d.assumed === undefined && 'assumed' in d) delete d.assumed;
  }
  if (pu.assumed.length > 0) {
    diagnostics.push({
      severity: 'info',
      code: 'profile-assumptions',
      message: `this result rests on assumed defaults for behaviour Marketo does not document: ${pu.assumed.join(', ')}`,
      assumed: pu.assumed.slice(),
    });
  }
  return report;
}
