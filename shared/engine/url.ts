import type { Profile, ProfileOption } from '../model';
import { percentEncodeUtf8, showChar } from './text';
import { analyseAuthority, WhatwgURL, type Authority, type SplitUrlDiagnostic, type UrlPart } from './url-authority';

export type { SplitUrlDiagnostic, UrlPart };

/** What records the profile options a URL's split rests on (the render's ProfileUse). */
export interface OptionRecorder {
  use(option: ProfileOption): void;
}

export interface SplitUrl {
  origin?: string;
  host?: string;
  requestTarget: string;
  requestTargetAsWritten: string;
  browserRequestTarget?: string;
  /** `Basic …` from credentials in the URL. */
  authorization?: string;
  diagnostics: SplitUrlDiagnostic[];
}

const MAX_CHARACTER_DIAGNOSTICS = 20;

function isWireSafe(c: number): boolean {
  return c >= 0x21 && c <= 0x7e;
}

/** Characters a browser's URL parser leaves as they are in an http(s) path and query. */
const BROWSER_KEEPS = /^[A-Za-z0-9\-._~!$&()*+,;=:@/%?]*$/;

/**
 * Whether a browser would send this request target unchanged, decided without parsing the URL again:
 * only characters it never encodes, no dot segment it would remove (`.`, `%2e`), no empty query it
 * would drop. Anything else goes to the parser itself. `keepsEveryCharacter` is BROWSER_KEEPS tested on
 * the target, which the caller has done already.
 */
function browserKeepsTarget(target: string, keepsEveryCharacter: boolean): boolean {
  if (!keepsEveryCharacter || target.endsWith('?')) return false;
  // The path is what precedes the first `?`; searched in place, not sliced. Speed: docs/performance.md#engine
  const q = target.indexOf('?');
  const pathEnd = q < 0 ? target.length : q;
  const dot = target.indexOf('/.');
  if (dot >= 0 && dot < pathEnd) return false;
  const percent = target.indexOf('%');
  return percent < 0 || percent >= pathEnd || !hasEncodedDot(target, percent, pathEnd);
}

/** Whether `%2e` (any case) occurs in target[from, end). */
function hasEncodedDot(target: string, from: number, end: number): boolean {
  for (let i = target.indexOf('%', from); i >= 0 && i + 3 <= end; i = target.indexOf('%', i + 1)) {
    if (target.charCodeAt(i + 1) === 0x32 && (target.charCodeAt(i + 2) | 0x20) === 0x65) return true;
  }
  return false;
}

// The authority is analysed once per distinct prefix. Speed: docs/performance.md#engine
const AUTHORITY_CACHE_LIMIT = 256;
const authorityCache = new Map<string, Authority>();
let lastAuthority: { prefix: string; authority: Authority } | undefined;

function authorityEndOf(url: string, from: number): number {
  for (let i = from; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) return i;
  }
  return url.length;
}

/**
 * Splits a rendered URL into origin and request target without decoding or normalising anything:
 * Marketo sends the URL as written (spec §1, §C), so `%26` stays `%26`, `..` and `#` stay. Only
 * characters that cannot be written on an HTTP/1.1 request line at all are handled, per the profile.
 */
