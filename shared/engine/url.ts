import type { Diagnostic, Profile } from '../model';
import type { UseOption } from './encode';
import { base64, percentDecode, percentEncodeUtf8, showChar, utf8Bytes } from './text';

/**
 * The WHATWG URL parser exists at run time wherever the engine runs (Node 20, Electron, browsers) but
 * shared/ compiles without DOM or Node types, so it is reached through globalThis with the few members
 * used here, rather than declaring a global that would clash with DOM's and Node's own declarations.
 */
interface WhatwgUrl {
  hostname: string;
  port: string;
  pathname: string;
  search: string;
}
type WhatwgUrlConstructor = new (input: string) => WhatwgUrl;
const WhatwgURL = (globalThis as unknown as { URL?: WhatwgUrlConstructor }).URL;

export interface UrlPart {
  /** Offsets into the rendered URL. */
  offset: number;
  length: number;
}

export interface SplitUrlDiagnostic {
  diagnostic: Diagnostic;
  /** Where in the rendered URL; the caller maps it back to the URL as written. */
  at?: UrlPart;
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

const defaultPorts: Record<string, string> = { http: '80', https: '443' };
const MAX_CHARACTER_DIAGNOSTICS = 20;

function isWireSafe(c: number): boolean {
  return c >= 0x21 && c <= 0x7e;
}

/**
 * Splits a rendered URL into origin and request target without decoding or normalising anything:
 * Marketo sends the URL as written (spec §1, §C), so `%26` stays `%26`, `..` and `#` stay. Only
 * characters that cannot be written on an HTTP/1.1 request line at all are handled, per the profile.
 */
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
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  return !path.includes('/.') && !(path.includes('%') && /%2e/i.test(path));
}

/** What the scheme and authority of a URL give, the same for every URL that starts with them. */
interface Authority {
  /** Where the authority ends: the path, query or fragment starts here. */
  end: number;
  origin?: string;
  host?: string;
  authorization?: string;
  hostOk: boolean;
  /** A browser's URL parser accepts this scheme and authority (http or https only). */
  browserOk: boolean;
  diagnostics: SplitUrlDiagnostic[];
}

// A webhook's URL keeps its scheme and host from lead to lead while tokens in the path or query change:
// the authority is analysed once per distinct prefix, and each render does only the request target.
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
export function splitUrl(url: string, profile: Profile, use: UseOption): SplitUrl {
  // Most calls repeat the previous URL's prefix: checked in place, without slicing a key for the map.
  const last = lastAuthority;
  if (last !== undefined && url.startsWith(last.prefix)) {
    const c = url.charCodeAt(last.prefix.length);
    if (Number.isNaN(c) || c === 0x2f || c === 0x3f || c === 0x23)
      return splitTarget(url, last.authority, profile, use, copyDiagnostics(last.authority));
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
  return splitTarget(url, authority, profile, use, copyDiagnostics(authority));
}

/** Callers may change the diagnostics they are given: each render gets its own copies. */
function copyDiagnostics(authority: Authority): SplitUrlDiagnostic[] {
  if (authority.diagnostics.length === 0) return [];
  return authority.diagnostics.map((d) => ({ ...d, diagnostic: { ...d.diagnostic } }));
}

function analyseAuthority(url: string, scheme: RegExpExecArray): Authority {
  const diagnostics: SplitUrlDiagnostic[] = [];
  const protocol = (scheme[1] ?? '').toLowerCase();
  if (protocol !== 'http' && protocol !== 'https') {
    diagnostics.push({
      diagnostic: {
        severity: 'error',
        code: 'unsupported-scheme',
        message: `the URL scheme '${scheme[1]}' is not http or https; Marketo only calls HTTP(S) web services`,
      },
      at: { offset: 0, length: (scheme[1] ?? '').length },
    });
  }
  const authorityStart = scheme[0].length;
  const authorityEnd = url.length;
  const authority = url.slice(authorityStart, authorityEnd);
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const hostPortOffset = authorityStart + (at >= 0 ? at + 1 : 0);

  let hostname = hostPort;
  let port = '';
  const portMatch = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort);
  if (portMatch) {
    hostname = portMatch[1] ?? '';
    port = portMatch[2] ?? '';
  }
  let hostOk = true;
  if (hostname === '') {
    hostOk = false;
    diagnostics.push({
      diagnostic: { severity: 'error', code: 'url-invalid', message: 'the URL has no host' },
      at: { offset: hostPortOffset, length: 0 },
    });
  } else if (/[\s<>\\^`{|}"]/.test(hostname) || /[\u0000-\u001f\u007f]/.test(hostname)) {
    hostOk = false;
    diagnostics.push({
      diagnostic: {
        severity: 'error',
        code: 'url-invalid-host',
        message: `the host '${hostname}' holds characters a host name cannot have`,
      },
      at: { offset: hostPortOffset, length: hostname.length },
    });
  }
  if (port !== '' && (!/^\d{1,5}$/.test(port) || Number(port) > 65535)) {
    hostOk = false;
    diagnostics.push({
      diagnostic: {
        severity: 'error',
        code: 'url-invalid-port',
        message: `the port '${port}' is not a number from 0 to 65535`,
      },
      at: { offset: hostPortOffset + hostname.length + 1, length: port.length },
    });
  }
  let host = hostname.toLowerCase();
  if (hostOk && /[^\x00-\x7f]/.test(hostname) && WhatwgURL) {
    try {
      host = new WhatwgURL(`${protocol}://${hostname}/`).hostname;
      diagnostics.push({
        diagnostic: {
          severity: 'info',
          code: 'url-idn-host',
          message: `the host '${hostname}' is sent in its ASCII (punycode) form '${host}'`,
        },
        at: { offset: hostPortOffset, length: hostname.length },
      });
    } catch {
      hostOk = false;
      diagnostics.push({
        diagnostic: {
          severity: 'error',
          code: 'url-invalid-host',
          message: `the host '${hostname}' is not a valid host name`,
        },
        at: { offset: hostPortOffset, length: hostname.length },
      });
    }
  }
  const portPart = port !== '' && String(Number(port)) !== defaultPorts[protocol] ? `:${Number(port)}` : '';
  const origin = hostOk ? `${protocol}://${host}${portPart}` : undefined;
  const hostHeader = hostOk ? `${host}${portPart}` : undefined;

  let authorization: string | undefined;
  if (userinfo !== undefined && userinfo !== '') {
    const colon = userinfo.indexOf(':');
    const user = percentDecode(colon >= 0 ? userinfo.slice(0, colon) : userinfo);
    const password = percentDecode(colon >= 0 ? userinfo.slice(colon + 1) : '');
    authorization = `Basic ${base64(utf8Bytes(`${user}:${password}`))}`;
    diagnostics.push({
      diagnostic: {
        severity: 'info',
        code: 'url-credentials',
        message:
          "the credentials in the URL are sent as an Authorization: Basic header and left out of the Host header (as in Adobe's Twilio example)",
      },
      at: { offset: authorityStart, length: userinfo.length + 1 },
    });
  }

  let browserOk = false;
  // A browser ends an http(s) authority at a backslash too, and drops tabs and line breaks first.
  if (WhatwgURL && hostOk && (protocol === 'http' || protocol === 'https') && !/[\\\t\n\r]/.test(url)) {
    try {
      new WhatwgURL(`${url}/`);
      browserOk = true;
    } catch {
      browserOk = false;
    }
  }
  const result: Authority = { end: authorityEnd, hostOk, browserOk, diagnostics };
  if (origin !== undefined) result.origin = origin;
  if (hostHeader !== undefined) result.host = hostHeader;
  if (authorization !== undefined) result.authorization = authorization;
  return result;
}

