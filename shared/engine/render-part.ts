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

/** Renders the tokens of one compiled part with one encoding, taking its bytes from the request's budget. */
export function renderPart(part: PartSource, state: RenderState): RenderedPart {
  const { compiled, ref, encoding, toSource } = part;
  const { tokens, literals } = compiled;
  // Speed: docs/performance.md#engine (concatenation, not join; the token loop keeps its values in locals).
  let output = literals[0] ?? '';
  if (tokens.length === 0) return spend(state, ref, { output, uses: [], bytes: compiled.literalBytes });
  let length = output.length;
  let bytes = compiled.literalBytes;
  const uses: TokenUse[] = state.keepUses ? [] : NO_USES;
  const use = state.useForToken;
  const profile = state.profile.profile;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as ScannedToken;
    state.tokenAssumed = undefined;
    if (part.scoped) use('encodingScope');
    // Most parts are their own source (no pre-parse shift): no call per token then.
    const sourceStart = toSource === identity ? token.start : toSource(token.start);
    const sourceEnd = toSource === identity ? token.end : toSource(token.end);
    const resolution = state.resolver.resolve(token.namespace, token.name);
    let value: TokenValue = resolution.value;
    let usedDefault = false;
    let encoded: string;
    let nonAscii = true;
    if (token.malformed) {
      encoded = renderMalformed(part, token, state, sourceStart, sourceEnd);
      value = { text: encoded, numeric: false, boolean: false };
    } else {
      if (value.text === '' && token.default !== undefined) {
        usedDefault = true;
        value = { text: token.default, numeric: value.numeric, boolean: false };
      } else if (!resolution.found) reportUnresolved(part, token, resolution, state, { sourceStart, sourceEnd });
      const kind = classify(value.text);
      // Marketo turns line breaks in field values into spaces (spec §2.3, TK-NL).
      if ((kind & LINE_BREAK) !== 0) value = { ...value, text: value.text.replace(/\r\n|\r|\n/g, ' ') };
      nonAscii = (kind & NON_ASCII) !== 0;
      let v = value;
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
    if (resolution.secret !== undefined) recordSecret(state, ref, encoding, encoded, outputStart, resolution.secret);
    // Form/Url output is ASCII, and so is anything encoded from ASCII.
    bytes += nonAscii && encoding !== 'form-url' ? utf8Length(encoded) : encoded.length;
    // The literals are counted from the start, so this is the part's size if no later token added a
    // byte: once over the budget, the rest is not built (a template of many tokens stops early).
    if (bytes > state.budget) return spend(state, ref, { output: '', uses, bytes });
    if (state.keepUses) {
      const secret = resolution.secret !== undefined;
      const u: TokenUse = {
        part: ref.part,
        text: token.text,
        namespace: token.namespace,
        name: token.name,
        resolved: resolution.found || usedDefault,
        usedDefault,
        // A secret's value stays out of the token list (shown in the preview, printed by `render --json`).
        value: secret ? SECRET_MASK : value.text,
        encoded: secret ? SECRET_MASK : encoded,
        sourceStart,
        sourceEnd,
        outputStart,
        outputEnd: length,
      };
      uses.push(withOptional(u, ref, token, state));
    }
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

/** `{{lead.x=y}}`: '=' without ':default='; the profile says whether it renders as written or empty. */
function renderMalformed(
  part: PartSource,
  token: ScannedToken,
  state: RenderState,
  sourceStart: number,
  sourceEnd: number,
): string {
  const pu = state.profile;
  state.useForToken('malformedDefault');
  const literal = pu.profile.malformedDefault === 'literal';
  const fix = `{{${token.namespace}.${token.name.split('=')[0]?.trim() ?? ''}:default=${token.name.slice(token.name.indexOf('=') + 1)}}}`;
  state.diagnostics.push({
    severity: 'warning',
    code: 'malformed-default',
    message: `${token.text} in ${describePart(part.ref)} has '=' but no ':default='; it renders ${literal ? 'as written' : 'empty'} (write ${fix} for a default)`,
    location: locationFor(part.ref, part.source, sourceStart, sourceEnd - sourceStart),
    assumed: pu.isAssumed('malformedDefault') ? ['malformedDefault'] : undefined,
  });
  return literal ? token.text : '';
}

function reportUnresolved(
  part: PartSource,
  token: ScannedToken,
  resolution: Resolution,
  state: RenderState,
  { sourceStart, sourceEnd }: { sourceStart: number; sourceEnd: number },
): void {
  state.diagnostics.push({
    severity: 'warning',
    code: 'unresolved-token',
    message: `${token.text} in ${describePart(part.ref)} has no value in this context${resolution.note ? ` (${resolution.note})` : ''}; it renders empty`,
    location: locationFor(part.ref, part.source, sourceStart, sourceEnd - sourceStart),
  });
}

/** A token use with what only some have: the header it is in, its default, the options it rests on. */
function withOptional(u: TokenUse, ref: PartRef, token: ScannedToken, state: RenderState): TokenUse {
  if (ref.part === 'header') {
    u.index = ref.index;
    u.field = ref.field;
  }
  if (token.default !== undefined) u.default = token.default;
  if (state.tokenAssumed) u.assumed = state.tokenAssumed;
  return u;
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
    // Letters and `?@[\\]^_` and the like change nothing: two compares. Speed: docs/performance.md#engine
    if (c >= 0x3f && c <= 0x7f) continue;
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
