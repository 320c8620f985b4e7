import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { evaluateResponse, renderWebhook } from '@shared/engine';
import {
  defaultProfile,
  type Diagnostic,
  type Exchange,
  type FieldCatalog,
  type HeaderLine,
  type MappingReport,
  type Profile,
  type RenderedRequest,
  type SecretSpan,
  type Timings,
  type TokenContext,
  type Webhook,
} from '@shared/model';
import { ConnectFailure, createConnector, type ConnectionPhase, type NetSettings } from '../net/connector';
import { chooseProxy } from '../net/proxy';
import { bytesToText, headerText, trimPartialUtf8, wireText } from './bytes';
import { Deadlines } from './deadlines';
import { Links } from './links';
import { Hop, type ProgressPhase, type StopReason } from './hop';
import { answeredMessage, cancelledMessage, describeNetworkError, timeoutMessage } from './messages';
import { sweepSpilledBodiesOnce } from './spill';
import { maskBodyFile } from './mask-file';
import { predictHead, toWire, wireProblems, type WireRequest } from './wire';
import { maskSpans, SECRET_MASK } from '@shared/engine/render';
import { secretNameForHeader, secretNameForMyToken } from '@shared/formats/secret-names';
import { hostAllowed } from '../secrets/index';
import {
  isMasked,
  maskAnswer,
  maskHead,
  maskValues,
  MIN_SEARCHED_SECRET,
  requestMask,
  searchedSecrets,
  type RequestMask,
} from '../secrets/mask';

