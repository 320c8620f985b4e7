import type { HeaderLine, ProfileOption, TokenUse, Webhook, WebhookHeader } from '../model';
import { compile, literalText } from './compile';
import { FORBIDDEN_IN_HEADER, HEADER_NAME, plainHeaderLower, REFUSED_HEADERS } from './header-checks';
import { spend } from './render-budget';
import { identity, renderPart, usesOf, type PartSource } from './render-part';
import { NO_USES, type RenderedPart, type RenderState } from './render-state';
import { SECRET_MASK } from './secret-mask';
import { showChar } from './text';
import type { SplitUrl } from './url';

/** The webhook's own headers as they go out, and which of the headers the render would add they replace. */
export interface CustomHeaders {
  lines: HeaderLine[];
  authorization: boolean;
  contentType: boolean;
  userAgent: boolean;
  uses: TokenUse[];
  hostOverride: string | undefined;
  connectionClose: boolean;
  /** Per webhook header, where it went in `headers` (-1: not sent), for the secret spans. */
  headerAt: number[];
  /** Secret headers' places in `headers` (0: Host, -1: Connection), with their names. */
  secretHeaders: Array<{ at: number; name: string }> | undefined;
}

/** How the webhook's headers are rendered: their tokens' encoding, and whether secrets show as the mask. */
interface HeaderRender {
  state: RenderState;
  encoding: Webhook['encoding'];
  scoped: boolean;
  maskSecrets: boolean;
}

/** A header that passed every check, with its name in lower case. */
interface SentHeader {
  name: string;
  value: string;
  lower: string;
}

/** Renders the webhook's own headers; one that cannot be sent is reported and left out. */
export function renderCustomHeaders(
  webhook: Webhook,
  state: RenderState,
  options: { maskSecrets: boolean; urlHost: string | undefined },
): CustomHeaders {
  const plain = plainHeaderList(webhook.headers);
  // Token-free headers send the same bytes for every lead, so they are worked out once. Speed: docs/performance.md#engine
  if (plain !== undefined && plain.bytes <= state.budget) {
    state.budget -= plain.bytes;
    return copyOfPlain(plain.made);
  }
  const out = noCustomHeaders();
  const how: HeaderRender = {
    state,
    encoding: state.profile.profile.encodingScope === 'all' ? webhook.encoding : 'none',
    scoped: webhook.encoding !== 'none',
    maskSecrets: options.maskSecrets,
  };
  for (let index = 0; index < webhook.headers.length; index++) {
    const h = webhook.headers[index] as WebhookHeader;
    out.headerAt.push(-1);
    const sent = renderHeader(h, index, how, out.uses);
    if (sent !== undefined) placeHeader(out, h, index, sent, state, options.urlHost);
  }
  return out;
}

function noCustomHeaders(): CustomHeaders {
  return {
    lines: [],
    authorization: false,
    contentType: false,
    userAgent: false,
    uses: [],
    hostOverride: undefined,
    connectionClose: false,
    headerAt: [],
    secretHeaders: undefined,
  };
}

/**
 * A webhook's header list in which every header is token-free, not secret, passes every check and is not
 * Host: what it sends is the same for every lead. `was` is what each header held when this was made.
 */
interface PlainHeaderList {
  was: Array<{ header: WebhookHeader; name: string; value: string }>;
  /** Undefined when some header needs the full render. */
  made: CustomHeaders | undefined;
  /** Their names' and values' UTF-8 bytes, taken from the request's budget. */
  bytes: number;
}

const plainLists = new WeakMap<WebhookHeader[], PlainHeaderList>();
const noHeaders = { made: noCustomHeaders(), bytes: 0 };

/** The plain headers of this list, checked against what each header holds now; undefined when a header needs rendering. */
function plainHeaderList(headers: WebhookHeader[]): { made: CustomHeaders; bytes: number } | undefined {
  // No headers (a secret send's host probe makes a new empty list each time): nothing to keep.
  if (headers.length === 0) return noHeaders;
  let list = plainLists.get(headers);
  if (list === undefined || !stillHolds(list, headers)) {
    // A send with secrets copies the list for every lead: such a list is never kept.
    for (let i = 0; i < headers.length; i++) if (headers[i]?.secret) return undefined;
    list = makePlainList(headers);
    plainLists.set(headers, list);
  }
  return list.made === undefined ? undefined : { made: list.made, bytes: list.bytes };
}

function stillHolds(list: PlainHeaderList, headers: WebhookHeader[]): boolean {
  const was = list.was;
  if (was.length !== headers.length) return false;
  for (let i = 0; i < was.length; i++) {
    const w = was[i] as PlainHeaderList['was'][number];
    const h = w.header;
    if (headers[i] !== h || h.name !== w.name || h.value !== w.value || h.secret) return false;
  }
  return true;
}

