import { httpMethods, type HttpMethod, type WebhookHeader } from '../model';
import { utf8Length } from '../engine/text';
import { importedWebhook, type ImportedRequest, type ImportFailure } from './imported-webhook';

/**
 * A webhook from a raw HTTP/1.x request as a proxy, a log or a browser shows it:
 *
 *   POST /v1/lead?x=1 HTTP/1.1          (or an absolute target: POST https://host/v1/lead HTTP/1.1)
 *   Host: hooks.example.com
 *   Content-Type: application/json
 *
 *   {"a":1}
 *
 * Lines may end in CRLF or LF. The request target is kept as written (never re-encoded). With an
 * origin-form target the Host header gives the origin; the scheme is https unless the Host names port 80
 * (a copied request does not say how it travelled, and webhooks go to https endpoints), or an HTTP/2
 * `:scheme` line says otherwise.
 */

/** Larger than any webhook body Marketo would send; past it the text is not read at all. */
export const maxHttpRequestChars = 5 * 1024 * 1024;

/** `METHOD target HTTP/x.y`, spaces as a proxy might write them. */
const requestLine = /^([A-Za-z][A-Za-z-]*) +(\S+) +HTTP\/(\d(?:\.\d)?) *$/;
/** RFC 9110 token characters, then the value with its surrounding blanks left out. */
const headerLine = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]*:[ \t]*(.*?)[ \t]*$/;
/** Characters no request head holds: a sign of binary data. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const binaryInHead = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;
/** Headers the studio works out itself, dropped without a note. */
const workedOut = new Set(['host', 'content-length']);
/** Hop-by-hop headers a webhook cannot send; dropped with a note. */
const notSendable: Record<string, string> = {
  'transfer-encoding': 'the studio sends the body with its own length',
  'keep-alive': 'the studio manages its own connections',
  upgrade: 'a webhook cannot switch protocols',
  expect: 'the studio sends the body at once',
};

/** Does the text start like a raw HTTP request (a request line)? Cheap: reads the first line only. */
export function looksLikeHttpRequest(text: string): boolean {
  const first = /^[^\n]*/.exec(text.replace(/^\uFEFF/, '').replace(/^\s*\n/, ''))?.[0] ?? '';
  return /^[A-Z][A-Z-]* +\S+ +HTTP\/\d(?:\.\d)? *$/.test(first.trimEnd());
}

/** One line of the pasted text: its number (from 1) and its text without the line break. */
interface Line {
  number: number;
  text: string;
}

/** The lines of the head, up to the blank line; `body` from after it, or undefined when there is none. */
interface Split {
  lines: Line[];
  body: string | undefined;
  /** The line the body starts on. */
  bodyLine: number;
}

function fail(message: string, line?: number, column?: number): ImportFailure {
  return { ok: false, message, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) };
}

/** A line as a message quotes it: short, with control characters shown as \xHH. */
function quoted(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  // eslint-disable-next-line no-control-regex -- control characters are what gets made visible
  return `“${short.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}”`;
}

/** Splits the head into lines at CRLF or LF, stopping at the first blank line (leading blank lines skipped). */
function splitHead(text: string): Split {
  const lines: Line[] = [];
  let start = 0;
  let number = 1;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(start, end).replace(/\r$/, '');
    const next = nl < 0 ? text.length : nl + 1;
    if (line.trim() === '' && lines.length > 0)
      return { lines, body: nl < 0 ? undefined : text.slice(next), bodyLine: number + 1 };
    if (line.trim() !== '' || lines.length > 0) lines.push({ number, text: line });
    if (nl < 0) return { lines, body: undefined, bodyLine: number + 1 };
    start = next;
    number++;
  }
}

/** The request line read: method, target and where it stands. */
function readRequestLine(line: Line): { ok: true; method: HttpMethod; target: string } | ImportFailure {
  const m = requestLine.exec(line.text);
  if (!m)
    return fail(
      `line ${line.number}: ${quoted(line.text)} is not a request line; a raw HTTP request starts with METHOD target HTTP/1.1 (for example POST /path HTTP/1.1)`,
      line.number,
      1,
    );
  const method = (m[1] as string).toUpperCase();
  if (!(httpMethods as readonly string[]).includes(method))
    return fail(
      `line ${line.number}: request method ${method} is not one Marketo offers (${httpMethods.join(', ')})`,
      line.number,
      1,
    );
  return { ok: true, method: method as HttpMethod, target: m[2] as string };
}

