import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { evaluateResponse, renderWebhook } from '../../../shared/engine';
import {
  defaultProfile,
  type Diagnostic,
  type Exchange,
  type FieldCatalog,
  type HeaderLine,
  type MappingReport,
  type Profile,
  type RenderedRequest,
  type Timings,
  type TokenContext,
  type Webhook,
} from '../../../shared/model';
import { ConnectFailure, createConnector, type ConnectionPhase, type NetSettings } from '../net/connector';
import { chooseProxy } from '../net/proxy';
import { bytesToText, headerText, trimPartialUtf8, wireText } from './bytes';
import { Deadlines } from './deadlines';
import { Links } from './links';
import { Hop, type ProgressPhase, type StopReason } from './hop';
import { answeredMessage, cancelledMessage, describeNetworkError, timeoutMessage } from './messages';
import { sweepSpilledBodies } from './spill';
import { predictHead, toWire, wireProblems, type WireRequest } from './wire';

export interface SenderOptions {
  /** An explicit proxy URL, `env` (HTTP_PROXY / HTTPS_PROXY / NO_PROXY; the default) or `none`. */
  proxy?: string | 'env' | 'none';
  noProxy?: string;
  /** Extra CA certificates (PEM texts), trusted besides the system's. */
  extraCa?: string[];
  clientCert?: { pem?: { cert: string; key: string; passphrase?: string }; pfx?: { data: Uint8Array; passphrase?: string } };
  /** Verify server certificates (default true). */
  verifyTls?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Bodies over 1 MiB are streamed to a private folder in here (default: the OS temp folder); see spill.ts. */
  tempDir?: string;
  /** Body files outlive the process (the person was told their path); a later start sweeps them after a day. */
  keepBodyFiles?: boolean;
  /** The built-in catcher's base URL, for target 'catcher'. */
  catcherUrl?: () => Promise<string>;
}

/** Why a secret was not given for a host (no stored value, or a host it is not bound to). */
export interface SecretRefusal {
  refused: string;
}

export interface SendInput {
  sendId: string;
  webhook: Webhook;
  webhookName?: string;
  contextName?: string;
  context: TokenContext;
  fields?: FieldCatalog;
  profile?: Partial<Profile>;
  target?: 'url' | 'catcher';
  onProgress?: (p: { phase: ProgressPhase; atMs: number }) => void;
  /** The value of a secret header (named after the header) for a request to `host`. */
  resolveSecret?: (name: string, host: string) => string | SecretRefusal;
}

export interface Sender {
  send(input: SendInput): Promise<Exchange>;
  cancel(sendId: string): boolean;
  close(): Promise<void>;
}

interface OriginEntry {
  pool: Pool;
  /** Hops waiting for a connection, oldest first: connection phases are reported to the first. */
  waiting: Links<Hop>;
  /** One function per origin (not per hop) takes a hop out of `waiting`. */
  leave: (hop: Hop) => void;
}

const maxRedirects = 10;

/** The wall-clock start of a send; formatting a date costs more than a request on loopback, so once per millisecond. */
let isoAt = 0;
let isoText = '';
function isoNow(): string {
  const now = Date.now();
  if (now !== isoAt) {
    isoAt = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}
const FORBIDDEN_IN_HEADER = /[\r\n\0]/;
const NON_ASCII = /[^\x00-\x7f]/;
const round = (ms: number): number => Math.round(ms * 1000) / 1000;

function profileOf(partial: Partial<Profile> | undefined): Profile {
  if (!partial) return defaultProfile;
  const merged: Profile = { ...defaultProfile };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  return merged;
}

/** The empty list every send shares where nothing was found (no secrets, no wire problems); only ever read. */
const none: never[] = [];

/** The first error and how many there are, without collecting them (the usual send has none). */
function firstError(diagnostics: Diagnostic[]): { first: Diagnostic; count: number } | undefined {
  let first: Diagnostic | undefined;
  let count = 0;
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    first ??= d;
    count++;
  }
  return first === undefined ? undefined : { first, count };
}

/** Secret header values are swapped in after rendering, through placeholders, so the renderer never sees them. */
interface SecretPlan {
  webhook: Webhook;
  placeholders: Array<{ placeholder: string; headerIndex: number; name: string }>;
}

