import {
  defaultProfile,
  type Diagnostic,
  type FieldCatalog,
  type HeaderLine,
  type Location,
  type Profile,
  type ProfileOption,
  type RenderedRequest,
  type SecretSpan,
  type TokenContext,
  type TokenEncoding,
  type TokenUse,
  type Webhook,
} from '../model';
import { defaultFieldCatalog } from '../catalog';
import { encodeValue, htmlEncode, type TokenValue, type UseOption } from './encode';
import { preparseTemplate, sourceOffset, type Preparsed } from './preparse';
import { Resolver } from './resolve';
import { scanTokens, type ScannedToken } from './tokens';
import { lineColumn, showChar, utf8Length } from './text';
import { splitUrl, targetOffset, urlAuthority } from './url';

export interface EngineOptions {
  fields?: FieldCatalog;
  profile?: Partial<Profile>;
  /**
   * false: the caller has no use for the token uses (the sender, which records the request itself, not
   * where each token went), so `tokens` comes back empty and none are built. Everything sent and every
   * diagnostic, positions included, is the same.
   */
  tokenUses?: boolean;
  /**
   * true: every secret (secret header, secret My Token) renders as `••••••` whatever value it holds (the
   * preview). Otherwise a secret renders its value when it has one (the sender fills them in) and the
   * mask when it has none; either way `secretSpans` says where it went.
   */
  maskSecrets?: boolean;
}

/** What a secret shows as wherever it is not on the wire. */
export const SECRET_MASK = '••••••';

/** Replaces each span of `text` (UTF-16 offsets; may overlap, any order) with the mask; everything else stays byte for byte. */
export function maskSpans(text: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
  if (spans.length === 0) return text;
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of sorted) {
    if (span.end <= at) continue;
    out += text.slice(at, Math.max(at, span.start)) + SECRET_MASK;
    at = span.end;
  }
  return out + text.slice(at);
}

const noneExplicit: ReadonlySet<string> = new Set();

/** The profile in force, and a recorder of the options whose defaults (not the caller's choice) shaped output. */
export class ProfileUse {
  readonly profile: Profile;
  /** In the order first used; a short list (a render touches a handful of options), so no Set per render. */
  readonly assumed: ProfileOption[] = [];
  private readonly explicit: ReadonlySet<string>;
  constructor(partial: Partial<Profile> | undefined) {
    // Without a profile (the usual send), the defaults are shared rather than copied per render.
    if (partial === undefined) {
      this.profile = defaultProfile;
      this.explicit = noneExplicit;
      return;
    }
    const given: Partial<Profile> = {};
    for (const [k, v] of Object.entries(partial)) if (v !== undefined) (given as Record<string, unknown>)[k] = v;
    this.profile = { ...defaultProfile, ...given };
    this.explicit = new Set(Object.keys(given));
  }
  isAssumed(option: ProfileOption): boolean {
    return !this.explicit.has(option);
  }
  readonly use: UseOption = (option) => {
    if (!this.explicit.has(option) && !this.assumed.includes(option)) this.assumed.push(option);
  };
}

/** A part of the webhook (URL, template, a header name or value) split into literal text and tokens once. */
export interface CompiledText {
  /** The text tokens were scanned in (for the template: after the pre-parse). */
  text: string;
  tokens: ScannedToken[];
  /** literals[i] precedes tokens[i]; one more literal than tokens. */
  literals: string[];
  /** UTF-8 byte length of all literals together, so Content-Length only measures token values. */
  literalBytes: number;
}

export interface CompiledTemplate extends CompiledText {
  pre: Preparsed;
}

function compileText(text: string): CompiledText {
  const tokens = scanTokens(text);
  const literals: string[] = [];
  let from = 0;
  for (const t of tokens) {
    literals.push(text.slice(from, t.start));
    from = t.end;
  }
  literals.push(text.slice(from));
  let literalBytes = 0;
  for (const l of literals) literalBytes += utf8Length(l);
  return { text, tokens, literals, literalBytes };
}

// Rendering happens per keystroke in the preview and per lead in the runner, for the same few texts:
// scanning once per distinct text keeps the hot path to lookups and concatenation.
const CACHE_LIMIT = 256;
const textCache = new Map<string, CompiledText>();
const templateCache = new Map<string, CompiledTemplate>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(key, v);
  }
  return v;
}

export function compile(text: string): CompiledText {
  return cached(textCache, text, () => compileText(text));
}

