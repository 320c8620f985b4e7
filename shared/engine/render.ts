import type {
  Diagnostic,
  FieldCatalog,
  Profile,
  ProfileOption,
  RenderedRequest,
  TokenContext,
  TokenUse,
  Webhook,
} from '../model';
import { defaultFieldCatalog } from '../catalog';
import type { CompiledTemplate } from './compile';
import { ProfileUse } from './profile-use';
import { Resolver } from './resolve';
import { renderBody, type RenderedBody } from './render-body';
import { renderCustomHeaders, requestHeaders, type CustomHeaders } from './render-headers';
import type { RenderedPart, RenderState } from './render-state';
import { renderUrl, type RenderedUrl } from './render-url';
import { secretSpansOf } from './secret-spans';

// What callers import from here; the render steps live in the modules named for them.
export { compile, compileTemplate, type CompiledTemplate, type CompiledText } from './compile';
export { outputToSource } from './render-part';
export type { RenderedPart } from './render-state';
export { ProfileUse } from './profile-use';
export { maskSpans, SECRET_MASK } from './secret-mask';

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

/** The render plus what lint needs to point back into the template. */
export interface DetailedRender {
  request: RenderedRequest;
  template: CompiledTemplate;
  /** The template after the pre-parse and tokens, before GET dropped it. */
  templateOutput: RenderedPart;
  profile: ProfileUse;
  catalog: FieldCatalog;
}

export function renderWebhook(webhook: Webhook, context: TokenContext, options?: EngineOptions): RenderedRequest {
  return renderAll(webhook, context, options ?? {}, false).request;
}

/** Renders a webhook in a context: the URL and request target, the body, the headers, and where secrets went. */
export function renderDetailed(webhook: Webhook, context: TokenContext, options: EngineOptions = {}): DetailedRender {
  return renderAll(webhook, context, options, true);
}

/**
 * The render; `detailed`: the caller gets the ProfileUse too (lint records more options on it), so the
 * assumptions diagnostic takes a copy of its list. Otherwise the list is the render's alone and is handed
 * over as it is, nothing being recorded after it. Speed: docs/performance.md#engine
 */
function renderAll(webhook: Webhook, context: TokenContext, options: EngineOptions, detailed: boolean): DetailedRender {
  const pu = new ProfileUse(options.profile);
  const catalog = options.fields ?? defaultFieldCatalog;
  const state = renderState(context, catalog, pu, options);
  const diagnostics = state.diagnostics;
  if (campaignType(context) === 'batch') {
    diagnostics.push({
      severity: 'error',
      code: 'batch-campaign',
      message:
        'the context is a batch campaign: Marketo does not call webhooks from batch campaigns (code 1000), so nothing is sent',
      location: { part: 'context', path: 'campaign.Type' },
    });
  }
  const url = renderUrl(webhook, state);
  const body = renderBody(webhook, state);
  const custom = renderCustomHeaders(webhook, state, {
    maskSecrets: options.maskSecrets === true,
    urlHost: url.split.host,
  });
  const clock = clockDiagnostic(state.resolver);
  if (clock !== undefined) diagnostics.push(clock);
  const { headers, credentialsAt } = requestHeaders(
    { custom, split: url.split, method: webhook.method, bodyBytes: body.body === null ? null : body.output.bytes },
    state,
  );
  if (pu.assumed.length > 0) {
    const assumed = detailed ? pu.assumed.slice() : pu.assumed;
    diagnostics.push({ severity: 'info', code: 'profile-assumptions', message: assumptionsMessage(assumed), assumed });
  }
  const request = requestOf(webhook, { url, body, custom, headers }, state);
  if (state.secretSpans !== undefined || custom.secretHeaders !== undefined || url.split.authorization !== undefined) {
    request.secretSpans = secretSpansOf(
      request,
      {
        tokenSpans: state.secretSpans ?? [],
        secretHeaders: custom.secretHeaders ?? [],
        headerAt: custom.headerAt,
        credentialsAt,
        hasBody: body.body !== null,
      },
      // The request's own list: requestOf may have copied the state's, and what is found here must reach the sender.
      request.diagnostics,
    );
  }
  return { request, template: body.template, templateOutput: body.output, profile: pu, catalog };
}

function renderState(
  context: TokenContext,
  catalog: FieldCatalog,
  pu: ProfileUse,
  options: EngineOptions,
): RenderState {
  // Options the resolver relies on (booleanFormat) belong to the token being rendered.
  const resolver = new Resolver(context, catalog, pu.profile, (option) => {
    state.useForToken(option);
  });
  if (options.maskSecrets) resolver.maskSecrets = true;
  const state: RenderState = {
    profile: pu,
    resolver,
    diagnostics: [],
    tokenAssumed: undefined,
    keepUses: options.tokenUses !== false,
    budget: pu.profile.maxRenderedBytes,
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
  return state;
}

/** The request from its rendered parts, every field set before the secret spans are worked out (they mask some). */
function requestOf(
  webhook: Webhook,
  parts: { url: RenderedUrl; body: RenderedBody; custom: CustomHeaders; headers: RenderedRequest['headers'] },
  state: RenderState,
): RenderedRequest {
  const { split } = parts.url;
  const { diagnostics } = state;
  const request: RenderedRequest = {
    method: webhook.method,
    url: parts.url.part.output,
    requestTarget: split.requestTarget,
    requestTargetAsWritten: split.requestTargetAsWritten,
    headers: parts.headers,
    body: parts.body.body,
    tokens: state.keepUses ? allUses(parts.url.part.uses, parts.body.uses, parts.custom.uses) : [],
    diagnostics: diagnostics.some(hasUndefinedAssumed) ? diagnostics.map(stripUndefined) : diagnostics,
  };
  if (split.origin !== undefined) request.origin = split.origin;
  const host = parts.custom.hostOverride ?? split.host;
  if (host !== undefined) request.host = host;
  if (split.browserRequestTarget !== undefined) request.browserRequestTarget = split.browserRequestTarget;
  return request;
}

function campaignType(context: TokenContext): string | undefined {
  const campaign = context.campaign;
  // Speed: docs/performance.md#engine (for-in, not Object.entries).
  for (const k in campaign) {
    if (!Object.prototype.hasOwnProperty.call(campaign, k)) continue;
    const v = campaign[k];
    if (typeof v === 'string' && k.trim().toLowerCase() === 'type') return v.trim().toLowerCase();
  }
  return undefined;
}

/** System time tokens rendered without the context's clock or time zone. */
function clockDiagnostic(resolver: Resolver): Diagnostic | undefined {
  const fallbacks = resolver.clockFallbacks;
  if (!fallbacks) return undefined;
  const what = [
    fallbacks.now ? 'no system.now, so the current time is used (renders are not reproducible)' : '',
    fallbacks.timeZone ? 'no system.timeZone, so UTC is used instead of the account time zone' : '',
  ].filter((x) => x !== '');
  return {
    severity: 'info',
    code: 'system-clock',
    message: `system time tokens: the context has ${what.join('; and ')}`,
    location: { part: 'context', path: 'system' },
  };
}

/** The parts' token uses in one new array. Speed: docs/performance.md#engine */
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