function planSecrets(webhook: Webhook): SecretPlan {
  const placeholders: SecretPlan['placeholders'] = [];
  let anySecret = false;
  for (const h of webhook.headers) if (h.secret) anySecret = true;
  if (!anySecret) return { webhook, placeholders };
  const tag = randomBytes(6).toString('hex');
  const headers = webhook.headers.map((h, headerIndex) => {
    if (!h.secret) return h;
    const placeholder = `wss${tag}x${headerIndex}`;
    placeholders.push({ placeholder, headerIndex, name: h.name });
    return { ...h, value: placeholder };
  });
  return { webhook: { ...webhook, headers }, placeholders };
}

function hostOf(origin: string | undefined, rendered: RenderedRequest): string {
  if (origin) {
    try {
      return new URL(origin).host;
    } catch {
      // fall through to the Host header
    }
  }
  return rendered.host ?? '';
}

function applySecrets(
  plan: SecretPlan,
  rendered: RenderedRequest,
  resolveSecret: SendInput['resolveSecret'],
): { headers: HeaderLine[]; problems: Diagnostic[]; values: string[] } {
  if (plan.placeholders.length === 0) return { headers: rendered.headers, problems: none, values: none };
  const host = hostOf(rendered.origin, rendered);
  const problems: Diagnostic[] = [];
  const values: string[] = [];
  let headers = rendered.headers;
  for (const p of plan.placeholders) {
    const location = { part: 'header' as const, index: p.headerIndex, field: 'value' as const };
    const answer = resolveSecret ? resolveSecret(p.name, host) : { refused: 'no secrets store is available here' };
    if (typeof answer !== 'string') {
      problems.push({ severity: 'error', code: 'secret-refused', message: `the secret header '${p.name}' was not sent to ${host || 'this host'}: ${answer.refused}`, location });
      continue;
    }
    if (FORBIDDEN_IN_HEADER.test(answer)) {
      problems.push({ severity: 'error', code: 'header-injection', message: `the secret value of header '${p.name}' holds a line break or NUL: it would split the request, so the request is not sent`, location });
      continue;
    }
    values.push(answer);
    headers = headers.map((h) => (h.value.includes(p.placeholder) ? { name: h.name, value: h.value.split(p.placeholder).join(answer) } : h));
  }
  return { headers, problems, values };
}

/** Secret values stay out of the record (history, reports): the head shows a mask in their place. */
function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s !== '') out = out.split(s).join('••••••');
  return out;
}

function emptyTimings(totalMs: number): Timings {
  return { dnsMs: null, connectMs: null, tlsMs: null, sentMs: null, ttfbMs: null, downloadMs: null, totalMs: round(totalMs) };
}

const phase = (v: number | null): number | null => (v === null ? null : round(Math.max(0, v)));

function hopTimings(hop: Hop, t0: number, end: number): Timings {
  const m = hop.marks;
  const dnsMs = m?.dnsEnd !== undefined ? m.dnsEnd - m.start : null;
  const connectMs = m?.connectEnd !== undefined ? m.connectEnd - (m.dnsEnd ?? m.start) : null;
  const tlsMs = m?.tlsEnd !== undefined && m.connectEnd !== undefined ? m.tlsEnd - m.connectEnd : null;
  const sentMs = hop.sentAt !== undefined && hop.writeAt !== undefined ? hop.sentAt - hop.writeAt : null;
  const ttfbMs = hop.firstByteAt !== undefined && hop.sentAt !== undefined ? hop.firstByteAt - hop.sentAt : null;
  const downloadMs = hop.endAt !== undefined && hop.headersAt !== undefined && hop.status !== undefined ? hop.endAt - hop.headersAt : null;
  return { dnsMs: phase(dnsMs), connectMs: phase(connectMs), tlsMs: phase(tlsMs), sentMs: phase(sentMs), ttfbMs: phase(ttfbMs), downloadMs: phase(downloadMs), totalMs: round(end - t0) };
}

function rawHeaderLines(raw: Buffer[]): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: headerText(raw[i] as Buffer), value: headerText(raw[i + 1] as Buffer) });
  return out;
}