export function compileTemplate(template: string): CompiledTemplate {
  return cached(templateCache, template, () => {
    const pre = preparseTemplate(template);
    return { ...compileText(pre.text), pre };
  });
}

type PartRef = { part: 'url' } | { part: 'template' } | { part: 'header'; index: number; field: 'name' | 'value' };
const URL_REF: PartRef = { part: 'url' };
const TEMPLATE_REF: PartRef = { part: 'template' };
/** The uses of every part of a render without token uses; never added to. */
const NO_USES: TokenUse[] = [];

/** What rendering one part produced, with the spans needed to map output positions back to the source. */
export interface RenderedPart {
  output: string;
  uses: TokenUse[];
  /** UTF-8 byte length of the output. */
  bytes: number;
}

interface RenderState {
  profile: ProfileUse;
  resolver: Resolver;
  diagnostics: Diagnostic[];
  /** Records an option for the whole render and for the token being rendered. */
  useForToken: UseOption;
  /** The options the current token's output rests on. */
  tokenAssumed: ProfileOption[] | undefined;
  /** Build the TokenUse of each token (see EngineOptions.tokenUses). */
  keepUses: boolean;
  /** Bytes the rest of the request may still take (profile maxRenderedBytes), shared by every part. */
  budget: number;
  /** The part that went over the budget; its rendering stopped there. */
  tooLarge: PartRef | undefined;
  /** Where secret My Tokens landed, per part; undefined until the first one. */
  secretSpans: Array<{ ref: PartRef; start: number; end: number; name: string }> | undefined;
}

function locationFor(ref: PartRef, source: string, offset: number, length: number): Location {
  const loc: Location = { part: ref.part, offset, length };
  if (ref.part === 'header') {
    loc.index = ref.index;
    loc.field = ref.field;
  }
  if (ref.part === 'template') {
    const { line, column } = lineColumn(source, offset);
    loc.line = line;
    loc.column = column;
  }
  return loc;
}

function describePart(ref: PartRef): string {
  if (ref.part === 'header') return `header ${ref.index + 1} ${ref.field}`;
  return ref.part === 'url' ? 'the URL' : 'the template';
}

