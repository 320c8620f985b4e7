import type { Diagnostic, RenderedRequest, SecretSpan } from '../model';
import type { TokenSecretSpan } from './render-state';
import { maskSpans } from './secret-mask';
import { targetOffset, urlAuthority } from './url';

/** Where the render put what may hold a secret: token spans per part, secret headers, URL credentials. */
export interface SecretPlaces {
  tokenSpans: TokenSecretSpan[];
  /** Secret headers' places in `headers` (0: the Host header, -1: not sent), with their names. */
  secretHeaders: Array<{ at: number; name: string }>;
  /** Per webhook header, where it went in `headers` (-1: not sent). */
  headerAt: number[];
  /** The Authorization header made of URL credentials; -1 when none was added. */
  credentialsAt: number;
  hasBody: boolean;
}

/** Offsets of the rendered URL mapped into the request target, as written and as sent. */
interface TargetMap {
  authority: { start: number; end: number; userinfoEnd: number } | undefined;
  asWritten: (o: number) => number;
  sent: (o: number) => number;
}

function targetMapOf(request: RenderedRequest): TargetMap {
  const url = request.url;
  const authority = urlAuthority(url);
  const asWritten = request.requestTargetAsWritten;
  // splitUrl adds a `/` before a target that starts with `?` or `#` (or is empty).
  const slashAdded = authority !== undefined && asWritten.length === url.length - authority.end + 1;
  const sameTarget = request.requestTarget === asWritten;
  const inAsWritten = (o: number): number => (authority ? o - authority.end : o) + (slashAdded ? 1 : 0);
  return {
    authority,
    asWritten: inAsWritten,
    sent: (o) => (sameTarget ? inAsWritten(o) : targetOffset(asWritten, inAsWritten(o))),
  };
}

/**
 * Where every secret landed in the request: secret My Tokens in the URL (and so in the request target),
 * the body and header values; secret headers' whole values; URL credentials (in the URL and the
 * Authorization header made of them). A secret in the URL's host or in a header name cannot be masked
 * without hiding where the request goes: those are errors, and the request is not sent. The texts no
 * span covers (the target as written, a browser's target, the URL checks' messages) are masked here.
 */
export function secretSpansOf(request: RenderedRequest, places: SecretPlaces, diagnostics: Diagnostic[]): SecretSpan[] {
  const spans: SecretSpan[] = [];
  const map = targetMapOf(request);
  /** The target spans in the request target as written. */
  const asWritten: Array<{ start: number; end: number }> = [];
  if (tokenSpans(places, map, diagnostics, spans, asWritten))
    diagnostics.push({
      severity: 'error',
      code: 'secret-in-host',
      message: 'a secret is used in the host the request goes to: a host is never masked, so the request is not sent',
      location: { part: 'url' },
    });
  headerSpans(request, places, diagnostics, spans);
  credentialSpans(request, map, places.credentialsAt, spans);
  if (spans.some((s) => s.part === 'url')) maskUrlInDiagnostics(request, spans, diagnostics);
  if (asWritten.length > 0) maskTargets(request, asWritten);
  return spans;
}

/** The secret My Tokens' spans; true when one is in the URL's host. */
function tokenSpans(
  places: SecretPlaces,
  map: TargetMap,
  diagnostics: Diagnostic[],
  spans: SecretSpan[],
  asWritten: Array<{ start: number; end: number }>,
): boolean {
  const { authority } = map;
  let badHost = false;
  for (const t of places.tokenSpans) {
    const ref = t.ref;
    if (ref.part === 'url') {
      spans.push({ part: 'url', start: t.start, end: t.end, name: t.name });
      if (authority === undefined) continue;
      if (t.end > authority.start && t.start < authority.end && !(t.end <= authority.userinfoEnd)) badHost = true;
      else if (t.start >= authority.end) {
        spans.push({ part: 'target', start: map.sent(t.start), end: map.sent(t.end), name: t.name });
        asWritten.push({ start: map.asWritten(t.start), end: map.asWritten(t.end) });
      }
    } else if (ref.part === 'template') {
      if (places.hasBody) spans.push({ part: 'body', start: t.start, end: t.end, name: t.name });
    } else if (ref.field === 'name') {
      diagnostics.push({
        severity: 'error',
        code: 'secret-in-header-name',
        message: `the secret ${t.name} is used in the name of header ${ref.index + 1}: a header name is never masked, so the request is not sent`,
        location: { part: 'header', index: ref.index, field: 'name' },
      });
    } else {
      const at = places.headerAt[ref.index] ?? -1;
      if (at === 0) badHost = true;
      else if (at > 0) spans.push({ part: 'header', index: at, start: t.start, end: t.end, name: t.name });
    }
  }
  return badHost;
}

