import { performance } from 'node:perf_hooks';
import { evaluateResponse } from '@shared/engine';
import type { Exchange, MappingReport } from '@shared/model';
import { maskSpans, SECRET_MASK } from '@shared/engine/render';
import {
  isMasked,
  maskAnswer,
  maskHead,
  maskValues,
  MIN_SEARCHED_SECRET,
  searchedSecrets,
  type RequestMask,
} from '../secrets/mask';
import { wireText } from './bytes';
import type { Flight } from './flight';
import type { Hop } from './hop';
import { answeredMessage, cancelledMessage, describeNetworkError, timeoutMessage } from './messages';
import type { Prepared } from './prepare';
import { responseRecord } from './response';
import { emptyTimings, hopTimings } from './timings';
import type { SendInput } from './types';
import { predictHead, type WireRequest } from './wire';

/** The request as it went out (or would have), for the record. */
interface RequestAsSent {
  wire: WireRequest;
  url: string;
  origin: string;
  /** The head as written, or as predicted when it was not observed. */
  head: string;
  /** The written request's (see WireRequest): an ASCII head needs no decoding back to text. */
  ascii: boolean;
  mask: RequestMask;
  /** A proxy's credentials, masked in the head. */
  proxyAuth?: string | undefined;
}

/** `text` with the secrets masked: by position where known, else by searching for the values sent. */
function masked(text: string, spans: RequestMask['url'], search: string[]): string {
  return spans.length > 0 ? maskSpans(text, spans) : search.length > 0 ? maskValues(text, search) : text;
}

/**
 * The request as recorded, its secrets masked where the render put them (never by searching for a
 * value, which would garble a record around a short secret).
 */
function requestRecord(r: RequestAsSent): Exchange['request'] {
  const { wire, mask } = r;
  let text = r.ascii ? r.head : wireText(r.head);
  if (isMasked(mask)) text = maskHead(text, wire.path, mask);
  if (r.proxyAuth !== undefined) text = text.split(r.proxyAuth).join(SECRET_MASK);
  return {
    method: wire.method,
    url: masked(r.url, mask.url, mask.search),
    origin: r.origin,
    requestTarget: masked(wire.path, mask.target, mask.search),
    head: text,
    body: masked(wire.bodyText, mask.body, mask.search),
    bodyEncoding: 'utf8',
  };
}

/** The prepared request as it would have gone out, to `origin`. */
function unsentRequest(p: Prepared, origin: string): Exchange['request'] {
  const wire = p.wire;
  return requestRecord({ wire, url: p.rendered.url, origin, head: predictHead(wire), ascii: wire.ascii, mask: p.mask });
}

function contextNameOf(input: SendInput): string | undefined {
  const contextName = input.contextName ?? input.context.name;
  return contextName ? contextName : undefined;
}

/** The exchange of a send stopped before anything went out: what would have been sent, and why not. */
export function notSentExchange(p: Prepared, message: string): Exchange {
  p.progress?.('done', performance.now());
  const base: Pick<Exchange, 'id' | 'webhook' | 'context' | 'startedAt'> = {
    id: p.input.sendId,
    webhook: p.input.webhookName ?? p.input.webhook.name,
    startedAt: p.startedAt,
  };
  const contextName = contextNameOf(p.input);
  if (contextName !== undefined) base.context = contextName;
  return {
    ...base,
    request: unsentRequest(p, p.rendered.origin ?? ''),
    timings: emptyTimings(performance.now() - p.t0),
    outcome: 'not-sent',
    message,
    redirects: [],
    diagnostics: [...p.diagnostics, ...p.whyNotAlso],
  };
}

/** The exchange of a send that failed before anything could be sent, for a reason nobody foresaw. */
export function prepareFailed(input: SendInput, e: unknown): Exchange {
  const why = e instanceof Error ? e.message : String(e);
  return {
    id: input.sendId,
    webhook: input.webhookName ?? input.webhook.name,
    startedAt: new Date().toISOString(),
    request: {
      method: input.webhook.method,
      url: input.webhook.url,
      origin: '',
      requestTarget: '',
      head: '',
      body: '',
      bodyEncoding: 'utf8',
    },
    timings: emptyTimings(0),
    outcome: 'not-sent',
    message: `not sent: the request could not be prepared (${why})`,
    error: { code: 'PREPARE_FAILED', message: why },
    redirects: [],
    diagnostics: [],
  };
}

/**
 * The exchange of a send whose own code failed once the request may have gone out (a bug, not the
 * service's doing): it says so and names the cause, instead of taking the process down or hanging.
 */
export function internalFailed(p: Prepared, e: unknown): Exchange {
  // An error's text may quote what it was handed, a secret included: the searched secrets are masked.
  const why = maskValues(
    e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e),
    p.mask.search,
  );
  return {
    id: p.input.sendId,
    webhook: p.input.webhookName ?? p.input.webhook.name,
    context: contextNameOf(p.input),
    startedAt: p.startedAt,
    request: unsentRequest(p, p.origin),
    timings: emptyTimings(performance.now() - p.t0),
    outcome: 'internal-error',
    message: `internal error in the sender (${why}): the request may have been sent, but its answer could not be recorded; send again, and report this if it happens again`,
    error: { code: 'INTERNAL', message: why },
    redirects: [],
    diagnostics: p.diagnostics,
  };
}

