import type { HeaderLine, RenderedRequest, SecretSpan } from '@shared/model';
import { searchedSecrets, type RequestMask } from '../secrets/mask';
import type { Flight, HopRequest } from './flight';
import type { Hop } from './hop';
import type { Prepared } from './prepare';
import { headerValue, rawHeaderLines } from './response';
import { toWire, type WireRequest } from './wire';

const maxRedirects = 10;

/** A followed redirect's next hop, with what it left behind because it goes to another origin. */
interface NextHop extends HopRequest {
  /** What was not carried to another origin: secret headers by name, `URL credentials`, `the query`. */
  dropped: string[];
}

/** How the previous request's headers go on to the redirect's target. */
interface Carry {
  prev: WireRequest;
  prevMask: RequestMask;
  /** The redirect turns the request into a GET without a body. */
  toGet: boolean;
  sameOrigin: boolean;
  /** Whether a text holds one of the secret values sent. */
  holds: (text: string) => boolean;
}

const bodyHeaders = new Set(['content-type', 'content-length']);

/**
 * The headers the next hop carries, after `host` and `connection`, with the secret spans that go with
 * them. To another origin, credentials and secrets stay behind (named in `dropped`).
 */
function carriedHeaders(c: Carry): { headers: HeaderLine[]; carried: Map<string, SecretSpan[]>; dropped: string[] } {
  const headers: HeaderLine[] = [];
  const dropped: string[] = [];
  const seenBefore = new Map<string, number>();
  const seenAfter = new Map<string, number>();
  const carried = new Map<string, SecretSpan[]>();
  for (let i = 2; i < c.prev.headers.length; i += 2) {
    const name = c.prev.headers[i] as string;
    const lower = name.toLowerCase();
    const n = seenBefore.get(lower) ?? 0;
    seenBefore.set(lower, n + 1);
    const spans = c.prevMask.headers.get(`${lower}#${n}`);
    if (c.toGet && bodyHeaders.has(lower)) continue;
    // Credentials and secrets do not follow a redirect to another origin.
    if (!c.sameOrigin && (spans !== undefined || lower === 'authorization' || lower === 'cookie')) {
      if (spans !== undefined)
        dropped.push(spans.some((sp) => sp.name === 'url-credentials') ? 'URL credentials' : name);
      continue;
    }
    const value = Buffer.from(c.prev.headers[i + 1] as string, 'latin1').toString('utf8');
    if (!c.sameOrigin && c.holds(value)) {
      dropped.push(name);
      continue;
    }
    const m = seenAfter.get(lower) ?? 0;
    seenAfter.set(lower, m + 1);
    if (spans !== undefined) carried.set(`${lower}#${m}`, spans);
    headers.push({ name, value });
  }
  return { headers, carried, dropped };
}

/**
 * The next hop of a followed redirect: 303 (and 301/302 after POST) become GET without a body, as browsers
 * do. To another origin (scheme, host or port) no secret goes: headers holding one, Authorization and
 * Cookie are dropped, a query holding a secret is dropped, and a body holding one is not re-sent (the
 * redirect is then not followed: `refused` says why).
 */
export function redirectWire(
  from: HopRequest,
  status: number,
  location: string,
  secretValues: string[],
): NextHop | { refused: string } | undefined {
  let next: URL;
  try {
    next = new URL(location, from.url);
  } catch {
    return undefined;
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return undefined;
  const prev = from.wire;
  const toGet = status === 303 || ((status === 301 || status === 302) && prev.method === 'POST');
  const sameOrigin = new URL(from.url).origin === next.origin;
  const holds = (text: string): boolean => secretValues.some((v) => v !== '' && text.includes(v));
  if (!sameOrigin && !toGet && prev.body !== null && (from.mask.body.length > 0 || holds(prev.body.toString('utf8')))) {
    return {
      refused: `the redirect to ${next.origin} was not followed: the body holds a secret and is not re-sent to another origin`,
    };
  }
  const { headers, carried, dropped } = carriedHeaders({ prev, prevMask: from.mask, toGet, sameOrigin, holds });
  if (!sameOrigin && next.search !== '' && holds(next.search)) {
    next.search = '';
    dropped.push('the query');
  }
  if (!sameOrigin && holds(next.pathname))
    return { refused: `the redirect to ${next.origin} was not followed: its path holds a secret` };
  const body = toGet || prev.body === null ? null : prev.body.toString('utf8');
  const rendered: RenderedRequest = {
    method: toGet ? 'GET' : prev.method,
    url: next.href,
    origin: next.origin,
    host: next.host,
    requestTarget: `${next.pathname}${next.search}`,
    requestTargetAsWritten: `${next.pathname}${next.search}`,
    headers: [
      { name: 'host', value: next.host },
      { name: 'connection', value: prev.reset ? 'close' : 'keep-alive' },
      ...headers,
    ],
    body,
    tokens: [],
    diagnostics: [],
  };
  // The new URL comes from the answer, so where a secret is in it is known only by searching.
  const mask: RequestMask = {
    url: [],
    target: [],
    headers: carried,
    body: body !== null ? from.mask.body : [],
    search: searchedSecrets(secretValues),
  };
  return { origin: next.origin, wire: toWire(rendered), url: next.href, mask, dropped };
}

/**
 * Where the hop's answer leads next: the request of the redirect to follow, or undefined when the send
 * ends here (no redirect, not asked to follow, too many, or refused; the flight and the diagnostics
 * say which).
 */
export function nextHop(p: Prepared, hop: Hop, flight: Flight): HopRequest | undefined {
  if (hop.stopped || hop.error || hop.status === undefined) return undefined;
  const location =
    hop.status >= 300 && hop.status < 400 ? headerValue(rawHeaderLines(hop.rawHeaders), 'location') : undefined;
  if (location === undefined) return undefined;
  flight.redirects.push({ status: hop.status, location });
  if (!p.profile.followRedirects) {
    flight.redirectNotFollowed = location;
    return undefined;
  }
  const next =
    flight.redirects.length <= maxRedirects
      ? redirectWire(flight.current, hop.status, location, p.secretValues)
      : undefined;
  if (!next) return undefined;
  if ('refused' in next) {
    flight.redirectNotFollowed = location;
    p.diagnostics.push({ severity: 'warning', code: 'secret-redirect-refused', message: next.refused });
    return undefined;
  }
  if (next.dropped.length > 0) {
    p.diagnostics.push({
      severity: 'warning',
      code: 'secret-not-redirected',
      message: `the redirect goes to another origin (${next.origin}), so ${next.dropped.join(', ')} ${next.dropped.length > 1 ? 'were' : 'was'} not sent there`,
    });
  }
  // Sent to the catcher, a redirect within the webhook's own origin stays with the catcher.
  if (p.input.target === 'catcher' && next.origin === p.rendered.origin) next.origin = p.origin;
  return next;
}
