import type { Scalar } from '@shared/model/context';
import type { Exchange } from '@shared/model/exchange';
import type { NotWritten, RunRecord } from '@shared/runner/summary';
import { createJsonTextMemo, jsonList, jsonMs as ms, jsonNumber as num, jsonString } from '@shared/runner/json-number';

/**
 * How one lead's record is written to results.jsonl, and read back.
 *
 * A record in memory repeats itself: the response headers are also in the verbatim response head, the
 * request line holds the method and the request target, the outcome and message sit on the record and
 * on its exchange, the lead after a mapping is the lead before plus what was written, and updates and
 * unwritten mappings are the mapping report again. Written out whole, that doubled the bytes and the
 * time spent per lead. So a line leaves out every part that can be rebuilt from the rest, but only
 * after checking that rebuilding gives back exactly what was there (a server that writes `Name:value`
 * without a space keeps its parsed headers on the line). `unpackRecord(packRecord(r))` equals `r`;
 * each line is still a JSON object a person or `jq` can read on its own, and a line written with every
 * part present (the first format) reads back the same way.
 */

type PackedRequest = Omit<Exchange['request'], 'method' | 'origin' | 'requestTarget' | 'bodyEncoding'> &
  Partial<Pick<Exchange['request'], 'method' | 'origin' | 'requestTarget' | 'bodyEncoding'>>;
type Response = NonNullable<Exchange['response']>;
/** The mapping report as an exchange carries it. */
type MappingReport = NonNullable<Exchange['mapping']>;
type PackedResponse = Omit<Response, 'httpVersion' | 'status' | 'reason' | 'headers' | 'bodyEncoding' | 'truncated'> &
  Partial<Pick<Response, 'httpVersion' | 'status' | 'reason' | 'headers' | 'bodyEncoding' | 'truncated'>>;
interface PackedMapping {
  status?: number;
  outcome?: MappingReport['outcome'];
  errorType?: string;
  mappings: MappingReport['mappings'];
  /** The lead before; `changes` holds the fields whose value the mappings changed. */
  before?: Record<string, Scalar>;
  changes?: Record<string, Scalar>;
  /** A first-format line keeps the lead as the mapping report had it. */
  lead?: MappingReport['lead'];
  diagnostics?: MappingReport['diagnostics'];
}
type PackedExchange = Omit<
  Exchange,
  'request' | 'response' | 'outcome' | 'message' | 'redirects' | 'mapping' | 'diagnostics'
> & {
  request: PackedRequest;
  response?: PackedResponse;
  outcome?: Exchange['outcome'];
  message?: string;
  redirects?: Exchange['redirects'];
  mapping?: PackedMapping;
  diagnostics?: Exchange['diagnostics'];
};
type PackedRecord = Omit<RunRecord, 'notWritten' | 'updates' | 'exchange'> & {
  notWritten?: NotWritten[];
  updates?: Record<string, Scalar>;
  exchange?: PackedExchange;
};

const HTTP11 = ' HTTP/1.1';

/** `POST /path HTTP/1.1` → the method and the request target, when the head starts with such a line. */
function requestLine(head: string): { method: string; target: string } | undefined {
  const end = head.indexOf('\r\n');
  if (end < 0) return undefined;
  const space = head.indexOf(' ');
  if (space <= 0 || space > end || head.lastIndexOf(HTTP11, end) !== end - HTTP11.length) return undefined;
  return { method: head.slice(0, space), target: head.slice(space + 1, end - HTTP11.length) };
}

/** The scheme and authority at the start of a URL, as written. */
function urlOrigin(url: string): string | undefined {
  const scheme = url.indexOf('://');
  if (scheme <= 0) return undefined;
  let end = url.length;
  for (const stop of ['/', '?', '#']) {
    const at = url.indexOf(stop, scheme + 3);
    if (at >= 0 && at < end) end = at;
  }
  return url.slice(0, end);
}

/** `HTTP/1.1 200 OK` → its version, status and reason phrase. */
function statusLine(head: string): { httpVersion: string; status: number; reason: string } | undefined {
  const end = head.indexOf('\r\n');
  if (!head.startsWith('HTTP/') || end < 0) return undefined;
  const line = head.slice(0, end);
  const m = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(line);
  if (!m) return undefined;
  return { httpVersion: m[1] as string, status: Number(m[2]), reason: m[3] ?? '' };
}

/** The header lines of a head, split at the first colon; the inverse of writing `name: value\r\n` per header. */
function headLines(head: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  let at = head.indexOf('\r\n') + 2;
  for (;;) {
    const end = head.indexOf('\r\n', at);
    if (end < 0 || end === at) break;
    const colon = head.indexOf(': ', at);
    out.push({ name: head.slice(at, colon), value: head.slice(colon + 2, end) });
    at = end + 2;
  }
  return out;
}

