import type { Exchange, RenderedRequest } from '@shared/model';
import { toCurl } from '@shared/formats/curl';

/**
 * The parts of an exchange a person copies. They come from the record of what crossed the wire, so a
 * secret header shows as the record holds it (masked), never its value.
 */

function headLines(head: string): string[] {
  return head.split(/\r\n|\n/).filter((l) => l !== '');
}

export function requestLine(exchange: Exchange): string {
  return headLines(exchange.request.head)[0] ?? `${exchange.request.method} ${exchange.request.requestTarget} HTTP/1.1`;
}

export function requestHeaders(exchange: Exchange): string {
  return headLines(exchange.request.head).slice(1).join('\n');
}

export function responseHeaders(exchange: Exchange): string {
  return (exchange.response?.headers ?? []).map((h) => `${h.name}: ${h.value}`).join('\n');
}

function bodyText(body: string, encoding: 'utf8' | 'base64'): string {
  return encoding === 'utf8' ? body : `[${body.length} base64 characters of binary body]`;
}

/** The request as it went on the wire: head, blank line, body. */
export function rawRequest(exchange: Exchange): string {
  const head = exchange.request.head.replace(/(\r\n)+$/, '');
  return `${head}\r\n\r\n${bodyText(exchange.request.body, exchange.request.bodyEncoding)}`;
}

/** The response as it came back: status line and headers, blank line, body (`body` when the caller holds the whole of it). */
export function rawResponse(exchange: Exchange, body?: string): string {
  const res = exchange.response;
  if (!res) return '';
  const head = res.head
    ? res.head.replace(/(\r\n)+$/, '')
    : [`HTTP/${res.httpVersion} ${res.status} ${res.reason}`, ...res.headers.map((h) => `${h.name}: ${h.value}`)].join(
        '\r\n',
      );
  return `${head}\r\n\r\n${body ?? bodyText(res.body, res.bodyEncoding)}`;
}

/** A curl command that sends the recorded request to the webhook's URL (not to the catcher it may have gone to). */
export function exchangeCurl(exchange: Exchange): string {
  const r = exchange.request;
  let origin: string | undefined;
  try {
    origin = new URL(r.url).origin;
  } catch {
    origin = r.origin || undefined;
  }
  const headers = headLines(r.head)
    .slice(1)
    .map((l) => {
      const colon = l.indexOf(':');
      return colon < 0 ? { name: l, value: '' } : { name: l.slice(0, colon), value: l.slice(colon + 1).trim() };
    });
  const target = /^[a-z][a-z0-9+.-]*:\/\//i.test(r.requestTarget)
    ? new URL(r.requestTarget).pathname + new URL(r.requestTarget).search
    : r.requestTarget;
  const rendered: RenderedRequest = {
    method: r.method,
    url: r.url,
    requestTarget: target,
    requestTargetAsWritten: target,
    headers,
    body:
      r.body === '' && !headers.some((h) => h.name.toLowerCase() === 'content-length' && h.value !== '0')
        ? null
        : r.bodyEncoding === 'utf8'
          ? r.body
          : null,
    tokens: [],
    diagnostics: [],
  };
  if (origin) rendered.origin = origin;
  return toCurl(rendered);
}
