import type { TokenEncoding, TokenUse } from '../model';
import type { CompiledText } from './compile';
import { encodeValue, htmlEncode, type TokenValue } from './encode';
import type { Resolution } from './resolve';
import { spend } from './render-budget';
import { describePart, locationFor, NO_USES, type PartRef, type RenderedPart, type RenderState } from './render-state';
import { SECRET_MASK } from './secret-mask';
import type { ScannedToken } from './tokens';
import { utf8Length } from './text';

/** One part of the webhook to render: its compiled text, which part it is, and how its tokens are encoded. */
export interface PartSource {
  compiled: CompiledText;
  ref: PartRef;
  /** The part as written (for locations). */
  source: string;
  encoding: TokenEncoding;
  /** Maps an offset in the compiled text to the part as written (the template's pre-parse shifts them). */
  toSource: (o: number) => number;
  /** Outside the body: whether the webhook's encoding applies at all is the profile's encodingScope. */
  scoped: boolean;
}

export const identity = (o: number): number => o;

/** One token rendered: its value before encoding and its output. */
interface RenderedToken {
  token: ScannedToken;
  resolution: Resolution;
  value: TokenValue;
  encoded: string;
  usedDefault: boolean;
  nonAscii: boolean;
  sourceStart: number;
  sourceEnd: number;
}

/** Renders the tokens of one compiled part with one encoding, taking its bytes from the request's budget. */
export function renderPart(part: PartSource, state: RenderState): RenderedPart {
  const { compiled, ref, encoding } = part;
  const { tokens, literals } = compiled;
  // Speed: docs/performance.md#engine (concatenation, not join).
  let output = literals[0] ?? '';
  if (tokens.length === 0) return spend(state, ref, { output, uses: [], bytes: compiled.literalBytes });
  let length = output.length;
  let bytes = compiled.literalBytes;
  const uses: TokenUse[] = state.keepUses ? [] : NO_USES;
  for (let i = 0; i < tokens.length; i++) {
    const t = renderToken(part, tokens[i] as ScannedToken, state);
    const outputStart = length;
    output += t.encoded;
    length += t.encoded.length;
    if (t.resolution.secret !== undefined)
      recordSecret(state, ref, encoding, t.encoded, outputStart, t.resolution.secret);
    // Form/Url output is ASCII, and so is anything encoded from ASCII.
    bytes += t.nonAscii && encoding !== 'form-url' ? utf8Length(t.encoded) : t.encoded.length;
    // The literals are counted from the start, so this is the part's size if no later token added a
    // byte: once over the budget, the rest is not built (a template of many tokens stops early).
    if (bytes > state.budget) return spend(state, ref, { output: '', uses, bytes });
    if (state.keepUses) uses.push(tokenUseOf(ref, t, state, outputStart, length));
    const literal = literals[i + 1] ?? '';
    output += literal;
    length += literal.length;
  }
  return spend(state, ref, { output, uses, bytes });
}

/** Where a secret My Token landed; a JSON string keeps its quotes in the record, only what is between them is the secret. */
function recordSecret(
  state: RenderState,
  ref: PartRef,
  encoding: TokenEncoding,
  encoded: string,
  start: number,
  name: string,
): void {
  const quoted =
    encoding === 'json' &&
    encoded.length >= 2 &&
    encoded.charCodeAt(0) === 34 &&
    encoded.charCodeAt(encoded.length - 1) === 34;
  const end = start + encoded.length;
  (state.secretSpans ??= []).push({ ref, start: quoted ? start + 1 : start, end: quoted ? end - 1 : end, name });
}

function renderToken(part: PartSource, token: ScannedToken, state: RenderState): RenderedToken {
  state.tokenAssumed = undefined;
  if (part.scoped) state.useForToken('encodingScope');
  const sourceStart = part.toSource(token.start);
  const sourceEnd = part.toSource(token.end);
  const resolution = state.resolver.resolve(token.namespace, token.name);
  const t: RenderedToken = {
    token,
    resolution,
    value: resolution.value,
    encoded: '',
    usedDefault: false,
    nonAscii: true,
    sourceStart,
    sourceEnd,
  };
  if (token.malformed) renderMalformed(part, t, state);
  else renderValue(part, t, state);
  return t;
}