/** True when writing `headers` after the head's first line gives back the head exactly (checked in place: no copy). */
function headHoldsHeaders(head: string, headers: Array<{ name: string; value: string }>): boolean {
  let at = head.indexOf('\r\n') + 2;
  if (at < 2) return false;
  for (const h of headers) {
    // A name with a colon or a value with a line break could not be split back apart.
    if (h.name.includes(':') || h.value.includes('\r\n')) return false;
    if (!head.startsWith(h.name, at)) return false;
    at += h.name.length;
    if (head.charCodeAt(at) !== 0x3a || head.charCodeAt(at + 1) !== 0x20 || !head.startsWith(h.value, at + 2))
      return false;
    at += 2 + h.value.length;
    if (head.charCodeAt(at) !== 0x0d || head.charCodeAt(at + 1) !== 0x0a) return false;
    at += 2;
  }
  return at + 2 === head.length && head.endsWith('\r\n');
}

/** True when statusLine(head) reads back exactly this version, status and reason. */
function statusLineHolds(head: string, response: { httpVersion: string; status: number; reason: string }): boolean {
  const v = response.httpVersion;
  const versionOk =
    v.length === 3 &&
    v.charCodeAt(1) === 0x2e &&
    v.charCodeAt(0) >= 0x30 &&
    v.charCodeAt(0) <= 0x39 &&
    v.charCodeAt(2) >= 0x30 &&
    v.charCodeAt(2) <= 0x39;
  if (!versionOk || !Number.isInteger(response.status) || response.status < 100 || response.status > 999) return false;
  const line = `HTTP/${v} ${response.status}${response.reason === '' ? '' : ` ${response.reason}`}\r\n`;
  return head.startsWith(line) && !response.reason.includes('\r');
}

/** JSON text of a string. Speed: docs/performance.md#runner */
const str = jsonString;
/*
 * The writers below build each line as text in one pass; values of open shape (a mapped value, a lead,
 * diagnostics) go through JSON.stringify. Speed: docs/performance.md#runner
 */

function writeRequest(request: Exchange['request']): string {
  let out = `{"url":${str(request.url)},"head":${str(request.head)},"body":${str(request.body)}`;
  if (request.bodyEncoding !== 'utf8') out += `,"bodyEncoding":${str(request.bodyEncoding)}`;
  const line = requestLine(request.head);
  if (!line || line.method !== request.method || line.target !== request.requestTarget) {
    out += `,"method":${str(request.method)},"requestTarget":${str(request.requestTarget)}`;
  }
  if (urlOrigin(request.url) !== request.origin) out += `,"origin":${str(request.origin)}`;
  return `${out}}`;
}

function unpackRequest(packed: PackedRequest): Exchange['request'] {
  const line = packed.method === undefined || packed.requestTarget === undefined ? requestLine(packed.head) : undefined;
  return {
    method: (packed.method ?? line?.method ?? 'GET') as Exchange['request']['method'],
    url: packed.url,
    origin: packed.origin ?? urlOrigin(packed.url) ?? '',
    requestTarget: packed.requestTarget ?? line?.target ?? '',
    head: packed.head,
    body: packed.body,
    bodyEncoding: packed.bodyEncoding ?? 'utf8',
  };
}

function writeResponse(response: Response): string {
  let out = `{"head":${str(response.head)},"body":${str(response.body)},"bodyBytes":${num(response.bodyBytes)}`;
  if (response.bodyEncoding !== 'utf8') out += `,"bodyEncoding":${str(response.bodyEncoding)}`;
  if (response.truncated) out += ',"truncated":true';
  if (response.bodyFile !== undefined) out += `,"bodyFile":${str(response.bodyFile)}`;
  if (!statusLineHolds(response.head, response)) {
    out += `,"httpVersion":${str(response.httpVersion)},"status":${num(response.status)},"reason":${str(response.reason)}`;
  }
  if (!headHoldsHeaders(response.head, response.headers)) out += `,"headers":${JSON.stringify(response.headers)}`;
  return `${out}}`;
}

function unpackResponse(packed: PackedResponse): Response {
  const line = packed.status === undefined ? statusLine(packed.head) : undefined;
  const response: Response = {
    httpVersion: packed.httpVersion ?? line?.httpVersion ?? '1.1',
    status: packed.status ?? line?.status ?? 0,
    reason: packed.reason ?? line?.reason ?? '',
    headers: packed.headers ?? headLines(packed.head),
    head: packed.head,
    body: packed.body,
    bodyEncoding: packed.bodyEncoding ?? 'utf8',
    bodyBytes: packed.bodyBytes,
    truncated: packed.truncated ?? false,
  };
  if (packed.bodyFile !== undefined) response.bodyFile = packed.bodyFile;
  return response;
}