export interface SenderOptions {
  /** An explicit proxy URL, `env` (HTTP_PROXY / HTTPS_PROXY / NO_PROXY; the default) or `none`. */
  proxy?: string | 'env' | 'none';
  noProxy?: string;
  /** Extra CA certificates (PEM texts), trusted besides the system's. */
  extraCa?: string[];
  clientCert?: {
    pem?: { cert: string; key: string; passphrase?: string };
    pfx?: { data: Uint8Array; passphrase?: string };
  };
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
  /** No value anywhere (rather than a host it is not bound to). */
  missing?: boolean;
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
  /** The value of a secret (a header's, named after the header, or a My Token's, `my.<token>`) for a request to `host`. */
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

/** The secrets a webhook and its context hold: secret headers (by index) and secret My Tokens (by key). */
function secretsIn(webhook: Webhook, context: TokenContext): { headers: number[]; my: string[] } | undefined {
  let headers: number[] | undefined;
  let my: string[] | undefined;
  const list = webhook.headers ?? [];
  for (let i = 0; i < list.length; i++) if (list[i]?.secret) (headers ??= []).push(i);
  for (const k in context.my) {
    const t = context.my[k];
    if (t !== null && typeof t === 'object' && t.secret) (my ??= []).push(k);
  }
  return headers || my ? { headers: headers ?? [], my: my ?? [] } : undefined;
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

/**
 * Renders with the secrets' values in: the host is worked out first (from the URL alone, secrets
 * masked), each secret is asked for that host, and the render places the values and says where they
 * went. A secret with no value, or bound to other hosts, leaves an error (for a My Token, only when the
 * webhook uses it): the request is not sent, never sent with an empty value.
 */
function renderWithSecrets(input: SendInput): { rendered: RenderedRequest; problems: Diagnostic[]; values: string[] } {
  const { webhook, context } = input;
  const engine = { fields: input.fields, profile: input.profile, tokenUses: false };
  const found = secretsIn(webhook, context);
  if (found === undefined) return { rendered: renderWebhook(webhook, context, engine), problems: none, values: none };
  const probe = renderWebhook({ ...webhook, headers: [], template: '' }, context, engine);
  const host = hostOf(probe.origin, probe);
  const refusals = new Map<string, { message: string; missing: boolean; location: Diagnostic['location'] }>();
  const values: string[] = [];
  const ask = (name: string, location: Diagnostic['location'], allowedHosts: string[] | undefined): string => {
    // The webhook's or context's own binding comes first: a value is not even looked up for another host.
    const answer = !hostAllowed(host, allowedHosts)
      ? { refused: `it may only be sent to ${allowedHosts?.join(', ')}` }
      : input.resolveSecret
        ? input.resolveSecret(name, host)
        : { refused: 'no secrets store is available here', missing: true };
    if (typeof answer === 'string') {
      values.push(answer);
      return answer;
    }
    refusals.set(name, { message: answer.refused, missing: answer.missing === true, location });
    return '';
  };
  const headers = webhook.headers.slice();
  for (const i of found.headers) {
    const h = headers[i] as Webhook['headers'][number];
    headers[i] = {
      ...h,
      value: ask(secretNameForHeader(h.name), { part: 'header', index: i, field: 'value' }, h.allowedHosts),
    };
  }
  let my = context.my;
  if (found.my.length > 0) {
    my = { ...context.my };
    for (const k of found.my) {
      const t = my[k] as Exclude<TokenContext['my'][string], string | number | boolean | null>;
      my[k] = { ...t, value: ask(secretNameForMyToken(k), { part: 'context', path: `my.${k}` }, t.allowedHosts) };
    }
  }
  const rendered = renderWebhook({ ...webhook, headers }, { ...context, my }, engine);
  const problems: Diagnostic[] = [];
  const used = new Set((rendered.secretSpans ?? []).map((s) => s.name));
  for (const [name, r] of refusals) {
    const isHeader =
      !name.startsWith('my.') ||
      found.headers.some((i) => secretNameForHeader(webhook.headers[i]?.name ?? '') === name);
    if (!isHeader && !used.has(name)) continue;
    const what = isHeader ? `the secret header '${name}'` : `the secret ${name}`;
    problems.push({
      severity: 'error',
      code: r.missing ? 'secret-missing' : 'secret-refused',
      message: `${what} was not sent to ${host || 'this host'}: ${r.message}`,
      location: r.location,
    });
  }
  if (hostOf(rendered.origin, rendered) !== host) {
    problems.push({
      severity: 'error',
      code: 'secret-in-host',
      message: 'a secret decides the host the request goes to, so the request is not sent',
      location: { part: 'url' },
    });
  }
  return { rendered, problems, values };
}

/** Secrets in the URL credentials are searched for in answers too: the password, and the Authorization made of them. */
function credentialValues(rendered: RenderedRequest): string[] {
  const out: string[] = [];
  for (const s of rendered.secretSpans ?? []) {
    if (s.name !== 'url-credentials') continue;
    if (s.part === 'header') out.push(rendered.headers[s.index ?? -1]?.value ?? '');
    else if (s.part === 'url') {
      const userinfo = rendered.url.slice(s.start, s.end);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) {
        try {
          out.push(decodeURIComponent(userinfo.slice(colon + 1)));
        } catch {
          out.push(userinfo.slice(colon + 1));
        }
      }
    }
  }
  return out;
}

function emptyTimings(totalMs: number): Timings {
  return {
    dnsMs: null,
    connectMs: null,
    tlsMs: null,
    sentMs: null,
    ttfbMs: null,
    downloadMs: null,
    totalMs: round(totalMs),
  };
}

const phase = (v: number | null): number | null => (v === null ? null : round(Math.max(0, v)));

function hopTimings(hop: Hop, t0: number, end: number): Timings {
  const m = hop.marks;
  const dnsMs = m?.dnsEnd !== undefined ? m.dnsEnd - m.start : null;
  const connectMs = m?.connectEnd !== undefined ? m.connectEnd - (m.dnsEnd ?? m.start) : null;
  const tlsMs = m?.tlsEnd !== undefined && m.connectEnd !== undefined ? m.tlsEnd - m.connectEnd : null;
  const sentMs = hop.sentAt !== undefined && hop.writeAt !== undefined ? hop.sentAt - hop.writeAt : null;
  const ttfbMs = hop.firstByteAt !== undefined && hop.sentAt !== undefined ? hop.firstByteAt - hop.sentAt : null;
  const downloadMs =
    hop.endAt !== undefined && hop.headersAt !== undefined && hop.status !== undefined
      ? hop.endAt - hop.headersAt
      : null;
  return {
    dnsMs: phase(dnsMs),
    connectMs: phase(connectMs),
    tlsMs: phase(tlsMs),
    sentMs: phase(sentMs),
    ttfbMs: phase(ttfbMs),
    downloadMs: phase(downloadMs),
    totalMs: round(end - t0),
  };
}

function rawHeaderLines(raw: Buffer[]): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (let i = 0; i + 1 < raw.length; i += 2)
    out.push({ name: headerText(raw[i] as Buffer), value: headerText(raw[i + 1] as Buffer) });
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

/** A followed redirect's next hop, with what it left behind because it goes to another origin. */
interface NextHop {
  origin: string;
  wire: WireRequest;
  url: string;
  mask: RequestMask;
  /** What was not carried to another origin: secret headers by name, `URL credentials`, `the query`. */
  dropped: string[];
}

/**
 * The next hop of a followed redirect: 303 (and 301/302 after POST) become GET without a body, as browsers
 * do. To another origin (scheme, host or port) no secret goes: headers holding one, Authorization and
 * Cookie are dropped, a query holding a secret is dropped, and a body holding one is not re-sent (the
 * redirect is then not followed: `refused` says why).
 */
function redirectWire(
  prev: WireRequest,
  prevMask: RequestMask,
  status: number,
  location: string,
  base: string,
  secretValues: string[],
): NextHop | { refused: string } | undefined {
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
  const headers: HeaderLine[] = [
    { name: 'host', value: next.host },
    { name: 'connection', value: prev.reset ? 'close' : 'keep-alive' },
  ];
  const sameOrigin = new URL(base).origin === next.origin;
  const dropped: string[] = [];
  const holds = (text: string): boolean => secretValues.some((v) => v !== '' && text.includes(v));
  if (!sameOrigin && !toGet && prev.body !== null && (prevMask.body.length > 0 || holds(prev.body.toString('utf8')))) {
    return {
      refused: `the redirect to ${next.origin} was not followed: the body holds a secret and is not re-sent to another origin`,
    };
  }
  const seenBefore = new Map<string, number>();
  const seenAfter = new Map<string, number>();
  const carried = new Map<string, SecretSpan[]>();
  for (let i = 2; i < prev.headers.length; i += 2) {
    const name = prev.headers[i] as string;
    const lower = name.toLowerCase();
    const n = seenBefore.get(lower) ?? 0;
    seenBefore.set(lower, n + 1);
    const spans = prevMask.headers.get(`${lower}#${n}`);
    if (toGet && bodyHeaders.has(lower)) continue;
    // Credentials and secrets do not follow a redirect to another origin.
    if (!sameOrigin && (spans !== undefined || lower === 'authorization' || lower === 'cookie')) {
      if (spans !== undefined)
        dropped.push(spans.some((sp) => sp.name === 'url-credentials') ? 'URL credentials' : name);
      continue;
    }
    const value = Buffer.from(prev.headers[i + 1] as string, 'latin1').toString('utf8');
    if (!sameOrigin && holds(value)) {
      dropped.push(name);
      continue;
    }
    const m = seenAfter.get(lower) ?? 0;
    seenAfter.set(lower, m + 1);
    if (spans !== undefined) carried.set(`${lower}#${m}`, spans);
    headers.push({ name, value });
  }
  if (!sameOrigin && next.search !== '' && holds(next.search)) {
    next.search = '';
    dropped.push('the query');
  }
  if (!sameOrigin && holds(next.pathname))
    return { refused: `the redirect to ${next.origin} was not followed: its path holds a secret` };
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
  // The new URL comes from the answer, so where a secret is in it is known only by searching.
  const mask: RequestMask = {
    url: [],
    target: [],
    headers: carried,
    body: body !== null ? prevMask.body : [],
    search: searchedSecrets(secretValues),
  };
  return { origin: next.origin, wire: toWire(rendered), url: next.href, mask, dropped };
}

/**
 * The request as recorded, its secrets masked where the render put them (never by searching for a
 * value, which would garble a record around a short secret). `ascii` is the written request's (see
 * WireRequest): an ASCII head needs no decoding back to text. `proxyAuth` is a proxy's credentials.
 */
function requestRecord(
  w: WireRequest,
  url: string,
  origin: string,
  head: string,
  ascii: boolean,
  mask: RequestMask,
  proxyAuth?: string,
): Exchange['request'] {
  let text = ascii ? head : wireText(head);
  if (isMasked(mask)) text = maskHead(text, w.path, mask);
  if (proxyAuth !== undefined) text = text.split(proxyAuth).join(SECRET_MASK);
  const body = w.body === null ? '' : w.body.toString('utf8');
  return {
    method: w.method,
    url: mask.url.length > 0 ? maskSpans(url, mask.url) : mask.search.length > 0 ? maskValues(url, mask.search) : url,
    origin,
    requestTarget:
      mask.target.length > 0
        ? maskSpans(w.path, mask.target)
        : mask.search.length > 0
          ? maskValues(w.path, mask.search)
          : w.path,
    head: text,
    body:
      mask.body.length > 0 ? maskSpans(body, mask.body) : mask.search.length > 0 ? maskValues(body, mask.search) : body,
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
  mask: RequestMask,
  progress: ((phase: ProgressPhase, at: number) => void) | undefined,
  message: string,
  extra: Diagnostic[],
): Exchange {
  progress?.('done', performance.now());
  const base: Pick<Exchange, 'id' | 'webhook' | 'context' | 'startedAt'> = {
    id: input.sendId,
    webhook: input.webhookName ?? input.webhook.name,
    startedAt,
  };
  const contextName = input.contextName ?? input.context.name;
  if (contextName) base.context = contextName;
  return {
    ...base,
    request: requestRecord(wire, rendered.url, rendered.origin ?? '', predictHead(wire), wire.ascii, mask),
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
  /** Where the secrets are in the request, by position. */
  mask: RequestMask;
  /** Every secret value sent (for redirects), and the ones searched for in the answer. */
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
  /** A proxy's own credentials, masked in the record. */
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
function internalFailed(p: Prepared, e: unknown): Exchange {
  // An error's text may quote what it was handed, a secret included: the searched secrets are masked.
  const why = maskValues(
    e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e),
    p.mask.search,
  );
  const contextName = p.input.contextName ?? p.input.context.name;
  return {
    id: p.input.sendId,
    webhook: p.input.webhookName ?? p.input.webhook.name,
    context: contextName ? contextName : undefined,
    startedAt: p.startedAt,
    request: requestRecord(p.wire, p.rendered.url, p.origin, predictHead(p.wire), p.wire.ascii, p.mask),
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
  sweepSpilledBodiesOnce(tempDir);
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
    return {
      entryOrigin: `forward ${proxy.url}`,
      wire: { ...wire, path: `${origin}${wire.path}`, headers, ascii: wire.ascii && !NON_ASCII.test(origin) },
      forwardedBy: proxy.url,
      ...(proxy.authorization ? { masked: proxy.authorization } : {}),
    };
  }

  function forwardEntry(key: string): OriginEntry {
    let entry = origins.get(key);
    if (entry) return entry;
    const waiting = new Links<Hop>();
    const onPhase = (phase: ConnectionPhase, at: number): void => waiting.first()?.reportPhase(phase, at);
    const proxyOrigin = key.slice('forward '.length);
    entry = {
      pool: new Pool(proxyOrigin, {
        connect: createConnector({ ...net, proxy: 'none' }, onPhase),
        pipelining: 1,
        keepAliveTimeout: 4_000,
      }),
      waiting,
      leave: leaveWaiting(waiting),
    };
    origins.set(key, entry);
    return entry;
  }

  function dispatch(
    origin: string,
    wire: WireRequest,
    hopOptions: ConstructorParameters<typeof Hop>[1],
    progress: ((phase: ProgressPhase, at: number) => void) | undefined,
    timeoutMs: number,
  ): Hop {
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
    // The exchange records the request itself, not where each token went: no token uses are built.
    const secrets = renderWithSecrets(input);
    const rendered = secrets.rendered;
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
    else if (firstBlocking !== undefined)
      whyNot = `not sent: ${firstBlocking.message}${blockingCount > 1 ? ` (and ${blockingCount - 1} more error(s))` : ''}`;
    return {
      input,
      startedAt,
      t0,
      profile,
      rendered,
      wire: toWire(rendered),
      diagnostics,
      mask: requestMask(rendered.secretSpans, rendered.headers, none),
      secretValues:
        rendered.secretSpans === undefined ? secrets.values : [...secrets.values, ...credentialValues(rendered)],
      progress: onProgress ? (phase, at) => onProgress({ phase, atMs: round(at - t0) }) : undefined,
      origin: rendered.origin ?? '',
      whyNot,
      whyNotAlso: none,
    };
  }

  /** The exchange once the hops are over: the response as it arrived, the outcome, the mapping report. */
  function record(
    p: Prepared,
    last: Hop,
    via: Route,
    current: { origin: string; wire: WireRequest; url: string; mask: RequestMask },
    redirects: Exchange['redirects'],
    redirectNotFollowed: string | undefined,
    fileProblem: string | undefined,
    fileBody: string | undefined,
  ): Exchange {
    const { input, profile, diagnostics } = p;
    const end = last.endAt ?? performance.now();
    let response: Exchange['response'];
    let shownText: string | undefined;
    if (last.status !== undefined) {
      const memory = last.sink.memory();
      const shown = bytesToText(last.sink.spilled || last.sink.truncated ? trimPartialUtf8(memory) : memory);
      // The head as it arrived when the socket was observed; else rebuilt from what undici parsed.
      const rawHead = last.responseHead;
      const lines =
        (rawHead !== undefined && last.responseHeadAscii ? headLines(rawHead, last.rawHeaders) : undefined) ??
        rawHeaderLines(last.rawHeaders);
      const version =
        rawHead === undefined
          ? undefined
          : rawHead.startsWith('HTTP/1.1 ')
            ? '1.1'
            : /^HTTP\/(\d\.\d) /.exec(rawHead)?.[1];
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
    if (
      last.stopped === 'timeout' ||
      (last.error && /UND_ERR_(HEADERS|BODY)_TIMEOUT/.test(String((last.error as { code?: unknown }).code)))
    ) {
      outcome = 'timeout';
      message = timeoutMessage(timeoutMs, last.wasSent);
      error = { code: 'TIMEOUT', message: `no complete answer within ${timeoutMs} ms` };
    } else if (last.stopped === 'cancelled') {
      outcome = 'cancelled';
      message = cancelledMessage(last.wasSent);
    } else if (last.error) {
      error = describeNetworkError(last.error, current.origin, {
        gotHeaders: last.status !== undefined,
        bodyBytes: last.sink.bytes,
        sent: last.wasSent,
      });
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
      if (
        redirects.length > 0 &&
        profile.followRedirects &&
        redirectNotFollowed === undefined &&
        last.status >= 300 &&
        last.status < 400
      ) {
        message += `. Stopped after ${redirects.length} redirect(s)`;
      }
    }
    if (fileProblem !== undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'body-file-failed',
        message: `the response body over 1 MiB could not be written to ${tempDir}: ${fileProblem}; only its first part is kept`,
      });
    }
    if (via.forwardedBy !== undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'proxy-forwarded',
        message: `the proxy ${via.forwardedBy} does not tunnel to ${current.origin}, so the request went to it in absolute form (see the request line); the proxy forwards it and may rewrite what the service receives`,
      });
    }
    if (p.secretValues.length > 0) {
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
    // Built once with every field, so each exchange has the same shape (no property added later).
    const contextName = input.contextName ?? input.context.name;
    const exchange: Exchange = {
      id: input.sendId,
      webhook: input.webhookName ?? input.webhook.name,
      context: contextName ? contextName : undefined,
      startedAt: p.startedAt,
      request: requestRecord(
        current.wire,
        current.url,
        current.origin,
        last.head ?? predictHead(via.wire),
        via.wire.ascii,
        current.mask,
        via.masked,
      ),
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
    return p.secretValues.length === 0 ? exchange : maskAnswer(exchange, searchedSecrets(p.secretValues));
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
        const problem: Diagnostic = {
          severity: 'error',
          code: 'unsupported-scheme',
          message: `the URL must start with http:// or https:// to be sent (got '${p.rendered.url.slice(0, 40)}')`,
          location: { part: 'url' },
        };
        p.whyNot = `not sent: ${problem.message}`;
        p.whyNotAlso = [problem];
      }
      if (p.whyNot !== undefined)
        return notSentExchange(
          input,
          p.startedAt,
          p.t0,
          p.rendered,
          p.wire,
          p.diagnostics,
          p.mask,
          p.progress,
          p.whyNot,
          p.whyNotAlso,
        );

      prepared = p;
      const timeoutMs = p.profile.timeoutMs;
      const hopOptions = {
        maxBytes: p.profile.maxResponseBytes,
        tempDir,
        name: input.sendId,
        keep: options.keepBodyFiles === true,
      };
      let hop: Hop | undefined;
      const control = new SendControl(input.sendId);
      const activeLink = active.push(control);
      // The timeout counts from the start of the send, whose clock reading is at hand.
      const deadline = deadlines.add(timeoutMs, control, p.t0);

      const redirects: Exchange['redirects'] = [];
      let current: { origin: string; wire: WireRequest; url: string; mask: RequestMask } = {
        origin: p.origin,
        wire: p.wire,
        url: p.rendered.url,
        mask: p.mask,
      };
      let sent: Route | undefined;
      let redirectNotFollowed: string | undefined;
      try {
        for (;;) {
          sent = route(current.origin, current.wire);
          hop = dispatch(sent.entryOrigin, sent.wire, hopOptions, p.progress, timeoutMs);
          control.hop = hop;
          if (control.reason) hop.stop(control.reason);
          await hop.done;
          if (
            hop.error instanceof ConnectFailure &&
            hop.error.code === 'EPROXY_NO_TUNNEL' &&
            current.origin.startsWith('http:') &&
            !forwarded.has(current.origin)
          ) {
            // Nothing reached the service: the proxy only refused the tunnel. Hand it the request instead.
            const proxy = chooseProxy(
              'http:',
              new URL(current.origin).hostname,
              Number(new URL(current.origin).port || 80),
              net,
            ).proxy;
            if (proxy) {
              forwarded.set(current.origin, proxy.url);
              await hop.sink.discard();
              continue;
            }
          }
          if (hop.stopped || hop.error || hop.status === undefined) break;
          const location =
            hop.status >= 300 && hop.status < 400 ? headerValue(rawHeaderLines(hop.rawHeaders), 'location') : undefined;
          if (location === undefined) break;
          redirects.push({ status: hop.status, location });
          if (!p.profile.followRedirects) {
            redirectNotFollowed = location;
            break;
          }
          const next =
            redirects.length <= maxRedirects
              ? redirectWire(current.wire, current.mask, hop.status, location, current.url, p.secretValues)
              : undefined;
          if (!next) break;
          if ('refused' in next) {
            redirectNotFollowed = location;
            p.diagnostics.push({ severity: 'warning', code: 'secret-redirect-refused', message: next.refused });
            break;
          }
          if (next.dropped.length > 0) {
            p.diagnostics.push({
              severity: 'warning',
              code: 'secret-not-redirected',
              message: `the redirect goes to another origin (${next.origin}), so ${next.dropped.join(', ')} ${next.dropped.length > 1 ? 'were' : 'was'} not sent there`,
            });
          }
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
        // A service that echoes a secret must not leave it on disk in clear: the file is masked like the record.
        const searched = searchedSecrets(p.secretValues);
        if (last.sink.filePath !== undefined && fileProblem === undefined && searched.length > 0) {
          try {
            await maskBodyFile(last.sink.filePath, searched);
          } catch (e) {
            fileProblem = `its secrets could not be masked (${e instanceof Error ? e.message : String(e)}), so it was deleted`;
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
