import type { Diagnostic, HeaderLine, RenderedRequest } from '@shared/model';
import { NON_ASCII } from './bytes';

/** What goes to undici's dispatcher for one request, and the head it will write. */
export interface WireRequest {
  method: RenderedRequest['method'];
  path: string;
  /** Flat [name, value, ...] for undici; `host` first, without `connection` and `content-length` (undici writes those). */
  headers: string[];
  /** `connection: close` was asked for. */
  reset: boolean;
  body: Buffer | null;
  /** The text `body`'s bytes spell (what the record shows), '' without a body. */
  bodyText: string;
  /** Every header and the path are ASCII, so the head undici writes reads the same as latin1 and as UTF-8. */
  ascii: boolean;
}

/** Any UTF-16 surrogate: a text without one is well-formed. */
const SURROGATE = /[\uD800-\uDFFF]/;

/** undici refuses anything outside U+0021–U+00FF in a path and writes U+0080–U+00FF as single bytes. */
const UNSAFE_TARGET = /[^\u0021-\u007e]/;

/**
 * undici writes the head as latin1. A header value with characters beyond ASCII goes out as its UTF-8
 * bytes (what a person typing `Müller` means), so it is handed to undici as those bytes in latin1 text.
 */
function latin1OfUtf8(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1');
}

/** Checks that the rendered request can go on the wire exactly as shown; each problem is an error diagnostic (the sender relies on that). */
export function wireProblems(rendered: RenderedRequest): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const target = rendered.requestTarget;
  if (!target.startsWith('/')) {
    problems.push({
      severity: 'error',
      code: 'invalid-request-target',
      message: `the request target '${target}' does not start with '/', so it cannot be sent`,
      location: { part: 'url' },
    });
  } else {
    const bad = UNSAFE_TARGET.exec(target);
    if (bad) {
      const ch = bad[0];
      const shown = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      problems.push({
        severity: 'error',
        code: 'unsafe-request-target',
        message: `the request target holds ${shown} at position ${bad.index + 1}, which cannot go on the wire as written; percent-encode it (profile option urlUnsafeCharacters: percent-encode)`,
        location: { part: 'url' },
      });
    }
  }
  return problems;
}

/** The names undici handles itself, found by length before any lowercasing. Speed: docs/performance.md#sender */
function specialHeader(name: string): 'host' | 'connection' | 'content-length' | undefined {
  switch (name.length) {
    case 4:
      return name.toLowerCase() === 'host' ? 'host' : undefined;
    case 10:
      return name.toLowerCase() === 'connection' ? 'connection' : undefined;
    case 14:
      return name.toLowerCase() === 'content-length' ? 'content-length' : undefined;
    default:
      return undefined;
  }
}

/** Whether a Connection header value holds the `close` option; the render's own `keep-alive` is answered without splitting. */
function asksToClose(value: string): boolean {
  if (value === 'keep-alive') return false;
  return value
    .toLowerCase()
    .split(',')
    .some((t) => t.trim() === 'close');
}

export function toWire(rendered: RenderedRequest, headers: HeaderLine[] = rendered.headers): WireRequest {
  // Slots for host, which undici must see first; dropped in the rare request without one.
  const flat: string[] = ['host', ''];
  let reset = false;
  let hasHost = false;
  // Speed: docs/performance.md#sender. Names need no check: the render keeps only token characters, all ASCII.
  let ascii = !NON_ASCII.test(rendered.requestTarget);
  for (const h of headers) {
    const nonAsciiValue = NON_ASCII.test(h.value);
    if (nonAsciiValue) ascii = false;
    const value = nonAsciiValue ? latin1OfUtf8(h.value) : h.value;
    const special = specialHeader(h.name);
    if (special === undefined) flat.push(h.name, value);
    else if (special === 'connection') reset = asksToClose(h.value);
    else if (special === 'host') {
      flat[1] = value;
      hasHost = true;
    }
  }
  if (!hasHost) flat.splice(0, 2);
  const text = rendered.body ?? '';
  const body = text === '' ? null : Buffer.from(text, 'utf8');
  return {
    method: rendered.method,
    path: rendered.requestTarget,
    headers: flat,
    reset,
    body,
    // Without a surrogate the text is well-formed and its UTF-8 bytes decode back to it: the record needs
    // no decode of the bytes per lead. A lone surrogate went out as U+FFFD's bytes, so those are decoded.
    // Speed: docs/performance.md#sender
    bodyText: body === null ? '' : SURROGATE.test(text) ? body.toString('utf8') : text,
    ascii,
  };
}

/**
 * The head undici will write for this request (client-h1.js writeH1 + writeBuffer): used for a request
 * that was not sent, or if the written head was not observed; a sent request records what was written.
 */
export function predictHead(wire: WireRequest): string {
  let head = `${wire.method} ${wire.path} HTTP/1.1\r\n`;
  const hasHost = wire.headers[0] === 'host';
  if (hasHost) head += `host: ${wire.headers[1]}\r\n`;
  head += `connection: ${wire.reset ? 'close' : 'keep-alive'}\r\n`;
  for (let i = hasHost ? 2 : 0; i < wire.headers.length; i += 2)
    head += `${wire.headers[i]}: ${wire.headers[i + 1]}\r\n`;
  return head + contentLengthTail(wire.method, wire.body?.length ?? 0);
}

/** What undici appends after the headers (client-h1.js writeBuffer): content-length when there is a body or the method expects one. */
export function contentLengthTail(method: string, bodyLength: number): string {
  if (bodyLength > 0) return `content-length: ${bodyLength}\r\n\r\n`;
  const expectsPayload = method === 'POST' || method === 'PUT' || method === 'PATCH';
  return expectsPayload ? 'content-length: 0\r\n\r\n' : '\r\n';
}