/** `{{lead.x=y}}`: '=' without ':default='; the profile says whether it renders as written or empty. */
function renderMalformed(part: PartSource, t: RenderedToken, state: RenderState): void {
  const { token } = t;
  const pu = state.profile;
  state.useForToken('malformedDefault');
  const literal = pu.profile.malformedDefault === 'literal';
  t.encoded = literal ? token.text : '';
  t.value = { text: t.encoded, numeric: false, boolean: false };
  const fix = `{{${token.namespace}.${token.name.split('=')[0]?.trim() ?? ''}:default=${token.name.slice(token.name.indexOf('=') + 1)}}}`;
  state.diagnostics.push({
    severity: 'warning',
    code: 'malformed-default',
    message: `${token.text} in ${describePart(part.ref)} has '=' but no ':default='; it renders ${literal ? 'as written' : 'empty'} (write ${fix} for a default)`,
    location: locationFor(part.ref, part.source, t.sourceStart, t.sourceEnd - t.sourceStart),
    assumed: pu.isAssumed('malformedDefault') ? ['malformedDefault'] : undefined,
  });
}

function renderValue(part: PartSource, t: RenderedToken, state: RenderState): void {
  const { token, resolution } = t;
  const { encoding } = part;
  const profile = state.profile.profile;
  const use = state.useForToken;
  if (t.value.text === '' && token.default !== undefined) {
    t.usedDefault = true;
    t.value = { text: token.default, numeric: t.value.numeric, boolean: false };
  } else if (!resolution.found) {
    state.diagnostics.push({
      severity: 'warning',
      code: 'unresolved-token',
      message: `${token.text} in ${describePart(part.ref)} has no value in this context${resolution.note ? ` (${resolution.note})` : ''}; it renders empty`,
      location: locationFor(part.ref, part.source, t.sourceStart, t.sourceEnd - t.sourceStart),
    });
  }
  const kind = classify(t.value.text);
  // Marketo turns line breaks in field values into spaces (spec §2.3, TK-NL).
  if ((kind & LINE_BREAK) !== 0) t.value = { ...t.value, text: t.value.text.replace(/\r\n|\r|\n/g, ' ') };
  let v = t.value;
  t.nonAscii = (kind & NON_ASCII) !== 0;
  if ((kind & HTML_SPECIAL) !== 0) {
    use('htmlEncodeTokens');
    if (profile.htmlEncodeTokens) v = { ...v, text: htmlEncode(v.text) };
  }
  if (t.usedDefault && encoding !== 'none') {
    use('encodeDefaults');
    t.encoded = profile.encodeDefaults ? encodeValue(v, encoding, profile, use) : v.text;
  } else t.encoded = encodeValue(v, encoding, profile, use);
}

function tokenUseOf(
  ref: PartRef,
  t: RenderedToken,
  state: RenderState,
  outputStart: number,
  outputEnd: number,
): TokenUse {
  const { token } = t;
  const secret = t.resolution.secret !== undefined;
  const tokenUse: TokenUse = {
    part: ref.part,
    text: token.text,
    namespace: token.namespace,
    name: token.name,
    resolved: t.resolution.found || t.usedDefault,
    usedDefault: t.usedDefault,
    // A secret's value stays out of the token list (shown in the preview, printed by `render --json`).
    value: secret ? SECRET_MASK : t.value.text,
    encoded: secret ? SECRET_MASK : t.encoded,
    sourceStart: t.sourceStart,
    sourceEnd: t.sourceEnd,
    outputStart,
    outputEnd,
  };
  if (ref.part === 'header') {
    tokenUse.index = ref.index;
    tokenUse.field = ref.field;
  }
  if (token.default !== undefined) tokenUse.default = token.default;
  if (state.tokenAssumed) tokenUse.assumed = state.tokenAssumed;
  return tokenUse;
}

/**
 * The token uses of a part rendered lean, rendered once more for them: its diagnostics go to a scratch
 * list (the first rendering reported them), and what it records of assumed options is already recorded.
 */
export function usesOf(part: PartSource, state: RenderState): TokenUse[] {
  // The part was counted against the budget when it was first rendered: the second rendering is not.
  const scratch: RenderState = {
    ...state,
    diagnostics: [],
    keepUses: true,
    budget: Number.POSITIVE_INFINITY,
    tooLarge: undefined,
    secretSpans: undefined,
  };
  const uses = renderPart(part, scratch).uses;
  state.tokenAssumed = undefined;
  return uses;
}

const HTML_SPECIAL = 1;
const NON_ASCII = 2;
const LINE_BREAK = 4;

/**
 * One pass over a token value: whether it holds line breaks, whether HTML encoding would change it, and
 * whether it is pure ASCII (then its byte length is its length). Speed: docs/performance.md#engine
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