/** The header fields as read, with the pseudo-headers of an HTTP/2 copy (`:authority`, `:scheme`) set apart. */
interface HeadFields {
  headers: (WebhookHeader & { line: number })[];
  authority?: string;
  scheme?: string;
}

/** Reads the header lines; a line folded onto the one before (a leading blank) continues its value. */
function readHeaders(lines: Line[]): { ok: true; fields: HeadFields } | ImportFailure {
  const fields: HeadFields = { headers: [] };
  for (const line of lines) {
    const last = fields.headers[fields.headers.length - 1];
    if (/^[ \t]/.test(line.text) && last) {
      last.value = `${last.value} ${line.text.trim()}`.trim();
      continue;
    }
    const pseudo = /^:([a-z]+):[ \t]*(.*?)[ \t]*$/.exec(line.text);
    if (pseudo) {
      if (pseudo[1] === 'authority') fields.authority = pseudo[2];
      if (pseudo[1] === 'scheme') fields.scheme = pseudo[2];
      continue;
    }
    const h = headerLine.exec(line.text);
    if (!h) {
      const colon = line.text.indexOf(':');
      const column = colon < 0 ? 1 : (/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/.exec(line.text)?.index ?? 0) + 1;
      return fail(
        `line ${line.number}: ${quoted(line.text)} is not a header; a header line is Name: value, and the body comes after a blank line`,
        line.number,
        column,
      );
    }
    fields.headers.push({ name: h[1] as string, value: h[2] as string, line: line.number });
  }
  return { ok: true, fields };
}

/** The webhook's URL: the target as written, after the origin the Host header (or `:authority`) gives. */
function urlOf(
  target: string,
  fields: HeadFields,
  requestLineNumber: number,
): { ok: true; url: string } | ImportFailure {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    if (!/^https?:\/\//i.test(target))
      return fail(
        `line ${requestLineNumber}: the request target ${quoted(target)} is not an http or https URL`,
        requestLineNumber,
      );
    return { ok: true, url: target };
  }
  if (!target.startsWith('/'))
    return fail(
      `line ${requestLineNumber}: the request target ${quoted(target)} is neither a path (/…) nor a URL (https://…)`,
      requestLineNumber,
    );
  const hosts = fields.headers.filter((h) => h.name.toLowerCase() === 'host');
  const host = fields.authority ?? hosts[0]?.value;
  const hostLine = hosts[0]?.line;
  if (host === undefined || host === '')
    return fail(
      `the request target ${target} is a path and there is no Host header to say where it goes; add a Host line or write the target as a URL`,
      requestLineNumber,
    );
  const other = hosts.find((h) => h.value.toLowerCase() !== host.toLowerCase());
  if (other) return fail(`line ${other.line}: a second Host header names another host`, other.line);
  if (!/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host))
    return fail(`line ${hostLine ?? requestLineNumber}: Host ${quoted(host)} is not a host name`, hostLine);
  const scheme = fields.scheme ?? (/:80$/.test(host) ? 'http' : 'https');
  return { ok: true, url: `${scheme}://${host}${target}` };
}

/** UTF-8 byte length, as Content-Length counts. */
const byteLength = utf8Length;