export function splitUrl(url: string, profile: Profile, recorder: OptionRecorder): SplitUrl {
  // Speed: docs/performance.md#engine (the previous URL's prefix is checked in place first).
  const last = lastAuthority;
  if (last !== undefined && url.startsWith(last.prefix)) {
    const c = url.charCodeAt(last.prefix.length);
    if (Number.isNaN(c) || c === 0x2f || c === 0x3f || c === 0x23)
      return splitTarget(url, last.authority, profile, recorder, copyDiagnostics(last.authority));
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (!scheme) {
    const diagnostics: SplitUrlDiagnostic[] = [
      {
        diagnostic: {
          severity: 'error',
          code: 'url-invalid',
          message: url.trim() === '' ? 'the URL is empty' : `the URL '${url}' does not start with http:// or https://`,
        },
        at: { offset: 0, length: Math.min(url.length, 8) },
      },
    ];
    return { requestTarget: '', requestTargetAsWritten: '', diagnostics };
  }
  const prefix = url.slice(0, authorityEndOf(url, scheme[0].length));
  let authority = authorityCache.get(prefix);
  if (authority === undefined) {
    authority = analyseAuthority(prefix, scheme);
    if (authorityCache.size >= AUTHORITY_CACHE_LIMIT) authorityCache.clear();
    authorityCache.set(prefix, authority);
  }
  lastAuthority = { prefix, authority };
  return splitTarget(url, authority, profile, recorder, copyDiagnostics(authority));
}

/** Callers may change the diagnostics they are given: each render gets its own copies. */
function copyDiagnostics(authority: Authority): SplitUrlDiagnostic[] {
  if (authority.diagnostics.length === 0) return [];
  return authority.diagnostics.map((d) => ({ ...d, diagnostic: { ...d.diagnostic } }));
}

function splitTarget(
  url: string,
  authority: Authority,
  profile: Profile,
  recorder: OptionRecorder,
  diagnostics: SplitUrlDiagnostic[],
): SplitUrl {
  const authorityEnd = authority.end;
  const rest = url.slice(authorityEnd);
  let asWritten = rest;
  let restOffset = authorityEnd;
  if (rest === '' || rest.startsWith('?') || rest.startsWith('#')) {
    asWritten = `/${rest}`;
    restOffset -= 1;
    diagnostics.push({
      diagnostic: {
        severity: 'info',
        code: 'request-target-slash-added',
        message: 'the URL has no path; the request target starts with `/`, as every HTTP client sends it',
      },
      at: { offset: authorityEnd, length: 0 },
    });
  }
  // Speed: docs/performance.md#engine (one native scan for the usual target).
  const browserKeeps = BROWSER_KEEPS.test(asWritten);
  const where = { restOffset, authorityEnd };
  let target = browserKeeps ? asWritten : wireTarget(asWritten, where, profile, recorder, diagnostics);
  // Refused characters are not rewritten: the request is not sent, and the target shows what was typed.
  if (profile.urlUnsafeCharacters === 'refuse') target = asWritten;
  const browserRequestTarget =
    authority.browserOk && target === asWritten && browserKeepsTarget(target, browserKeeps)
      ? target
      : browserTarget(url, authority.hostOk);
  if (browserRequestTarget !== undefined && browserRequestTarget !== target) {
    diagnostics.push({
      diagnostic: {
        severity: 'info',
        code: 'url-browser-differs',
        message: `Marketo sends the request target as written (${target}); a browser or fetch() would have sent ${browserRequestTarget}`,
      },
      at: { offset: authorityEnd, length: url.length - authorityEnd },
    });
  }
  const result: SplitUrl = { requestTarget: target, requestTargetAsWritten: asWritten, diagnostics };
  if (authority.origin !== undefined) result.origin = authority.origin;
  if (authority.host !== undefined) result.host = authority.host;
  if (browserRequestTarget !== undefined) result.browserRequestTarget = browserRequestTarget;
  if (authority.authorization !== undefined) result.authorization = authority.authorization;
  return result;
}

/** What a browser's URL parser would send as the request target; undefined where it would not parse the URL. */
function browserTarget(url: string, hostOk: boolean): string | undefined {
  if (!WhatwgURL || !hostOk) return undefined;
  try {
    const parsed = new WhatwgURL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return undefined;
  }
}

/**
 * The request target with every character that cannot go on an HTTP/1.1 request line percent-encoded
 * (profile urlUnsafeCharacters), each reported (up to MAX_CHARACTER_DIAGNOSTICS, then a count).
 */
function wireTarget(
  asWritten: string,
  where: { restOffset: number; authorityEnd: number },
  profile: Profile,
  recorder: OptionRecorder,
  diagnostics: SplitUrlDiagnostic[],
): string {
  const refuse = profile.urlUnsafeCharacters === 'refuse';
  let target = '';
  let from = 0;
  let reported = 0;
  let unsafeCount = 0;
  for (let i = 0; i < asWritten.length; i++) {
    const c = asWritten.charCodeAt(i);
    if (isWireSafe(c)) continue;
    const pair = c >= 0xd800 && c <= 0xdbff && (asWritten.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const ch = asWritten.slice(i, pair ? i + 2 : i + 1);
    unsafeCount++;
    recorder.use('urlUnsafeCharacters');
    const encoded = percentEncodeUtf8(ch);
    if (reported < MAX_CHARACTER_DIAGNOSTICS) {
      reported++;
      diagnostics.push({
        diagnostic: {
          severity: refuse ? 'error' : 'warning',
          code: 'url-unsafe-character',
          message: refuse
            ? `${showChar(ch)} in the request target cannot go on the wire as written; the profile refuses it (write ${encoded} yourself)`
            : `${showChar(ch)} in the request target cannot go on the wire as written; it is sent percent-encoded as ${encoded}`,
          assumed: ['urlUnsafeCharacters'],
        },
        at: { offset: Math.max(where.restOffset + i, where.authorityEnd), length: ch.length },
      });
    }
    target += asWritten.slice(from, i) + encoded;
    from = i + ch.length;
    if (pair) i++;
  }
  if (unsafeCount > reported) {
    diagnostics.push({
      diagnostic: {
        severity: refuse ? 'error' : 'warning',
        code: 'url-unsafe-character',
        message: `${unsafeCount - reported} more characters in the request target cannot go on the wire as written`,
        assumed: ['urlUnsafeCharacters'],
      },
    });
  }
  return target + asWritten.slice(from);
}

/**
 * Where the authority of a rendered URL sits, and its userinfo (`user:pass@`) if any: the render masks
 * secrets by position, so it needs the same boundaries splitUrl uses. Undefined without `scheme://`.
 */
export function urlAuthority(url: string): { start: number; end: number; userinfoEnd: number } | undefined {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (!scheme) return undefined;
  const start = scheme[0].length;
  const end = authorityEndOf(url, start);
  const at = url.lastIndexOf('@', end - 1);
  return { start, end, userinfoEnd: at >= start ? at : -1 };
}

/** Where offset `k` of the request target as written lands in the target sent, after unsafe characters before it were percent-encoded. */
export function targetOffset(asWritten: string, k: number): number {
  let out = 0;
  for (let i = 0; i < k && i < asWritten.length; i++) {
    const c = asWritten.charCodeAt(i);
    if (isWireSafe(c)) {
      out++;
      continue;
    }
    const pair = c >= 0xd800 && c <= 0xdbff && (asWritten.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    out += percentEncodeUtf8(asWritten.slice(i, pair ? i + 2 : i + 1)).length;
    if (pair) i++;
  }
  return out;
}