function writeMapping(mapping: MappingReport, status: number | undefined, outcome: Exchange['outcome']): string {
  let out = `{"mappings":${JSON.stringify(mapping.mappings)}`;
  if (mapping.status !== status) out += `,"status":${num(mapping.status)}`;
  if (mapping.outcome !== outcome) out += `,"outcome":${str(mapping.outcome)}`;
  if (mapping.errorType !== undefined) out += `,"errorType":${str(mapping.errorType)}`;
  const { before, after } = mapping.lead;
  // Rebuilding is {...before, ...changes}: it only holds when after has every key of before.
  let derivable = true;
  for (const key in before) {
    if (!(key in after)) {
      derivable = false;
      break;
    }
  }
  if (derivable) {
    const changes: Record<string, Scalar> = {};
    for (const key in after) {
      const value = after[key] as Scalar;
      if (!(key in before) || !Object.is(before[key], value)) changes[key] = value;
    }
    out += `,"before":${JSON.stringify(before)},"changes":${JSON.stringify(changes)}`;
  } else out += `,"lead":${JSON.stringify(mapping.lead)}`;
  if (mapping.diagnostics.length > 0) out += `,"diagnostics":${JSON.stringify(mapping.diagnostics)}`;
  return `${out}}`;
}

function unpackMapping(packed: PackedMapping, status: number | undefined, outcome: Exchange['outcome']): MappingReport {
  const before = packed.before ?? packed.lead?.before ?? {};
  const report: MappingReport = {
    status: packed.status ?? status ?? 0,
    outcome: packed.outcome ?? outcome,
    mappings: packed.mappings,
    lead: packed.lead ?? { before, after: { ...before, ...packed.changes } },
    diagnostics: packed.diagnostics ?? [],
  };
  if (packed.errorType !== undefined) report.errorType = packed.errorType;
  return report;
}

/** What a record's updates and unwritten mappings are, given its mapping report (as recordFromExchange builds them). */
export function mappingResults(mapping: MappingReport | undefined): {
  notWritten: NotWritten[];
  updates: Record<string, Scalar>;
} {
  const notWritten: NotWritten[] = [];
  const updates: Record<string, Scalar> = {};
  for (const m of mapping?.mappings ?? []) {
    if (m.written) updates[m.field] = m.coerced;
    else {
      const entry: NotWritten = { field: m.field, reason: m.reason ?? 'not-written' };
      if (m.message !== undefined) entry.message = m.message;
      notWritten.push(entry);
    }
  }
  return { notWritten, updates };
}

/** True when the record's updates and unwritten mappings are what its mapping report gives (compared in place). */
function resultsFollowMapping(record: RunRecord, mapping: MappingReport | undefined): boolean {
  let notWritten = 0;
  let updates = 0;
  for (const m of mapping?.mappings ?? []) {
    if (m.written) {
      updates++;
      if (!Object.hasOwn(record.updates, m.field) || !Object.is(record.updates[m.field], m.coerced)) return false;
    } else {
      const n = record.notWritten[notWritten++];
      if (!n || n.field !== m.field || n.reason !== (m.reason ?? 'not-written') || n.message !== m.message)
        return false;
    }
  }
  // Two mappings writing one field leave one update and fail the count: such a line keeps its lists.
  return notWritten === record.notWritten.length && updates === Object.keys(record.updates).length;
}

function writeTimings(t: Exchange['timings']): string {
  return `{"dnsMs":${ms(t.dnsMs)},"connectMs":${ms(t.connectMs)},"tlsMs":${ms(t.tlsMs)},"sentMs":${ms(t.sentMs)},"ttfbMs":${ms(t.ttfbMs)},"downloadMs":${ms(t.downloadMs)},"totalMs":${ms(t.totalMs)}}`;
}

function writeExchange(record: RunRecord, exchange: Exchange): string {
  let out = `{"id":${str(exchange.id)},"webhook":${str(exchange.webhook)},"startedAt":${str(exchange.startedAt)},"request":${writeRequest(exchange.request)},"timings":${writeTimings(exchange.timings)}`;
  if (exchange.context !== undefined) out += `,"context":${str(exchange.context)}`;
  if (exchange.response) out += `,"response":${writeResponse(exchange.response)}`;
  if (exchange.outcome !== record.outcome) out += `,"outcome":${str(exchange.outcome)}`;
  if (exchange.message !== record.message) out += `,"message":${str(exchange.message)}`;
  if (exchange.error) out += `,"error":${JSON.stringify(exchange.error)}`;
  if (exchange.redirects.length > 0) out += `,"redirects":${JSON.stringify(exchange.redirects)}`;
  if (exchange.mapping)
    out += `,"mapping":${writeMapping(exchange.mapping, exchange.response?.status, exchange.outcome)}`;
  if (exchange.diagnostics.length > 0) out += `,"diagnostics":${JSON.stringify(exchange.diagnostics)}`;
  return `${out}}`;
}