/** Renders the tokens of one compiled part with one encoding. `source` is the part as written (for locations). */
function renderPart(
  compiled: CompiledText,
  ref: PartRef,
  source: string,
  encoding: TokenEncoding,
  state: RenderState,
  toSource: (o: number) => number,
  scoped = false,
): RenderedPart {
  const { tokens, literals } = compiled;
  if (tokens.length === 0)
    return spend(state, ref, { output: literals[0] ?? '', uses: [], bytes: compiled.literalBytes });
  // Concatenated rather than joined: for a handful of pieces V8's concatenation is cheaper than
  // Array.prototype.join, and the first read flattens the result once.
  let output = literals[0] ?? '';
  let length = output.length;
  let bytes = compiled.literalBytes;
  const uses: TokenUse[] = state.keepUses ? [] : NO_USES;
  const { profile: pu } = state;
  const profile = pu.profile;
  const use = state.useForToken;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as ScannedToken;
    state.tokenAssumed = undefined;
    // Outside the body, whether the webhook's encoding applies at all is the profile's encodingScope.
    if (scoped) use('encodingScope');
    const sourceStart = toSource(token.start);
    const sourceEnd = toSource(token.end);
    const resolution = state.resolver.resolve(token.namespace, token.name);
    let value: TokenValue = resolution.value;
    let usedDefault = false;
    let encoded: string;
    let nonAscii = true;
    if (token.malformed) {
      use('malformedDefault');
      const literal = profile.malformedDefault === 'literal';
      encoded = literal ? token.text : '';
      value = { text: encoded, numeric: false, boolean: false };
      state.diagnostics.push({
        severity: 'warning',
        code: 'malformed-default',
        message: `${token.text} in ${describePart(ref)} has '=' but no ':default='; it renders ${literal ? 'as written' : 'empty'} (write {{${token.namespace}.${token.name.split('=')[0]?.trim()}:default=${token.name.slice(token.name.indexOf('=') + 1)}}} for a default)`,
        location: locationFor(ref, source, sourceStart, sourceEnd - sourceStart),
        assumed: pu.isAssumed('malformedDefault') ? ['malformedDefault'] : undefined,
      });
    } else {
      if (value.text === '' && token.default !== undefined) {
        usedDefault = true;
        value = { text: token.default, numeric: value.numeric, boolean: false };
      } else if (!resolution.found) {
        state.diagnostics.push({
          severity: 'warning',
          code: 'unresolved-token',
          message: `${token.text} in ${describePart(ref)} has no value in this context${resolution.note ? ` (${resolution.note})` : ''}; it renders empty`,
          location: locationFor(ref, source, sourceStart, sourceEnd - sourceStart),
        });
      }
      const kind = classify(value.text);
      // Marketo turns line breaks in field values into spaces (spec §2.3, TK-NL).
      if ((kind & LINE_BREAK) !== 0) value = { ...value, text: value.text.replace(/\r\n|\r|\n/g, ' ') };
      let v = value;
      nonAscii = (kind & NON_ASCII) !== 0;
      if ((kind & HTML_SPECIAL) !== 0) {
        use('htmlEncodeTokens');
        if (profile.htmlEncodeTokens) v = { ...value, text: htmlEncode(value.text) };
      }
      if (usedDefault && encoding !== 'none') {
        use('encodeDefaults');
        encoded = profile.encodeDefaults ? encodeValue(v, encoding, profile, use) : v.text;
      } else encoded = encodeValue(v, encoding, profile, use);
    }
    const outputStart = length;
    output += encoded;
    length += encoded.length;
    const secret = resolution.secret;
    if (secret !== undefined) {
      // A JSON string keeps its quotes in the record: only what is between them is the secret.
      const quoted =
        encoding === 'json' &&
        encoded.length >= 2 &&
        encoded.charCodeAt(0) === 34 &&
        encoded.charCodeAt(encoded.length - 1) === 34;
      (state.secretSpans ??= []).push({
        ref,
        start: quoted ? outputStart + 1 : outputStart,
        end: quoted ? length - 1 : length,
        name: secret,
      });
    }
    // Form/Url output is ASCII, and so is anything encoded from ASCII.
    bytes += nonAscii && encoding !== 'form-url' ? utf8Length(encoded) : encoded.length;
    // The literals are counted from the start, so this is the part's size if no later token added a
    // byte: once over the budget, the rest is not built (a template of many tokens stops early).
    if (bytes > state.budget) return spend(state, ref, { output: '', uses, bytes });
    if (!state.keepUses) {
      const literal = literals[i + 1] ?? '';
      output += literal;
      length += literal.length;
      continue;
    }
    const tokenUse: TokenUse = {
      part: ref.part,
      text: token.text,
      namespace: token.namespace,
      name: token.name,
      resolved: resolution.found || usedDefault,
      usedDefault,
      // A secret's value stays out of the token list (shown in the preview, printed by `render --json`).
      value: secret !== undefined ? SECRET_MASK : value.text,
      encoded: secret !== undefined ? SECRET_MASK : encoded,
      sourceStart,
      sourceEnd,
      outputStart,
      outputEnd: length,
    };
    if (ref.part === 'header') {
      tokenUse.index = ref.index;
      tokenUse.field = ref.field;
    }
    if (token.default !== undefined) tokenUse.default = token.default;
    if (state.tokenAssumed) tokenUse.assumed = state.tokenAssumed;
    uses.push(tokenUse);
    const literal = literals[i + 1] ?? '';
    output += literal;
    length += literal.length;
  }
  return spend(state, ref, { output, uses, bytes });
}

/**
 * Takes a rendered part's bytes from the request's budget. A part over it is left empty and reported
 * once, as an error, so the request is not sent (and `render` does not print hundreds of megabytes).
 */
function spend(state: RenderState, ref: PartRef, part: RenderedPart): RenderedPart {
  if (part.bytes > state.budget) {
    if (state.tooLarge === undefined) {
      state.tooLarge = ref;
      const pu = state.profile;
      pu.use('maxRenderedBytes');
      const limit = pu.profile.maxRenderedBytes;
      const location: Location = { part: ref.part };
      if (ref.part === 'header') {
        location.index = ref.index;
        location.field = ref.field;
      }
      state.diagnostics.push({
        severity: 'error',
        code: 'rendered-too-large',
        message: `the request would be larger than ${limit} bytes (profile maxRenderedBytes): ${describePart(ref)} passed the limit at ${part.bytes} bytes and was not built further, so nothing is sent`,
        location,
        assumed: pu.isAssumed('maxRenderedBytes') ? ['maxRenderedBytes'] : undefined,
      });
    }
    state.budget = 0;
    return { output: '', uses: part.uses, bytes: 0 };
  }
  state.budget -= part.bytes;
  return part;
}