function splitTarget(
  url: string,
  authority: Authority,
  profile: Profile,
  use: UseOption,
  diagnostics: SplitUrlDiagnostic[],
): SplitUrl {
  const authorityEnd = authority.end;
  const { origin, hostOk, authorization } = authority;
  const hostHeader = authority.host;
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

  // One native scan answers both questions for the usual target: every character is one a browser keeps,
  // and those are all printable ASCII, so none needs the per-character loop below.
  const browserKeeps = BROWSER_KEEPS.test(asWritten);
  let target = '';
  let from = 0;
  let reported = 0;
  let unsafeCount = 0;
  for (let i = browserKeeps ? asWritten.length : 0; i < asWritten.length; i++) {
    const c = asWritten.charCodeAt(i);
    if (isWireSafe(c)) continue;
    const pair = c >= 0xd800 && c <= 0xdbff && (asWritten.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const ch = asWritten.slice(i, pair ? i + 2 : i + 1);
    unsafeCount++;
    use('urlUnsafeCharacters');
    const encoded = percentEncodeUtf8(ch);
    if (reported < MAX_CHARACTER_DIAGNOSTICS) {
      reported++;
      const refuse = profile.urlUnsafeCharacters === 'refuse';
      diagnostics.push({
        diagnostic: {
          severity: refuse ? 'error' : 'warning',
          code: 'url-unsafe-character',
          message: refuse
            ? `${showChar(ch)} in the request target cannot go on the wire as written; the profile refuses it (write ${encoded} yourself)`
            : `${showChar(ch)} in the request target cannot go on the wire as written; it is sent percent-encoded as ${encoded}`,
          assumed: ['urlUnsafeCharacters'],
        },
        at: { offset: Math.max(restOffset + i, authorityEnd), length: ch.length },
      });
    }
    target += asWritten.slice(from, i) + encoded;
    from = i + ch.length;
    if (pair) i++;
  }
  if (unsafeCount > reported) {
    diagnostics.push({
      diagnostic: {
        severity: profile.urlUnsafeCharacters === 'refuse' ? 'error' : 'warning',
        code: 'url-unsafe-character',
        message: `${unsafeCount - reported} more characters in the request target cannot go on the wire as written`,
        assumed: ['urlUnsafeCharacters'],
      },
    });
  }
  target += asWritten.slice(from);
  // Refused characters are not rewritten: the request is not sent, and the target shows what was typed.
  if (profile.urlUnsafeCharacters === 'refuse') target = asWritten;

  let browserRequestTarget: string | undefined;
  if (authority.browserOk && target === asWritten && browserKeepsTarget(target, browserKeeps))
    browserRequestTarget = target;
  else if (WhatwgURL && hostOk) {
    try {
      const parsed = new WhatwgURL(url);
      browserRequestTarget = parsed.pathname + parsed.search;
    } catch {
      browserRequestTarget = undefined;
    }
  }
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
  if (origin !== undefined) result.origin = origin;
  if (hostHeader !== undefined) result.host = hostHeader;
  if (browserRequestTarget !== undefined) result.browserRequestTarget = browserRequestTarget;
  if (authorization !== undefined) result.authorization = authorization;
  return result;
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