/** Secret headers' whole values; a secret Host header is an error (reported here), not a span. */
function headerSpans(
  request: RenderedRequest,
  places: SecretPlaces,
  diagnostics: Diagnostic[],
  spans: SecretSpan[],
): void {
  for (const h of places.secretHeaders) {
    if (h.at === 0)
      diagnostics.push({
        severity: 'error',
        code: 'secret-in-host',
        message: `the secret header ${h.name} is a Host header: a host is never masked, so the request is not sent`,
        location: { part: 'webhook', path: 'headers' },
      });
    else if (h.at > 0)
      spans.push({
        part: 'header',
        index: h.at,
        start: 0,
        end: request.headers[h.at]?.value.length ?? 0,
        name: h.name,
      });
  }
}

/** URL credentials: the userinfo in the URL and the Authorization header made of it. */
function credentialSpans(request: RenderedRequest, map: TargetMap, credentialsAt: number, spans: SecretSpan[]): void {
  const { authority } = map;
  if (authority === undefined || authority.userinfoEnd < 0) return;
  spans.push({ part: 'url', start: authority.start, end: authority.userinfoEnd, name: 'url-credentials' });
  if (credentialsAt >= 0)
    spans.push({
      part: 'header',
      index: credentialsAt,
      start: 0,
      end: request.headers[credentialsAt]?.value.length ?? 0,
      name: 'url-credentials',
    });
}

/** The URL checks quote the URL and its target; where a secret is in them, they quote the masked text instead. */
function maskUrlInDiagnostics(request: RenderedRequest, spans: SecretSpan[], diagnostics: Diagnostic[]): void {
  const url = request.url;
  const target = request.requestTarget;
  const maskedUrl = maskSpans(
    url,
    spans.filter((s) => s.part === 'url'),
  );
  const maskedTarget = maskSpans(
    target,
    spans.filter((s) => s.part === 'target'),
  );
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i] as Diagnostic;
    if (d.location?.part !== 'url' && d.code !== 'url-unsafe-character') continue;
    let message = d.message;
    if (d.code === 'url-browser-differs')
      message = `Marketo sends the request target as written (${maskedTarget}); a browser or fetch() would have sent it differently`;
    else {
      if (url !== '' && message.includes(url)) message = message.split(url).join(maskedUrl);
      if (target.length > 1 && message.includes(target)) message = message.split(target).join(maskedTarget);
    }
    if (message !== d.message) diagnostics[i] = { ...d, message };
  }
}

/**
 * A secret in the request target is also in the target as written and in what a browser would send.
 * Where either equals the target sent, the target's spans cover it as they cover the target (and it
 * stays equal, which is how a reader tells that nothing changed). Where it differs, no span covers it:
 * the one as written is masked where the secret is; a browser's target is left out (where its secret
 * went is not known).
 */
function maskTargets(request: RenderedRequest, asWritten: Array<{ start: number; end: number }>): void {
  const target = request.requestTarget;
  if (request.browserRequestTarget !== undefined && request.browserRequestTarget !== target)
    delete request.browserRequestTarget;
  if (request.requestTargetAsWritten !== target)
    request.requestTargetAsWritten = maskSpans(request.requestTargetAsWritten, asWritten);
}