/**
 * The token uses of a part rendered lean, rendered once more for them: its diagnostics go to a scratch
 * list (the first rendering reported them), and what it records of assumed options is already recorded.
 */
function usesOf(
  compiled: CompiledText,
  ref: PartRef,
  source: string,
  encoding: TokenEncoding,
  state: RenderState,
  toSource: (o: number) => number,
  scoped: boolean,
): TokenUse[] {
  // The part was counted against the budget when it was first rendered: the second rendering is not.
  const scratch: RenderState = {
    ...state,
    diagnostics: [],
    keepUses: true,
    budget: Number.POSITIVE_INFINITY,
    tooLarge: undefined,
    secretSpans: undefined,
  };
  const uses = renderPart(compiled, ref, source, encoding, scratch, toSource, scoped).uses;
  state.tokenAssumed = undefined;
  return uses;
}

const HTML_SPECIAL = 1;
const NON_ASCII = 2;
const LINE_BREAK = 4;

/**
 * One pass over a token value: whether it holds line breaks, whether HTML encoding would change it, and
 * whether it is pure ASCII (then its byte length is its length). A loop, because token values are short
 * and a RegExp call costs more.
 */
function classify(text: string): number {
  let kind = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) kind |= NON_ASCII;
    else if (c === 10 || c === 13) kind |= LINE_BREAK;
    else if (c === 38 || c === 60 || c === 62 || c === 34 || c === 39) kind |= HTML_SPECIAL;
  }
  return kind;
}
const identity = (o: number): number => o;