const isOws = (c: number): boolean => c === 0x20 || c === 0x09;

/**
 * The header lines read out of the verbatim head text, which is decoded once, instead of decoding each of
 * undici's header buffers: those buffers are spans of the same bytes, so their lengths locate each name
 * and value in the head. Only for an ASCII head (a character per byte); undefined when the head does
 * not line up with what undici parsed (then the buffers are decoded one by one).
 */
function headLines(head: string, raw: Buffer[]): Array<{ name: string; value: string }> | undefined {
  const out: Array<{ name: string; value: string }> = [];
  let pos = head.indexOf('\r\n') + 2;
  if (pos < 2) return undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const nameEnd = pos + (raw[i] as Buffer).length;
    if (head.charCodeAt(nameEnd) !== 0x3a) return undefined;
    let at = nameEnd + 1;
    while (isOws(head.charCodeAt(at))) at++;
    const valueEnd = at + (raw[i + 1] as Buffer).length;
    const next = head.indexOf('\r\n', valueEnd);
    if (next < 0) return undefined;
    for (let k = valueEnd; k < next; k++) if (!isOws(head.charCodeAt(k))) return undefined;
    out.push({ name: head.slice(pos, nameEnd), value: head.slice(at, valueEnd) });
    pos = next + 2;
  }
  // Every line accounted for, up to the blank line that ends the head.
  return pos === head.length - 2 ? out : undefined;
}

function responseHead(status: number, reason: string, lines: Array<{ name: string; value: string }>): string {
  let head = `HTTP/1.1 ${status}${reason ? ` ${reason}` : ''}\r\n`;
  for (const h of lines) head += `${h.name}: ${h.value}\r\n`;
  return `${head}\r\n`;
}

function headerValue(lines: Array<{ name: string; value: string }>, name: string): string | undefined {
  return lines.find((h) => h.name.toLowerCase() === name)?.value;
}