/** The body, checked against what the head says of it; undefined body means none. */
function readBody(
  body: string | undefined,
  fields: HeadFields,
  bodyLine: number,
): { ok: true; body: string } | ImportFailure {
  const text = body ?? '';
  const nul = text.indexOf('\u0000');
  if (nul >= 0)
    return fail(
      `line ${bodyLine + (text.slice(0, nul).match(/\n/g)?.length ?? 0)}: the body holds binary data (a NUL character); a webhook body is text`,
      bodyLine,
    );
  const te = fields.headers.find((h) => h.name.toLowerCase() === 'transfer-encoding');
  if (te && /chunked/i.test(te.value) && text !== '')
    return fail(
      `line ${te.line}: the body is sent in chunks (Transfer-Encoding: chunked); paste the body without the chunk sizes and remove that line`,
      te.line,
    );
  const length = fields.headers.find((h) => h.name.toLowerCase() === 'content-length');
  if (length) {
    const said = Number(length.value);
    if (!/^\d+$/.test(length.value))
      return fail(`line ${length.line}: Content-Length ${quoted(length.value)} is not a number`, length.line);
    // A copy may have turned CRLF into LF: the body is cut off only if it is short both ways.
    const crlf = text.replace(/\r?\n/g, '\r\n');
    if (byteLength(text) < said && byteLength(crlf) < said)
      return fail(
        `line ${length.line}: Content-Length says ${said} bytes but the body has ${byteLength(text)}: the request looks cut off; paste all of it, or remove the Content-Length line`,
        length.line,
      );
    return { ok: true, body: withinLength(text, said) };
  }
  return { ok: true, body: text.trim() === '' ? '' : text };
}

/** The body cut to Content-Length when what lies past it is only the line breaks a copy adds. */
function withinLength(text: string, said: number): string {
  const kept = text.replace(/[ \t\r\n]+$/, '');
  const keptBytes = byteLength(kept);
  // The trailing blanks are one byte each, so the cut falls on a character.
  return keptBytes <= said ? text.slice(0, kept.length + (said - keptBytes)) : text;
}

/** The headers the webhook sends: Host and Content-Length left to the studio, hop-by-hop ones noted. */
function sentHeaders(fields: HeadFields, notCarried: ImportedRequest['notCarried']): WebhookHeader[] {
  const sent: WebhookHeader[] = [];
  for (const h of fields.headers) {
    const lower = h.name.toLowerCase();
    if (workedOut.has(lower)) continue;
    const why = notSendable[lower];
    if (why) notCarried.push({ item: `${h.name}: ${h.value}`, reason: why });
    else sent.push({ name: h.name, value: h.value });
  }
  return sent;
}

/** Refusals that need no parsing: too big, binary in the head. */
function refuseUnreadable(text: string): ImportFailure | undefined {
  if (text.length > maxHttpRequestChars)
    return fail(
      `the request has ${text.length} characters; a pasted request may have at most ${maxHttpRequestChars} (5 MB)`,
    );
  const headEnd = /\r?\n\r?\n/.exec(text)?.index ?? Math.min(text.length, 64 * 1024);
  const bad = binaryInHead.exec(text.slice(0, headEnd));
  if (bad) {
    const before = text.slice(0, bad.index).split('\n');
    return fail(
      `line ${before.length}: the request head holds binary data (character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}); a raw HTTP request is text`,
      before.length,
      (before[before.length - 1]?.length ?? 0) + 1,
    );
  }
  return undefined;
}

/** A webhook from a raw HTTP request; any problem is named with its line. */
export function parseHttpRequest(raw: string): { ok: true; value: ImportedRequest } | ImportFailure {
  const text = raw.replace(/^\uFEFF/, '');
  const refused = refuseUnreadable(text);
  if (refused) return refused;
  const split = splitHead(text);
  const first = split.lines[0];
  if (!first) return fail('the text is empty; a raw HTTP request starts with METHOD target HTTP/1.1');
  const start = readRequestLine(first);
  if (!start.ok) return start;
  const head = readHeaders(split.lines.slice(1));
  if (!head.ok) return head;
  const url = urlOf(start.target, head.fields, first.number);
  if (!url.ok) return url;
  const body = readBody(split.body, head.fields, split.bodyLine);
  if (!body.ok) return body;
  const notCarried: ImportedRequest['notCarried'] = [];
  const headers = sentHeaders(head.fields, notCarried);
  if (start.method === 'GET' && body.body !== '')
    notCarried.push({ item: 'body', reason: 'Marketo sends no template with GET (profile option templateOnGet)' });
  return {
    ok: true,
    value: { webhook: importedWebhook({ method: start.method, url: url.url, headers, body: body.body }), notCarried },
  };
}
