import { maskSpans, SECRET_MASK } from '@shared/engine/render';
import type { Exchange, SecretSpan } from '@shared/model';

/**
 * Secrets shorter than this are not searched for in responses: a short value (a 1-character key, a
 * 4-digit PIN) matches ordinary text, and masking every match would both garble the record and point at
 * the secret. Requests are masked by position, whatever the length.
 */
export const MIN_SEARCHED_SECRET = 8;

/** Where the secrets are in one request as it goes on the wire, by position (see SecretSpan). */
export interface RequestMask {
  url: SecretSpan[];
  target: SecretSpan[];
  /** Spans in a header's value, keyed by `<lower-case name>#<occurrence>` (the wire keeps the render's header order). */
  headers: Map<string, SecretSpan[]>;
  body: SecretSpan[];
  /** Secret values (at least MIN_SEARCHED_SECRET long) searched for in what comes back. */
  search: string[];
}

export const noMask: RequestMask = { url: [], target: [], headers: new Map(), body: [], search: [] };

export function isMasked(mask: RequestMask): boolean {
  return (
    mask.url.length > 0 ||
    mask.target.length > 0 ||
    mask.headers.size > 0 ||
    mask.body.length > 0 ||
    mask.search.length > 0
  );
}

/** The mask of a rendered request, from its spans and its header list. */
export function requestMask(
  spans: SecretSpan[] | undefined,
  headers: Array<{ name: string }>,
  values: string[],
): RequestMask {
  if (spans === undefined || spans.length === 0)
    return values.length === 0 ? noMask : { ...noMask, headers: new Map(), search: searchedSecrets(values) };
  const byHeader = new Map<number, SecretSpan[]>();
  const mask: RequestMask = { url: [], target: [], headers: new Map(), body: [], search: searchedSecrets(values) };
  for (const s of spans) {
    if (s.part === 'url') mask.url.push(s);
    else if (s.part === 'target') mask.target.push(s);
    else if (s.part === 'body') mask.body.push(s);
    else if (s.index !== undefined) {
      const list = byHeader.get(s.index) ?? [];
      list.push(s);
      byHeader.set(s.index, list);
    }
  }
  const seen = new Map<string, number>();
  headers.forEach((h, i) => {
    const lower = h.name.toLowerCase();
    const n = seen.get(lower) ?? 0;
    seen.set(lower, n + 1);
    const list = byHeader.get(i);
    if (list) mask.headers.set(`${lower}#${n}`, list);
  });
  return mask;
}

/** The secrets searched for in answers: those long enough to tell from ordinary text, longest first. */
export function searchedSecrets(values: string[]): string[] {
  return [...new Set(values.filter((v) => v.length >= MIN_SEARCHED_SECRET))].sort((a, b) => b.length - a.length);
}

/** Replaces exact occurrences of each searched secret (longest first). */
export function maskValues(text: string, values: string[]): string {
  let out = text;
  for (const v of values) if (out.includes(v)) out = out.split(v).join(SECRET_MASK);
  return out;
}

/**
 * The request head as recorded, masked by position: the request target on the request line, and each
 * header value with spans. `requestTarget` is the target the spans refer to; the line may hold it in
 * absolute form (through a proxy), which only adds a prefix.
 */
export function maskHead(head: string, requestTarget: string, mask: RequestMask): string {
  if (mask.target.length === 0 && mask.headers.size === 0 && mask.search.length === 0) return head;
  const lines = head.split('\r\n');
  const first = lines[0] ?? '';
  const a = first.indexOf(' ');
  const b = first.lastIndexOf(' ');
  if (a > 0 && b > a) {
    const target = first.slice(a + 1, b);
    if (mask.target.length > 0 && target.endsWith(requestTarget)) {
      const prefix = target.slice(0, target.length - requestTarget.length);
      lines[0] = `${first.slice(0, a + 1)}${prefix}${maskSpans(requestTarget, mask.target)}${first.slice(b)}`;
    } else if (mask.search.length > 0) lines[0] = maskValues(first, mask.search);
  }
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const lower = line.slice(0, colon).toLowerCase();
    const n = seen.get(lower) ?? 0;
    seen.set(lower, n + 1);
    const spans = mask.headers.get(`${lower}#${n}`);
    let start = colon + 1;
    while (line.charCodeAt(start) === 0x20 || line.charCodeAt(start) === 0x09) start++;
    const value = line.slice(start);
    if (spans) lines[i] = line.slice(0, start) + maskSpans(value, spans);
    else if (mask.search.length > 0) lines[i] = line.slice(0, start) + maskValues(value, mask.search);
  }
  return lines.join('\r\n');
}

/** A value read out of a response (a mapping's value, a lead field), with searched secrets masked wherever it holds text. */
function maskUnknown(value: unknown, values: string[]): unknown {
  if (typeof value === 'string') return maskValues(value, values);
  if (value === null || typeof value !== 'object') return value;
  const text = JSON.stringify(value);
  if (!values.some((v) => text.includes(v))) return value;
  return JSON.parse(
    maskValues(
      text,
      values.map((v) => JSON.stringify(v).slice(1, -1)),
    ),
  ) as unknown;
}

/**
 * What came back, with each searched secret masked: a service that echoes the key must not put it into
 * history or a report. Only secrets of MIN_SEARCHED_SECRET characters or more are searched.
 */
export function maskAnswer(exchange: Exchange, values: string[]): Exchange {
  if (values.length === 0) return exchange;
  const r = exchange.response;
  if (r) {
    r.head = maskValues(r.head, values);
    r.headers = r.headers.map((h) => ({ name: h.name, value: maskValues(h.value, values) }));
    r.reason = maskValues(r.reason, values);
    if (r.bodyEncoding === 'utf8') r.body = maskValues(r.body, values);
  }
  exchange.message = maskValues(exchange.message, values);
  exchange.redirects = exchange.redirects.map((x) => ({ status: x.status, location: maskValues(x.location, values) }));
  if (exchange.error)
    exchange.error = { code: exchange.error.code, message: maskValues(exchange.error.message, values) };
  const m = exchange.mapping;
  if (m) {
    m.mappings = m.mappings.map((x) => ({
      ...x,
      value: maskUnknown(x.value, values),
      coerced: maskUnknown(x.coerced, values) as typeof x.coerced,
    }));
    m.lead = {
      before: m.lead.before,
      after: Object.fromEntries(Object.entries(m.lead.after).map(([k, v]) => [k, maskUnknown(v, values) as typeof v])),
    };
  }
  return exchange;
}