/** The next hop of a followed redirect: 303 (and 301/302 after POST) become GET without a body, as browsers do. */
function redirectWire(prev: WireRequest, status: number, location: string, base: string): { origin: string; wire: WireRequest; url: string } | undefined {
  let next: URL;
  try {
    next = new URL(location, base);
  } catch {
    return undefined;
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return undefined;
  const toGet = status === 303 || ((status === 301 || status === 302) && prev.method === 'POST');
  const method = toGet ? 'GET' : prev.method;
  const bodyHeaders = new Set(['content-type', 'content-length']);
  const headers: HeaderLine[] = [{ name: 'host', value: next.host }, { name: 'connection', value: prev.reset ? 'close' : 'keep-alive' }];
  const sameOrigin = new URL(base).origin === next.origin;
  for (let i = 2; i < prev.headers.length; i += 2) {
    const name = prev.headers[i] as string;
    const lower = name.toLowerCase();
    if (toGet && bodyHeaders.has(lower)) continue;
    // Credentials do not follow a redirect to another origin.
    if (!sameOrigin && (lower === 'authorization' || lower === 'cookie')) continue;
    headers.push({ name, value: Buffer.from(prev.headers[i + 1] as string, 'latin1').toString('utf8') });
  }
  const body = toGet || prev.body === null ? null : prev.body.toString('utf8');
  const rendered: RenderedRequest = {
    method,
    url: next.href,
    origin: next.origin,
    host: next.host,
    requestTarget: `${next.pathname}${next.search}`,
    requestTargetAsWritten: `${next.pathname}${next.search}`,
    headers,
    body,
    tokens: [],
    diagnostics: [],
  };
  return { origin: next.origin, wire: toWire(rendered), url: next.href };
}

/** `ascii` is the written request's (see WireRequest): an ASCII head needs no decoding back to text. */
function requestRecord(w: WireRequest, url: string, origin: string, head: string, ascii: boolean, secretValues: string[], masked?: string): Exchange['request'] {
  return {
    method: w.method,
    url,
    origin,
    requestTarget: w.path,
    head: redact(ascii ? head : wireText(head), masked === undefined ? secretValues : [...secretValues, masked]),
    body: w.body === null ? '' : redact(w.body.toString('utf8'), secretValues),
    bodyEncoding: 'utf8',
  };
}

/** The exchange of a send stopped before anything went out: what would have been sent, and why not. */
function notSentExchange(
  input: SendInput,
  startedAt: string,
  t0: number,
  rendered: RenderedRequest,
  wire: WireRequest,
  diagnostics: Diagnostic[],
  secretValues: string[],
  progress: ((phase: ProgressPhase, at: number) => void) | undefined,
  message: string,
  extra: Diagnostic[],
): Exchange {
  progress?.('done', performance.now());
  const base: Pick<Exchange, 'id' | 'webhook' | 'context' | 'startedAt'> = { id: input.sendId, webhook: input.webhookName ?? input.webhook.name, startedAt };
  const contextName = input.contextName ?? input.context.name;
  if (contextName) base.context = contextName;
  return {
    ...base,
    request: requestRecord(wire, rendered.url, rendered.origin ?? '', predictHead(wire), wire.ascii, secretValues),
    timings: emptyTimings(performance.now() - t0),
    outcome: 'not-sent',
    message,
    redirects: [],
    diagnostics: [...diagnostics, ...extra],
  };
}

function leaveWaiting(waiting: Links<Hop>): (hop: Hop) => void {
  return (hop) => {
    if (hop.waiting) waiting.remove(hop.waiting);
  };
}

/** What a send has worked out before anything goes on the wire (see prepare in createSender). */
interface Prepared {
  input: SendInput;
  startedAt: string;
  t0: number;
  profile: Profile;
  rendered: RenderedRequest;
  wire: WireRequest;
  /** The render's diagnostics, which the send adds to. */
  diagnostics: Diagnostic[];
  secretValues: string[];
  progress: ((phase: ProgressPhase, at: number) => void) | undefined;
  /** Where the request goes: the URL's origin, or the catcher's. */
  origin: string;
  whyNot: string | undefined;
  whyNotAlso: Diagnostic[];
}

/** How one hop went out: to its origin's pool, or in absolute form to a proxy that would not tunnel. */
interface Route {
  entryOrigin: string;
  wire: WireRequest;
  forwardedBy?: string;
  masked?: string;
}

/** A send in flight, as cancel, close and its deadline reach it. */
class SendControl {
  hop: Hop | undefined;
  reason: StopReason | undefined;
  constructor(readonly sendId: string) {}

  /** The first reason wins; the current hop (if any) stops, and a hop dispatched later stops at once. */
  stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.hop?.stop(reason);
  }

  expire(): void {
    this.stop('timeout');
  }
}