/** Token characters (RFC 9110 §5.6.2): what an HTTP header name may hold. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_IN_HEADER = /[\r\n\0]/;
/** Headers undici refuses outright (it computes or forbids them), so the request could not be sent. */
const REFUSED_HEADERS = new Set(['content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

// A header written without tokens renders the same every time: whether it may be sent is worked out once
// per distinct name and value (the compiled texts are cached per text, so they serve as the keys).
const plainHeaders = new WeakMap<CompiledText, WeakMap<CompiledText, string | null>>();

/** The lowercase name of a token-free header that passes every check; undefined when it needs the full checks (and their diagnostics). */
function plainHeaderLower(name: CompiledText, value: CompiledText): string | undefined {
  let byValue = plainHeaders.get(name);
  if (byValue === undefined) {
    byValue = new WeakMap();
    plainHeaders.set(name, byValue);
  }
  let lower = byValue.get(value);
  if (lower === undefined) {
    const n = name.text;
    lower =
      !FORBIDDEN_IN_HEADER.test(n) &&
      !FORBIDDEN_IN_HEADER.test(value.text) &&
      HEADER_NAME.test(n) &&
      !REFUSED_HEADERS.has(n.toLowerCase())
        ? n.toLowerCase()
        : null;
    byValue.set(value, lower);
  }
  return lower ?? undefined;
}

/** The render plus what lint needs to point back into the template. */
export interface DetailedRender {
  request: RenderedRequest;
  template: CompiledTemplate;
  /** The template after the pre-parse and tokens, before GET dropped it. */
  templateOutput: RenderedPart;
  profile: ProfileUse;
  catalog: FieldCatalog;
}

function campaignType(context: TokenContext): string | undefined {
  const campaign = context.campaign;
  if (campaign === undefined) return undefined;
  // for-in rather than Object.entries: no array of pairs per render for a context that has a campaign.
  for (const k in campaign) {
    if (!Object.prototype.hasOwnProperty.call(campaign, k)) continue;
    const v = campaign[k];
    if (typeof v === 'string' && k.trim().toLowerCase() === 'type') return v.trim().toLowerCase();
  }
  return undefined;
}

export function renderDetailed(webhook: Webhook, context: TokenContext, options: EngineOptions = {}): DetailedRender {
  const pu = new ProfileUse(options.profile);
  const profile = pu.profile;
  const catalog = options.fields ?? defaultFieldCatalog;
  // Options the resolver relies on (booleanFormat) belong to the token being rendered.
  const resolver = new Resolver(context, catalog, profile, (option) => state.useForToken(option));
  const diagnostics: Diagnostic[] = [];
  const keepUses = options.tokenUses !== false;
  if (options.maskSecrets) resolver.maskSecrets = true;
  const state: RenderState = {
    profile: pu,
    resolver,
    diagnostics,
    tokenAssumed: undefined,
    keepUses,
    budget: profile.maxRenderedBytes,
    tooLarge: undefined,
    secretSpans: undefined,
    useForToken: (option) => {
      pu.use(option);
      if (state.keepUses && pu.isAssumed(option)) {
        state.tokenAssumed ??= [];
        if (!state.tokenAssumed.includes(option)) state.tokenAssumed.push(option);
      }
    },
  };
  const encoding = webhook.encoding ?? 'none';
  const method = webhook.method ?? 'POST';

  if (campaignType(context) === 'batch') {
    diagnostics.push({
      severity: 'error',
      code: 'batch-campaign',
      message:
        'the context is a batch campaign: Marketo does not call webhooks from batch campaigns (code 1000), so nothing is sent',
      location: { part: 'context', path: 'campaign.Type' },
    });
  }

  // URL
  const urlSource = webhook.url ?? '';
  const urlCompiled = compile(urlSource);
  const urlEncoding: TokenEncoding = profile.encodingScope === 'body' ? 'none' : encoding;
  const urlPart = renderPart(urlCompiled, URL_REF, urlSource, urlEncoding, state, identity, encoding !== 'none');
  const split = splitUrl(urlPart.output, profile, pu.use);
  // A lean render finds the URL's token uses again only when a diagnostic needs positions from them.
  const urlUses =
    keepUses || split.diagnostics.length === 0
      ? urlPart.uses
      : usesOf(urlCompiled, URL_REF, urlSource, urlEncoding, state, identity, encoding !== 'none');
  for (const d of split.diagnostics) {
    const diagnostic = { ...d.diagnostic };
    const assumed = diagnostic.assumed?.filter((o) => pu.isAssumed(o));
    if (assumed && assumed.length > 0) diagnostic.assumed = assumed;
    else delete diagnostic.assumed;
    if (d.at) {
      const start = outputToSource(urlUses, d.at.offset);
      const end = outputToSource(urlUses, d.at.offset + d.at.length, true);
      diagnostic.location = { part: 'url', offset: start, length: Math.max(0, end - start) };
    }
    diagnostics.push(diagnostic);
  }

  // Template
  const template = compileTemplate(webhook.template ?? '');
  for (const e of template.pre.errors) {
    diagnostics.push({
      severity: 'error',
      code: 'invalid-escape',
      message: e.message,
      location: { part: 'template', line: e.line, column: e.column, offset: e.offset, length: e.sequence.length },
    });
  }
  const templateToSource =
    template.pre.escapeAt.length === 0 ? identity : (o: number): number => sourceOffset(template.pre, o);
  const templateOutput = renderPart(template, TEMPLATE_REF, webhook.template ?? '', encoding, state, templateToSource);
  let body: string | null = templateOutput.output === '' ? null : templateOutput.output;
  let bodyUses = templateOutput.uses;
  if (method === 'GET' && (webhook.template ?? '') !== '') {
    pu.use('templateOnGet');
    const drop = profile.templateOnGet === 'drop';
    diagnostics.push({
      severity: 'warning',
      code: 'template-on-get',
      message: drop
        ? 'a GET sends no body: Marketo permits templates only for POST, PUT, PATCH and DELETE, so the template is dropped'
        : 'a GET with a body: Marketo permits templates only for POST, PUT, PATCH and DELETE; the profile sends it anyway',
      location: { part: 'template' },
      assumed: pu.isAssumed('templateOnGet') ? ['templateOnGet'] : undefined,
    });
    if (drop) {
      body = null;
      bodyUses = [];
    }
  }

  // Headers
  const headerEncoding: TokenEncoding = profile.encodingScope === 'all' ? encoding : 'none';
  // The webhook's own headers as they go out, and which of the headers the render would add they replace.
  const customHeaders: HeaderLine[] = [];
  let customAuthorization = false;
  let customContentType = false;
  let customUserAgent = false;
  const headerUses: TokenUse[] = [];
  let hostOverride: string | undefined;
  let connectionClose = false;
  const webhookHeaders = webhook.headers ?? [];
  /** Per webhook header, where it went in `headers` (-1: not sent), for the secret spans. */
  const headerAt: number[] = [];
  /** Secret headers' places in `headers`, with their names. */
  let secretHeaders: Array<{ at: number; name: string }> | undefined;
  for (let index = 0; index < webhookHeaders.length; index++) {
    const h = webhookHeaders[index] as (typeof webhookHeaders)[number];
    headerAt.push(-1);
    const nameCompiled = compile(h.name);
    // A secret header's value is taken as it is, never scanned for tokens, and kept out of the text cache.
    const valueCompiled = h.secret
      ? literalText(options.maskSecrets || h.value === undefined ? SECRET_MASK : h.value)
      : compile(h.value ?? '');
    let nameOutput: string;
    let valueOutput: string;
    let lower =
      nameCompiled.tokens.length === 0 && valueCompiled.tokens.length === 0
        ? plainHeaderLower(nameCompiled, valueCompiled)
        : undefined;
    if (lower !== undefined) {
      nameOutput = nameCompiled.text;
      valueOutput = valueCompiled.text;
      spend(
        state,
        { part: 'header', index, field: 'value' },
        { output: '', uses: NO_USES, bytes: nameCompiled.literalBytes + valueCompiled.literalBytes },
      );
    } else {
      const name = renderPart(
        nameCompiled,
        { part: 'header', index, field: 'name' },
        h.name,
        headerEncoding,
        state,
        identity,
        encoding !== 'none',
      );
      const value = renderPart(
        valueCompiled,
        { part: 'header', index, field: 'value' },
        h.value ?? '',
        headerEncoding,
        state,
        identity,
        encoding !== 'none',
      );
      nameOutput = name.output;
      valueOutput = value.output;
      for (const u of name.uses) headerUses.push(u);
      for (const u of value.uses) headerUses.push(u);
      let ok = !FORBIDDEN_IN_HEADER.test(name.output) && !FORBIDDEN_IN_HEADER.test(value.output);
      if (!ok)
        for (const [field, part] of [
          ['name', name],
          ['value', value],
        ] as const) {
          const bad = FORBIDDEN_IN_HEADER.exec(part.output);
          if (!bad) continue;
          ok = false;
          const uses = keepUses
            ? part.uses
            : usesOf(
                field === 'name' ? nameCompiled : valueCompiled,
                { part: 'header', index, field },
                field === 'name' ? h.name : (h.value ?? ''),
                headerEncoding,
                state,
                identity,
                encoding !== 'none',
              );
          const culprit = uses.find((u) => FORBIDDEN_IN_HEADER.test(u.encoded));
          diagnostics.push({
            severity: 'error',
            code: 'header-injection',
            message: `header ${index + 1} ('${name.output.replace(/[\r\n\0]/g, ' ')}') ${field} holds ${showChar(bad[0])}${culprit ? `, from the value of ${culprit.text}` : ' as written'}: it would split or corrupt the request, so the request is not sent`,
            location: {
              part: 'header',
              index,
              field,
              offset: culprit ? culprit.sourceStart : bad.index,
              length: culprit ? culprit.sourceEnd - culprit.sourceStart : 1,
            },
          });
        }
      if (!ok) continue;
      if (!HEADER_NAME.test(name.output)) {
        diagnostics.push({
          severity: 'error',
          code: 'invalid-header-name',
          message:
            name.output === ''
              ? `header ${index + 1} has an empty name`
              : `header ${index + 1} name '${name.output}' holds characters a header name cannot have (only letters, digits and !#$%&'*+-.^_\`|~)`,
          location: { part: 'header', index, field: 'name' },
        });
        continue;
      }
      lower = name.output.toLowerCase();
      if (REFUSED_HEADERS.has(lower)) {
        diagnostics.push({
          severity: 'error',
          code: 'reserved-header',
          message: `the ${name.output} header is computed by the HTTP client and cannot be set; remove it`,
          location: { part: 'header', index, field: 'name' },
        });
        continue;
      }
    }
    if (h.secret)
      (secretHeaders ??= []).push({
        at: lower === 'host' ? 0 : lower === 'connection' ? -1 : 2 + customHeaders.length,
        name: h.name,
      });
    if (lower === 'host') {
      headerAt[index] = 0;
      hostOverride = valueOutput;
      diagnostics.push({
        severity: 'warning',
        code: 'host-header-override',
        message: `the custom Host header replaces the host taken from the URL ('${split.host ?? ''}')`,
        location: { part: 'header', index, field: 'name' },
      });
      continue;
    }
    if (lower === 'connection') {
      connectionClose = valueOutput
        .toLowerCase()
        .split(',')
        .some((t) => t.trim() === 'close');
      continue;
    }
    headerAt[index] = 2 + customHeaders.length;
    customHeaders.push({ name: nameOutput, value: valueOutput });
    if (lower === 'authorization') customAuthorization = true;
    else if (lower === 'content-type') customContentType = true;
    else if (lower === 'user-agent') customUserAgent = true;
  }

  const fallbacks = resolver.clockFallbacks;
  if (fallbacks) {
    const what = [
      fallbacks.now ? 'no system.now, so the current time is used (renders are not reproducible)' : '',
      fallbacks.timeZone ? 'no system.timeZone, so UTC is used instead of the account time zone' : '',
    ].filter((x) => x !== '');
    diagnostics.push({
      severity: 'info',
      code: 'system-clock',
      message: `system time tokens: the context has ${what.join('; and ')}`,
      location: { part: 'context', path: 'system' },
    });
  }

  const headers: HeaderLine[] = [
    { name: 'host', value: hostOverride ?? split.host ?? '' },
    { name: 'connection', value: connectionClose ? 'close' : 'keep-alive' },
  ];
  for (const h of customHeaders) headers.push(h);
  let credentialsAt = -1;
  if (split.authorization !== undefined) {
    if (customAuthorization) {
      diagnostics.push({
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
  if (body !== null && !customContentType) {
    pu.use('defaultContentType');
    const assumed: ProfileOption[] | undefined = pu.isAssumed('defaultContentType')
      ? ['defaultContentType']
      : undefined;
    if (profile.defaultContentType !== '') {
      headers.push({ name: 'Content-Type', value: profile.defaultContentType });
      diagnostics.push({
        severity: 'warning',
        code: 'body-without-content-type',
        message: `no Content-Type header is set; the profile sends Content-Type: ${profile.defaultContentType} (Marketo's default is not documented; add a custom header to be sure)`,
        location: { part: 'webhook', path: 'headers' },
        assumed,
      });
    } else {
      diagnostics.push({
        severity: 'warning',
        code: 'body-without-content-type',
        message: "no Content-Type header is set and the profile adds none: the receiver has to guess the body's format",
        location: { part: 'webhook', path: 'headers' },
        assumed,
      });
    }
  }
  if (!customUserAgent) {
    pu.use('userAgent');
    if (profile.userAgent !== '') headers.push({ name: 'User-Agent', value: profile.userAgent });
  }
  if (body !== null) headers.push({ name: 'content-length', value: String(templateOutput.bytes) });
  else if (method === 'POST' || method === 'PUT' || method === 'PATCH')
    headers.push({ name: 'content-length', value: '0' });

  if (pu.assumed.length > 0) {
    const assumed = pu.assumed.slice();
    diagnostics.push({ severity: 'info', code: 'profile-assumptions', message: assumptionsMessage(assumed), assumed });
  }

  const request: RenderedRequest = {
    method,
    url: urlPart.output,
    requestTarget: split.requestTarget,
    requestTargetAsWritten: split.requestTargetAsWritten,
    headers,
    body,
    tokens: keepUses ? allUses(urlPart.uses, bodyUses, headerUses) : [],
    diagnostics: diagnostics.some(hasUndefinedAssumed) ? diagnostics.map(stripUndefined) : diagnostics,
  };
  if (split.origin !== undefined) request.origin = split.origin;
  if (hostOverride !== undefined || split.host !== undefined) request.host = hostOverride ?? split.host;
  if (state.secretSpans !== undefined || secretHeaders !== undefined || split.authorization !== undefined) {
    request.secretSpans = secretSpansOf(
      request,
      state.secretSpans ?? [],
      secretHeaders ?? [],
      headerAt,
      credentialsAt,
      body !== null,
      diagnostics,
    );
  }
  if (split.browserRequestTarget !== undefined) request.browserRequestTarget = split.browserRequestTarget;
  return { request, template, templateOutput, profile: pu, catalog };
}

/** A text taken as written (a secret header's value): no tokens, not cached. */
function literalText(text: string): CompiledText {
  return { text, tokens: [], literals: [text], literalBytes: utf8Length(text) };
}

/**
 * Where every secret landed in the request: secret My Tokens in the URL (and so in the request target),
 * the body and header values; secret headers' whole values; URL credentials (in the URL and the
 * Authorization header made of them). A secret in the URL's host or in a header name cannot be masked
 * without hiding where the request goes: those are errors, and the request is not sent.
 */
function secretSpansOf(
  request: RenderedRequest,
  tokenSpans: Array<{ ref: PartRef; start: number; end: number; name: string }>,
  secretHeaders: Array<{ at: number; name: string }>,
  headerAt: number[],
  credentialsAt: number,
  hasBody: boolean,
  diagnostics: Diagnostic[],
): SecretSpan[] {
  const spans: SecretSpan[] = [];
  const url = request.url;
  const authority = urlAuthority(url);
  const asWritten = request.requestTargetAsWritten;
  // splitUrl adds a `/` before a target that starts with `?` or `#` (or is empty).
  const slashAdded = authority !== undefined && asWritten.length === url.length - authority.end + 1;
  const sameTarget = request.requestTarget === asWritten;
  const inTarget = (o: number): number => {
    const k = (authority ? o - authority.end : o) + (slashAdded ? 1 : 0);
    return sameTarget ? k : targetOffset(asWritten, k);
  };
  let badHost = false;
  for (const t of tokenSpans) {
    const ref = t.ref;
    if (ref.part === 'url') {
      spans.push({ part: 'url', start: t.start, end: t.end, name: t.name });
      if (authority === undefined) continue;
      if (t.end > authority.start && t.start < authority.end && !(t.end <= authority.userinfoEnd)) badHost = true;
      else if (t.start >= authority.end)
        spans.push({ part: 'target', start: inTarget(t.start), end: inTarget(t.end), name: t.name });
    } else if (ref.part === 'template') {
      if (hasBody) spans.push({ part: 'body', start: t.start, end: t.end, name: t.name });
    } else if (ref.field === 'name') {
      diagnostics.push({
        severity: 'error',
        code: 'secret-in-header-name',
        message: `the secret ${t.name} is used in the name of header ${ref.index + 1}: a header name is never masked, so the request is not sent`,
        location: { part: 'header', index: ref.index, field: 'name' },
      });
    } else {
      const at = headerAt[ref.index] ?? -1;
      if (at === 0) badHost = true;
      else if (at > 0) spans.push({ part: 'header', index: at, start: t.start, end: t.end, name: t.name });
    }
  }
  if (badHost)
    diagnostics.push({
      severity: 'error',
      code: 'secret-in-host',
      message: 'a secret is used in the host the request goes to: a host is never masked, so the request is not sent',
      location: { part: 'url' },
    });
  for (const h of secretHeaders) {
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
  if (authority !== undefined && authority.userinfoEnd >= 0) {
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
  if (spans.some((s) => s.part === 'url')) maskUrlInDiagnostics(request, spans, diagnostics);
  return spans;
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
  if (request.browserRequestTarget !== undefined && request.browserRequestTarget !== target)
    delete request.browserRequestTarget;
  else if (request.browserRequestTarget !== undefined) request.browserRequestTarget = maskedTarget;
}

/** The parts' token uses in one new array; a loop, as Array.prototype.concat of several arrays costs more for a few items. */
function allUses(url: TokenUse[], body: TokenUse[], headers: TokenUse[]): TokenUse[] {
  const out: TokenUse[] = [];
  for (const u of url) out.push(u);
  for (const u of body) out.push(u);
  for (const u of headers) out.push(u);
  return out;
}

/** The last message, reused while renders rest on the same options (a run renders one webhook many times). */
let lastAssumed: ProfileOption[] = [];
let lastAssumedMessage = '';
function assumptionsMessage(assumed: ProfileOption[]): string {
  let same = assumed.length === lastAssumed.length;
  for (let i = 0; same && i < assumed.length; i++) same = assumed[i] === lastAssumed[i];
  if (!same) {
    lastAssumed = assumed.slice();
    lastAssumedMessage = `this output rests on assumed defaults for Marketo behaviour the documentation leaves open: ${assumed.join(', ')}`;
  }
  return lastAssumedMessage;
}

function hasUndefinedAssumed(d: Diagnostic): boolean {
  return d.assumed === undefined && 'assumed' in d;
}

function stripUndefined(d: Diagnostic): Diagnostic {
  if (d.assumed === undefined && 'assumed' in d) {
    const { assumed: _omit, ...rest } = d;
    return rest;
  }
  return d;
}

/**
 * Maps an offset in a rendered part to the part as written: inside a token's output it lands on the
 * token; elsewhere it shifts by what the tokens before it added. `end` picks the token's end.
 */
export function outputToSource(uses: TokenUse[], offset: number, end = false): number {
  let shift = 0;
  for (const u of uses) {
    if (offset < u.outputStart || (end && offset === u.outputStart)) break;
    if (offset < u.outputEnd || (end && offset === u.outputEnd)) return end ? u.sourceEnd : u.sourceStart;
    shift = u.sourceEnd - u.outputEnd;
  }
  return offset + shift;
}

export function renderWebhook(webhook: Webhook, context: TokenContext, options?: EngineOptions): RenderedRequest {
  return renderDetailed(webhook, context, options).request;
}