function makePlainList(headers: WebhookHeader[]): PlainHeaderList {
  const was = headers.map((header) => ({ header, name: header.name, value: header.value }));
  const made = noCustomHeaders();
  let bytes = 0;
  for (let index = 0; index < headers.length; index++) {
    const h = headers[index] as WebhookHeader;
    const name = compile(h.name);
    const value = compile(h.value);
    const lower = name.tokens.length === 0 && value.tokens.length === 0 ? plainHeaderLower(name, value) : undefined;
    if (lower === undefined || lower === 'host') return { was, made: undefined, bytes: 0 };
    bytes += name.literalBytes + value.literalBytes;
    made.headerAt.push(-1);
    placeLine(made, index, { name: name.text, value: value.text, lower });
  }
  return { was, made, bytes };
}

/** The plain headers for one render: fresh header lines (the request is the caller's), the rest shared (only read). */
function copyOfPlain(made: CustomHeaders): CustomHeaders {
  const lines: HeaderLine[] = [];
  for (let i = 0; i < made.lines.length; i++) {
    const line = made.lines[i] as HeaderLine;
    lines.push({ name: line.name, value: line.value });
  }
  return {
    lines,
    authorization: made.authorization,
    contentType: made.contentType,
    userAgent: made.userAgent,
    uses: [],
    hostOverride: undefined,
    connectionClose: made.connectionClose,
    headerAt: made.headerAt,
    secretHeaders: undefined,
  };
}

function renderHeader(h: WebhookHeader, index: number, how: HeaderRender, uses: TokenUse[]): SentHeader | undefined {
  const { state } = how;
  const nameCompiled = compile(h.name);
  // A secret header's value is taken as it is, never scanned for tokens, and kept out of the text cache.
  const valueCompiled = h.secret ? literalText(how.maskSecrets ? SECRET_MASK : h.value) : compile(h.value);
  const plain =
    nameCompiled.tokens.length === 0 && valueCompiled.tokens.length === 0
      ? plainHeaderLower(nameCompiled, valueCompiled)
      : undefined;
  if (plain !== undefined) {
    spend(
      state,
      { part: 'header', index, field: 'value' },
      { output: '', uses: NO_USES, bytes: nameCompiled.literalBytes + valueCompiled.literalBytes },
    );
    return { name: nameCompiled.text, value: valueCompiled.text, lower: plain };
  }
  const part = (field: 'name' | 'value'): PartSource => ({
    compiled: field === 'name' ? nameCompiled : valueCompiled,
    ref: { part: 'header', index, field },
    source: field === 'name' ? h.name : h.value,
    encoding: how.encoding,
    toSource: identity,
    scoped: how.scoped,
  });
  const nameSource = part('name');
  const valueSource = part('value');
  const name = renderPart(nameSource, state);
  const value = renderPart(valueSource, state);
  for (const u of name.uses) uses.push(u);
  for (const u of value.uses) uses.push(u);
  return checkHeader(index, { source: nameSource, rendered: name }, { source: valueSource, rendered: value }, state);
}

interface RenderedField {
  source: PartSource;
  rendered: RenderedPart;
}

/** A rendered header that would split the request, has a bad name or is one the HTTP client sets is reported, not sent. */
function checkHeader(
  index: number,
  name: RenderedField,
  value: RenderedField,
  state: RenderState,
): SentHeader | undefined {
  const nameOutput = name.rendered.output;
  if (FORBIDDEN_IN_HEADER.test(nameOutput) || FORBIDDEN_IN_HEADER.test(value.rendered.output)) {
    for (const field of [name, value]) reportInjection(index, nameOutput, field, state);
    return undefined;
  }
  if (!HEADER_NAME.test(nameOutput)) {
    state.diagnostics.push({
      severity: 'error',
      code: 'invalid-header-name',
      message:
        nameOutput === ''
          ? `header ${index + 1} has an empty name`
          : `header ${index + 1} name '${nameOutput}' holds characters a header name cannot have (only letters, digits and !#$%&'*+-.^_\`|~)`,
      location: { part: 'header', index, field: 'name' },
    });
    return undefined;
  }
  const lower = nameOutput.toLowerCase();
  if (REFUSED_HEADERS.has(lower)) {
    state.diagnostics.push({
      severity: 'error',
      code: 'reserved-header',
      message: `the ${nameOutput} header is computed by the HTTP client and cannot be set; remove it`,
      location: { part: 'header', index, field: 'name' },
    });
    return undefined;
  }
  return { name: nameOutput, value: value.rendered.output, lower };
}

/** A line break or NUL in a header's name or value, pointed at the token whose value brought it when there is one. */
function reportInjection(index: number, nameOutput: string, field: RenderedField, state: RenderState): void {
  const bad = FORBIDDEN_IN_HEADER.exec(field.rendered.output);
  if (!bad) return;
  const ref = field.source.ref;
  const which = ref.part === 'header' ? ref.field : 'value';
  const uses = state.keepUses ? field.rendered.uses : usesOf(field.source, state);
  const culprit = uses.find((u) => FORBIDDEN_IN_HEADER.test(u.encoded));
  state.diagnostics.push({
    severity: 'error',
    code: 'header-injection',
    message: `header ${index + 1} ('${nameOutput.replace(/[\r\n\0]/g, ' ')}') ${which} holds ${showChar(bad[0])}${culprit ? `, from the value of ${culprit.text}` : ' as written'}: it would split or corrupt the request, so the request is not sent`,
    location: {
      part: 'header',
      index,
      field: which,
      offset: culprit ? culprit.sourceStart : bad.index,
      length: culprit ? culprit.sourceEnd - culprit.sourceStart : 1,
    },
  });
}