/** The exchange of a send that failed before anything could be sent, for a reason nobody foresaw. */
function prepareFailed(input: SendInput, e: unknown): Exchange {
  const why = e instanceof Error ? e.message : String(e);
  return {
    id: input.sendId,
    webhook: input.webhookName ?? input.webhook.name,
    startedAt: new Date().toISOString(),
    request: { method: input.webhook.method, url: input.webhook.url, origin: '', requestTarget: '', head: '', body: '', bodyEncoding: 'utf8' },
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
function internalFailed(p: Prepared, e: unknown): Exchange {
  const why = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  const contextName = p.input.contextName ?? p.input.context.name;
  return {
    id: p.input.sendId,
    webhook: p.input.webhookName ?? p.input.webhook.name,
    context: contextName ? contextName : undefined,
    startedAt: p.startedAt,
    request: requestRecord(p.wire, p.rendered.url, p.origin, predictHead(p.wire), p.wire.ascii, p.secretValues),
    timings: emptyTimings(performance.now() - p.t0),
    outcome: 'internal-error',
    message: `internal error in the sender (${why}): the request may have been sent, but its answer could not be recorded; send again, and report this if it happens again`,
    error: { code: 'INTERNAL', message: why },
    redirects: [],
    diagnostics: p.diagnostics,
  };
}

export function createSender(options: SenderOptions = {}): Sender {
  const net: NetSettings = {
    ...(options.proxy !== undefined ? { proxy: options.proxy } : {}),
    ...(options.noProxy !== undefined ? { noProxy: options.noProxy } : {}),
    ...(options.extraCa ? { extraCa: options.extraCa } : {}),
    ...(options.clientCert ? { clientCert: options.clientCert } : {}),
    verifyTls: options.verifyTls !== false,
    env: options.env ?? process.env,
  };
  const tempDir = options.tempDir ?? os.tmpdir();
  // What an earlier process left behind (killed before its exit handler ran) goes now, off the send path.
  void sweepSpilledBodies(tempDir);
  const origins = new Map<string, OriginEntry>();
  /** Plain-http origins whose proxy refused a CONNECT tunnel, with that proxy's URL. */
  const forwarded = new Map<string, string>();
  /** Sends in flight; a send id used twice at once cancels the later send, as a map by id would. */
  const active = new Links<SendControl>();
  const deadlines = new Deadlines();
  let closed = false;

  function entryFor(origin: string): OriginEntry {
    let entry = origins.get(origin);
    if (entry) return entry;
    const waiting = new Links<Hop>();
    const onPhase = (phase: ConnectionPhase, at: number): void => waiting.first()?.reportPhase(phase, at);
    const pool = new Pool(origin, { connect: createConnector(net, onPhase), pipelining: 1, keepAliveTimeout: 4_000 });
    entry = { pool, waiting, leave: leaveWaiting(waiting) };
    origins.set(origin, entry);
    return entry;
  }

  /**
   * How a request goes to `origin`: straight (or tunnelled with CONNECT by the connector), or, once a
   * proxy has refused to tunnel to a plain-http origin, handed to that proxy in absolute form.
   */
  function route(origin: string, wire: WireRequest): Route {
    const proxyUrl = forwarded.size === 0 ? undefined : forwarded.get(origin);
    if (proxyUrl === undefined) return { entryOrigin: origin, wire };
    const url = new URL(origin);
    const proxy = chooseProxy('http:', url.hostname, Number(url.port || 80), net).proxy;
    if (!proxy) return { entryOrigin: origin, wire };
    const headers = proxy.authorization ? [...wire.headers, 'proxy-authorization', proxy.authorization] : wire.headers;
    return { entryOrigin: `forward ${proxy.url}`, wire: { ...wire, path: `${origin}${wire.path}`, headers, ascii: wire.ascii && !NON_ASCII.test(origin) }, forwardedBy: proxy.url, ...(proxy.authorization ? { masked: proxy.authorization } : {}) };
  }

  function forwardEntry(key: string): OriginEntry {
    let entry = origins.get(key);
    if (entry) return entry;
    const waiting = new Links<Hop>();
    const onPhase = (phase: ConnectionPhase, at: number): void => waiting.first()?.reportPhase(phase, at);
    const proxyOrigin = key.slice('forward '.length);
    entry = { pool: new Pool(proxyOrigin, { connect: createConnector({ ...net, proxy: 'none' }, onPhase), pipelining: 1, keepAliveTimeout: 4_000 }), waiting, leave: leaveWaiting(waiting) };
    origins.set(key, entry);
    return entry;
  }

  function dispatch(origin: string, wire: WireRequest, hopOptions: ConstructorParameters<typeof Hop>[1], progress: ((phase: ProgressPhase, at: number) => void) | undefined, timeoutMs: number): Hop {
    const entry = origin.startsWith('forward ') ? forwardEntry(origin) : entryFor(origin);
    // The hop leaves the waiting list once connected or, if it ends before that, when it ends.
    const hop = new Hop(wire, hopOptions, progress, entry.leave);
    hop.waiting = entry.waiting.push(hop);
    entry.pool.dispatch(
      {
        path: wire.path,
        method: wire.method,
        headers: wire.headers,
        body: wire.body,
        reset: wire.reset,
        // The send's own timer is the deadline; these only stop undici from waiting on its longer defaults.
        headersTimeout: timeoutMs + 1_000,
        bodyTimeout: timeoutMs + 1_000,
      },
      hop,
    );
    return hop;
  }

  /** Whatever goes wrong inside (a throwing secrets hook, an engine bug) ends as an exchange, never a rejection. */
  // The safety net is a try/catch in the one async function: a .catch() on its promise would add a
  // second promise and a microtask to every send.
  /** Everything before the wire: render, secrets, the checks, and the reason not to send if there is one. */
  function prepare(input: SendInput): Prepared {
    const startedAt = isoNow();
    const t0 = performance.now();
    const profile = profileOf(input.profile);
    const plan = planSecrets(input.webhook);
    // The exchange records the request itself, not where each token went: no token uses are built.
    const rendered = renderWebhook(plan.webhook, input.context, { fields: input.fields, profile: input.profile, tokenUses: false });
    const secrets = applySecrets(plan, rendered, input.resolveSecret);
    // The render's own list (made for this send alone) grows with what the sender finds.
    const renderErrors = firstError(rendered.diagnostics);
    const diagnostics: Diagnostic[] = rendered.diagnostics;
    for (const d of secrets.problems) diagnostics.push(d);
    const onWire = renderErrors === undefined ? wireProblems(rendered) : none;
    for (const d of onWire) diagnostics.push(d);
    // Secret and wire problems are all errors, and follow the render's diagnostics in the list.
    const firstBlocking = renderErrors?.first ?? secrets.problems[0] ?? onWire[0];
    const blockingCount = (renderErrors?.count ?? 0) + secrets.problems.length + onWire.length;
    const onProgress = input.onProgress;
    let whyNot: string | undefined;
    if (closed) whyNot = 'not sent: the sender has been closed';
    else if (firstBlocking !== undefined) whyNot = `not sent: ${firstBlocking.message}${blockingCount > 1 ? ` (and ${blockingCount - 1} more error(s))` : ''}`;
    return {
      input,
      startedAt,
      t0,
      profile,
      rendered,
      wire: toWire(rendered, secrets.headers),
      diagnostics,
      secretValues: secrets.values,
      progress: onProgress ? (phase, at) => onProgress({ phase, atMs: round(at - t0) }) : undefined,
      origin: rendered.origin ?? '',
      whyNot,
      whyNotAlso: none,
    };
  }

  /** The exchange once the hops are over: the response as it arrived, the outcome, the mapping report. */
  function record(p: Prepared, last: Hop, via: Route, current: { origin: string; wire: WireRequest; url: string }, redirects: Exchange['redirects'], redirectNotFollowed: string | undefined, fileProblem: string | undefined, fileBody: string | undefined): Exchange {
    const { input, profile, diagnostics } = p;
    const end = last.endAt ?? performance.now();
    let response: Exchange['response'];
    let shownText: string | undefined;
    if (last.status !== undefined) {
      const memory = last.sink.memory();
      const shown = bytesToText(last.sink.spilled || last.sink.truncated ? trimPartialUtf8(memory) : memory);
      // The head as it arrived when the socket was observed; else rebuilt from what undici parsed.
      const rawHead = last.responseHead;
      const lines = (rawHead !== undefined && last.responseHeadAscii ? headLines(rawHead, last.rawHeaders) : undefined) ?? rawHeaderLines(last.rawHeaders);
      const version = rawHead === undefined ? undefined : rawHead.startsWith('HTTP/1.1 ') ? '1.1' : /^HTTP\/(\d\.\d) /.exec(rawHead)?.[1];
      response = {
        httpVersion: version ?? '1.1',
        status: last.status,
        reason: last.reason,
        headers: lines,
        head: rawHead ?? responseHead(last.status, last.reason, lines),
        body: shown.text,
        bodyEncoding: shown.encoding,
        bodyBytes: last.sink.bytes,
        truncated: last.sink.truncated,
      };
      if (last.sink.filePath !== undefined && fileProblem === undefined) response.bodyFile = last.sink.filePath;
      if (shown.encoding === 'utf8' && !last.sink.spilled && !last.sink.truncated) shownText = shown.text;
    }

    const timeoutMs = profile.timeoutMs;
    let outcome: Exchange['outcome'] = 'network-error';
    let message = '';
    let error: Exchange['error'];
    let mapping: MappingReport | undefined;
    if (last.stopped === 'timeout' || (last.error && /UND_ERR_(HEADERS|BODY)_TIMEOUT/.test(String((last.error as { code?: unknown }).code)))) {
      outcome = 'timeout';
      message = timeoutMessage(timeoutMs, last.wasSent);
      error = { code: 'TIMEOUT', message: `no complete answer within ${timeoutMs} ms` };
    } else if (last.stopped === 'cancelled') {
      outcome = 'cancelled';
      message = cancelledMessage(last.wasSent);
    } else if (last.error) {
      error = describeNetworkError(last.error, current.origin, { gotHeaders: last.status !== undefined, bodyBytes: last.sink.bytes, sent: last.wasSent });
      message = error.message;
    } else if (last.status !== undefined) {
      // The shown text is the body itself when it is whole, valid UTF-8 and in memory: no second decode.
      const bodyText = fileBody ?? (shownText !== undefined ? shownText : last.sink.memory().toString('utf8'));
      mapping = evaluateResponse(input.webhook, { status: last.status, reason: last.reason, body: bodyText }, input);
      outcome = mapping.outcome;
      const extra: { redirectTo?: string; truncatedAt?: number } = {};
      if (redirectNotFollowed !== undefined) extra.redirectTo = redirectNotFollowed;
      if (last.sink.truncated) extra.truncatedAt = last.sink.bytes;
      message = answeredMessage(mapping, last.status, last.reason, extra);
      if (redirects.length > 0 && profile.followRedirects && redirectNotFollowed === undefined && last.status >= 300 && last.status < 400) {
        message += `. Stopped after ${redirects.length} redirect(s)`;
      }
    }
    if (fileProblem !== undefined) {
      diagnostics.push({ severity: 'warning', code: 'body-file-failed', message: `the response body over 1 MiB could not be written to ${tempDir}: ${fileProblem}; only its first part is kept` });
    }
    if (via.forwardedBy !== undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'proxy-forwarded',
        message: `the proxy ${via.forwardedBy} does not tunnel to ${current.origin}, so the request went to it in absolute form (see the request line); the proxy forwards it and may rewrite what the service receives`,
      });
    }
    if (p.secretValues.length > 0) {
      diagnostics.push({ severity: 'info', code: 'secret-masked', message: 'secret header values were sent as stored; this record shows •••••• in their place' });
    }
    // Built once with every field, so each exchange has the same shape (no property added later).
    const contextName = input.contextName ?? input.context.name;
    const exchange: Exchange = {
      id: input.sendId,
      webhook: input.webhookName ?? input.webhook.name,
      context: contextName ? contextName : undefined,
      startedAt: p.startedAt,
      request: requestRecord(current.wire, current.url, current.origin, last.head ?? predictHead(via.wire), via.wire.ascii, p.secretValues, via.masked),
      response,
      timings: hopTimings(last, p.t0, end),
      outcome,
      message,
      error,
      redirects,
      mapping,
      diagnostics,
    };
    p.progress?.('done', performance.now());
    return exchange;
  }

  /**
   * The async part of a send is only the waiting (catcher start, hops, a temp file): the work before and
   * after is in plain functions, so the state kept across each await stays small.
   */
  async function send(input: SendInput): Promise<Exchange> {
    // Set once nothing more can stop the send before the wire: a failure after that is internal-error.
    let prepared: Prepared | undefined;
    try {
      const p = prepare(input);
      if (p.whyNot === undefined && input.target === 'catcher') {
        if (!options.catcherUrl) p.whyNot = 'not sent: the built-in catcher is not available here';
        else {
          try {
            p.origin = new URL(await options.catcherUrl()).origin;
          } catch (e) {
            p.whyNot = `not sent: the built-in catcher could not start (${e instanceof Error ? e.message : String(e)})`;
          }
          if (p.whyNot === undefined && closed) p.whyNot = 'not sent: the sender has been closed';
        }
      }
      if (p.whyNot === undefined && !p.origin.startsWith('http://') && !p.origin.startsWith('https://')) {
        const problem: Diagnostic = { severity: 'error', code: 'unsupported-scheme', message: `the URL must start with http:// or https:// to be sent (got '${p.rendered.url.slice(0, 40)}')`, location: { part: 'url' } };
        p.whyNot = `not sent: ${problem.message}`;
        p.whyNotAlso = [problem];
      }
      if (p.whyNot !== undefined) return notSentExchange(input, p.startedAt, p.t0, p.rendered, p.wire, p.diagnostics, p.secretValues, p.progress, p.whyNot, p.whyNotAlso);

      prepared = p;
      const timeoutMs = p.profile.timeoutMs;
      const hopOptions = { maxBytes: p.profile.maxResponseBytes, tempDir, name: input.sendId, keep: options.keepBodyFiles === true };
      let hop: Hop | undefined;
      const control = new SendControl(input.sendId);
      const activeLink = active.push(control);
      // The timeout counts from the start of the send, whose clock reading is at hand.
      const deadline = deadlines.add(timeoutMs, control, p.t0);

      const redirects: Exchange['redirects'] = [];
      let current = { origin: p.origin, wire: p.wire, url: p.rendered.url };
      let sent: Route | undefined;
      let redirectNotFollowed: string | undefined;
      try {
        for (;;) {
          sent = route(current.origin, current.wire);
          hop = dispatch(sent.entryOrigin, sent.wire, hopOptions, p.progress, timeoutMs);
          control.hop = hop;
          if (control.reason) hop.stop(control.reason);
          await hop.done;
          if (hop.error instanceof ConnectFailure && hop.error.code === 'EPROXY_NO_TUNNEL' && current.origin.startsWith('http:') && !forwarded.has(current.origin)) {
            // Nothing reached the service: the proxy only refused the tunnel. Hand it the request instead.
            const proxy = chooseProxy('http:', new URL(current.origin).hostname, Number(new URL(current.origin).port || 80), net).proxy;
            if (proxy) {
              forwarded.set(current.origin, proxy.url);
              await hop.sink.discard();
              continue;
            }
          }
          if (hop.stopped || hop.error || hop.status === undefined) break;
          const location = hop.status >= 300 && hop.status < 400 ? headerValue(rawHeaderLines(hop.rawHeaders), 'location') : undefined;
          if (location === undefined) break;
          redirects.push({ status: hop.status, location });
          if (!p.profile.followRedirects) {
            redirectNotFollowed = location;
            break;
          }
          const next = redirects.length <= maxRedirects ? redirectWire(current.wire, hop.status, location, current.url) : undefined;
          if (!next) break;
          // Sent to the catcher, a redirect within the webhook's own origin stays with the catcher.
          if (input.target === 'catcher' && next.origin === p.rendered.origin) next.origin = p.origin;
          await hop.sink.discard();
          current = next;
        }
      } finally {
        deadlines.drop(deadline);
        active.remove(activeLink);
      }

      const last = hop as Hop;
      let fileProblem: string | undefined;
      let fileBody: string | undefined;
      if (last.sink.spilled) {
        try {
          await last.sink.close();
        } catch (e) {
          fileProblem = e instanceof Error ? e.message : String(e);
        }
        // A whole body in a temp file is what the mappings read; if it cannot be read, the first part in memory is.
        // Without mappings nothing parses it, so up to maxResponseBytes is not read back just to be dropped.
        const parsed = (input.webhook.responseType ?? 'none') !== 'none' && input.webhook.mappings.length > 0;
        if (parsed && fileProblem === undefined && !last.stopped && !last.error && last.status !== undefined) {
          try {
            fileBody = (await last.sink.all()).toString('utf8');
          } catch {
            fileBody = undefined;
          }
        }
      }
      return record(p, last, sent as Route, current, redirects, redirectNotFollowed, fileProblem, fileBody);
    } catch (e) {
      return prepared === undefined ? prepareFailed(input, e) : internalFailed(prepared, e);
    }
  }


  return {
    send,
    cancel(sendId) {
      // Cancelling is rare and few sends are in flight: a walk costs less than an index kept per send.
      let latest: SendControl | undefined;
      for (const a of active.values()) if (a.sendId === sendId) latest = a;
      if (!latest) return false;
      latest.stop('cancelled');
      return true;
    },
    async close() {
      closed = true;
      for (const a of active.values()) a.stop('cancelled');
      deadlines.clear();
      const pools = [...origins.values()].map((e) => e.pool);
      origins.clear();
      await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
    },
  };
}