type Outcome = Pick<Exchange, 'outcome' | 'message' | 'error' | 'mapping'>;

/** A hop that answered: the mappings decide the outcome. `shownText` is the body when already decoded whole. */
function answeredOutcome(p: Prepared, last: Hop & { status: number }, flight: Flight, shownText?: string): Outcome {
  // The shown text is the body itself when it is whole, valid UTF-8 and in memory. Speed: docs/performance.md#sender
  const bodyText = flight.fileBody ?? shownText ?? last.sink.memory().toString('utf8');
  const input = p.input;
  const mapping: MappingReport = evaluateResponse(
    input.webhook,
    { status: last.status, reason: last.reason, body: bodyText },
    input,
  );
  const extra: { redirectTo?: string; truncatedAt?: number } = {};
  if (flight.redirectNotFollowed !== undefined) extra.redirectTo = flight.redirectNotFollowed;
  if (last.sink.truncated) extra.truncatedAt = last.sink.bytes;
  let message = answeredMessage(mapping, last.status, last.reason, extra);
  const stoppedAtRedirect =
    flight.redirects.length > 0 &&
    p.profile.followRedirects &&
    flight.redirectNotFollowed === undefined &&
    last.status >= 300 &&
    last.status < 400;
  if (stoppedAtRedirect) message += `. Stopped after ${flight.redirects.length} redirect(s)`;
  return { outcome: mapping.outcome, message, error: undefined, mapping };
}

/** How the send ended: timed out, cancelled, failed on the network, or answered (then the mappings decide). */
function outcomeOf(p: Prepared, last: Hop, flight: Flight, shownText: string | undefined): Outcome {
  const timeoutMs = p.profile.timeoutMs;
  const code = last.error ? String((last.error as { code?: unknown }).code) : '';
  if (last.stopped === 'timeout' || (code !== '' && /UND_ERR_(HEADERS|BODY)_TIMEOUT/.test(code))) {
    return {
      outcome: 'timeout',
      message: timeoutMessage(timeoutMs, last.wasSent),
      error: { code: 'TIMEOUT', message: `no complete answer within ${timeoutMs} ms` },
      mapping: undefined,
    };
  }
  if (last.stopped === 'cancelled')
    return { outcome: 'cancelled', message: cancelledMessage(last.wasSent), error: undefined, mapping: undefined };
  if (last.error) {
    const error = describeNetworkError(last.error, flight.current.origin, {
      gotHeaders: last.status !== undefined,
      bodyBytes: last.sink.bytes,
      sent: last.wasSent,
    });
    return { outcome: 'network-error', message: error.message, error, mapping: undefined };
  }
  if (last.status !== undefined) return answeredOutcome(p, last as Hop & { status: number }, flight, shownText);
  return { outcome: 'network-error', message: '', error: undefined, mapping: undefined };
}

/** What the record says besides the outcome: a proxy that forwarded, and how secrets were masked. */
function addNotes(p: Prepared, flight: Flight): void {
  const diagnostics = p.diagnostics;
  if (flight.via.forwardedBy !== undefined) {
    diagnostics.push({
      severity: 'warning',
      code: 'proxy-forwarded',
      message: `the proxy ${flight.via.forwardedBy} does not tunnel to ${flight.current.origin}, so the request went to it in absolute form (see the request line); the proxy forwards it and may rewrite what the service receives`,
    });
  }
  if (p.secretValues.length === 0) return;
  diagnostics.push({
    severity: 'info',
    code: 'secret-masked',
    message: `secrets were sent as stored; this record shows ${SECRET_MASK} where each one went, and in the answer wherever a secret of ${MIN_SEARCHED_SECRET} or more characters came back`,
  });
  const short = p.secretValues.filter((v) => v.length < MIN_SEARCHED_SECRET).length;
  if (short > 0) {
    diagnostics.push({
      severity: 'info',
      code: 'secret-not-searched',
      message: `${short} secret(s) shorter than ${MIN_SEARCHED_SECRET} characters are masked in the request but not searched for in the answer (too short to tell from ordinary text)`,
    });
  }
}

/** The exchange once the hops are over: the response as it arrived, the outcome, the mapping report. */
export function answeredExchange(p: Prepared, last: Hop, flight: Flight): Exchange {
  const end = last.endAt ?? performance.now();
  const { response, shownText } = responseRecord(last, flight.fileProblem);
  const { outcome, message, error, mapping } = outcomeOf(p, last, flight, shownText);
  addNotes(p, flight);
  const { via, current } = flight;
  // Built once with every field. Speed: docs/performance.md#sender
  const exchange: Exchange = {
    id: p.input.sendId,
    webhook: p.input.webhookName ?? p.input.webhook.name,
    context: contextNameOf(p.input),
    startedAt: p.startedAt,
    request: requestRecord({
      wire: current.wire,
      url: current.url,
      origin: current.origin,
      head: last.head ?? predictHead(via.wire),
      ascii: via.wire.ascii,
      mask: current.mask,
      proxyAuth: via.masked,
    }),
    response,
    timings: hopTimings(last, p.t0, end),
    outcome,
    message,
    error,
    redirects: flight.redirects,
    mapping,
    diagnostics: p.diagnostics,
  };
  p.progress?.('done', performance.now());
  return p.secretValues.length === 0 ? exchange : maskAnswer(exchange, searchedSecrets(p.secretValues));
}