function unpackExchange(record: Pick<RunRecord, 'outcome' | 'message'>, packed: PackedExchange): Exchange {
  const response = packed.response ? unpackResponse(packed.response) : undefined;
  const outcome = packed.outcome ?? record.outcome;
  const exchange: Exchange = {
    id: packed.id,
    webhook: packed.webhook,
    startedAt: packed.startedAt,
    request: unpackRequest(packed.request),
    timings: packed.timings,
    outcome,
    message: packed.message ?? record.message,
    redirects: packed.redirects ?? [],
    diagnostics: packed.diagnostics ?? [],
  };
  if (packed.context !== undefined) exchange.context = packed.context;
  if (response) exchange.response = response;
  if (packed.error) exchange.error = packed.error;
  if (packed.mapping) exchange.mapping = unpackMapping(packed.mapping, response?.status, outcome);
  return exchange;
}

/** The outcome and message of the record before are usually this one's: their JSON text is kept. Speed: docs/performance.md#runner */
const outcomeJson = createJsonTextMemo();
const messageJson = createJsonTextMemo();

/** A record's unwritten mappings and updates. */
function lists(record: RunRecord): string {
  return `,"notWritten":${jsonList(record.notWritten)},"updates":${JSON.stringify(record.updates)}`;
}

/**
 * One results.jsonl line (without its newline) for a record; `whole` false writes its compact line
 * (no exchange, lead after or request body), as packing a copy without them would, without the copy.
 */
export function packRecord(record: RunRecord, whole = true): string {
  const exchange = whole ? record.exchange : undefined;
  let out = `{"line":${num(record.line)},"leadKey":${str(record.leadKey)},"outcome":${outcomeJson(record.outcome)},"succeeded":${record.succeeded},"totalMs":${ms(record.totalMs)},"message":${messageJson(record.message)},"attempts":${num(record.attempts)}`;
  if (record.email !== undefined) out += `,"email":${str(record.email)}`;
  if (record.status !== undefined) out += `,"status":${num(record.status)}`;
  if (record.problem !== undefined) out += `,"problem":${str(record.problem)}`;
  if (record.notRun) out += ',"notRun":true';
  if (!exchange) {
    out += lists(record);
    if (!whole) return `${out}}`;
    if (record.leadAfter !== undefined) out += `,"leadAfter":${JSON.stringify(record.leadAfter)}`;
    if (record.requestBody !== undefined) out += `,"requestBody":${JSON.stringify(record.requestBody)}`;
    return `${out}}`;
  }
  out += `,"exchange":${writeExchange(record, exchange)}`;
  if (!resultsFollowMapping(record, exchange.mapping)) out += lists(record);
  if (record.leadAfter !== undefined && record.leadAfter !== exchange.mapping?.lead.after)
    out += `,"leadAfter":${JSON.stringify(record.leadAfter)}`;
  // A body kept whole has its size in itself; a cut one keeps its size and hash.
  const body = record.requestBody;
  if (
    body &&
    (body.truncated ||
      body.sha256 !== undefined ||
      body.bytes !== Buffer.byteLength(exchange.request.body, exchange.request.bodyEncoding))
  ) {
    out += `,"requestBody":${JSON.stringify(body)}`;
  }
  return `${out}}`;
}

/** A record from one results.jsonl line, as it was before packing. */
export function unpackRecord(text: string): RunRecord {
  const packed = JSON.parse(text) as PackedRecord;
  const { exchange: packedExchange, notWritten, updates, ...rest } = packed;
  if (!packedExchange) return { ...rest, notWritten: notWritten ?? [], updates: updates ?? {} };
  const exchange = unpackExchange(packed, packedExchange);
  const derived = notWritten === undefined || updates === undefined ? mappingResults(exchange.mapping) : undefined;
  const record: RunRecord = {
    ...rest,
    notWritten: notWritten ?? derived?.notWritten ?? [],
    updates: updates ?? derived?.updates ?? {},
    exchange,
  };
  if (record.leadAfter === undefined && exchange.mapping) record.leadAfter = exchange.mapping.lead.after;
  if (record.requestBody === undefined)
    record.requestBody = {
      bytes: Buffer.byteLength(exchange.request.body, exchange.request.bodyEncoding),
      truncated: false,
    };
  return record;
}