/** Where a sent header goes: Host and Connection replace the render's own, every other one follows them. */
function placeHeader(
  out: CustomHeaders,
  h: WebhookHeader,
  index: number,
  sent: SentHeader,
  state: RenderState,
  urlHost: string | undefined,
): void {
  const { lower } = sent;
  if (h.secret)
    (out.secretHeaders ??= []).push({
      at: lower === 'host' ? 0 : lower === 'connection' ? -1 : 2 + out.lines.length,
      name: h.name,
    });
  if (lower === 'host') {
    out.headerAt[index] = 0;
    out.hostOverride = sent.value;
    state.diagnostics.push({
      severity: 'warning',
      code: 'host-header-override',
      message: `the custom Host header replaces the host taken from the URL ('${urlHost ?? ''}')`,
      location: { part: 'header', index, field: 'name' },
    });
    return;
  }
  placeLine(out, index, sent);
}

/** A header other than Host: Connection sets how the connection ends, every other one is a line of its own. */
function placeLine(out: CustomHeaders, index: number, sent: SentHeader): void {
  const { lower } = sent;
  if (lower === 'connection') {
    out.connectionClose = sent.value
      .toLowerCase()
      .split(',')
      .some((t) => t.trim() === 'close');
    return;
  }
  out.headerAt[index] = 2 + out.lines.length;
  out.lines.push({ name: sent.name, value: sent.value });
  if (lower === 'authorization') out.authorization = true;
  else if (lower === 'content-type') out.contentType = true;
  else if (lower === 'user-agent') out.userAgent = true;
}

/** What the request's headers are made of besides the webhook's own. */
export interface HeaderSources {
  custom: CustomHeaders;
  split: SplitUrl;
  method: Webhook['method'];
  /** The body's byte length; null when no body is sent. */
  bodyBytes: number | null;
}

/**
 * Every header sent, in order: Host and Connection, the webhook's own, then what the render adds (the
 * Authorization made of URL credentials, Content-Type, User-Agent, Content-Length). `credentialsAt` is
 * where that Authorization went (-1: none).
 */
export function requestHeaders(
  sources: HeaderSources,
  state: RenderState,
): { headers: HeaderLine[]; credentialsAt: number } {
  const { custom, split, bodyBytes } = sources;
  const pu = state.profile;
  const headers: HeaderLine[] = [
    { name: 'host', value: custom.hostOverride ?? split.host ?? '' },
    { name: 'connection', value: custom.connectionClose ? 'close' : 'keep-alive' },
  ];
  const lines = custom.lines;
  for (let i = 0; i < lines.length; i++) headers.push(lines[i] as HeaderLine);
  let credentialsAt = -1;
  if (split.authorization !== undefined) {
    if (custom.authorization) {
      state.diagnostics.push({
        severity: 'info',
        code: 'url-credentials-ignored',
        message: 'the URL holds credentials, but a custom Authorization header is set; the custom header is sent',
        location: { part: 'url' },
      });
    } else {
      credentialsAt = headers.length;
      headers.push({ name: 'Authorization', value: split.authorization });
    }
  }
  if (bodyBytes !== null && !custom.contentType) defaultContentType(headers, state);
  if (!custom.userAgent) {
    pu.use('userAgent');
    if (pu.profile.userAgent !== '') headers.push({ name: 'User-Agent', value: pu.profile.userAgent });
  }
  if (bodyBytes !== null) headers.push({ name: 'content-length', value: String(bodyBytes) });
  else if (sources.method === 'POST' || sources.method === 'PUT' || sources.method === 'PATCH')
    headers.push({ name: 'content-length', value: '0' });
  return { headers, credentialsAt };
}

/** A body without a Content-Type header: the profile's default, if it has one, and a warning either way. */
function defaultContentType(headers: HeaderLine[], state: RenderState): void {
  const pu = state.profile;
  const contentType = pu.profile.defaultContentType;
  pu.use('defaultContentType');
  const assumed: ProfileOption[] | undefined = pu.isAssumed('defaultContentType') ? ['defaultContentType'] : undefined;
  if (contentType !== '') headers.push({ name: 'Content-Type', value: contentType });
  state.diagnostics.push({
    severity: 'warning',
    code: 'body-without-content-type',
    message:
      contentType !== ''
        ? `no Content-Type header is set; the profile sends Content-Type: ${contentType} (Marketo's default is not documented; add a custom header to be sure)`
        : "no Content-Type header is set and the profile adds none: the receiver has to guess the body's format",
    location: { part: 'webhook', path: 'headers' },
    assumed,
  });
}
