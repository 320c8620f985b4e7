import type { Diagnostic } from '../model';
import { base64, percentDecode, utf8Bytes } from './text';

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
export const WhatwgURL = (globalThis as unknown as { URL?: WhatwgUrlConstructor }).URL;

const defaultPorts: Record<string, string> = { http: '80', https: '443' };

/** What the scheme and authority of a URL give, the same for every URL that starts with them. */
export interface Authority {
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

/** The host and port of an authority (userinfo already cut off), and whether they can be sent. */
interface HostPort {
  hostname: string;
  port: string;
  /** Where the host starts in the URL. */
  offset: number;
  ok: boolean;
}

/** Any C0 control character or DEL: none can be in a host name. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

const NON_ASCII = /[\u0080-\uffff]/;

export function analyseAuthority(url: string, scheme: RegExpExecArray): Authority {
  const diagnostics: SplitUrlDiagnostic[] = [];
  const written = scheme[1] ?? '';
  const protocol = written.toLowerCase();
  if (protocol !== 'http' && protocol !== 'https') {
    diagnostics.push({
      diagnostic: {
        severity: 'error',
        code: 'unsupported-scheme',
        message: `the URL scheme '${written}' is not http or https; Marketo only calls HTTP(S) web services`,
      },
      at: { offset: 0, length: written.length },
    });
  }
  const authorityStart = scheme[0].length;
  const authority = url.slice(authorityStart);
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined;
  const hp = hostPortOf(
    at >= 0 ? authority.slice(at + 1) : authority,
    authorityStart + (at >= 0 ? at + 1 : 0),
    diagnostics,
  );
  const host = hp.ok ? asciiHost(hp, protocol, diagnostics) : hp.hostname.toLowerCase();
  const { port } = hp;
  const portPart = port !== '' && String(Number(port)) !== defaultPorts[protocol] ? `:${Number(port)}` : '';
  const result: Authority = {
    end: url.length,
    hostOk: hp.ok,
    browserOk: browserAccepts(url, protocol, hp.ok),
    diagnostics,
  };
  if (hp.ok) {
    result.origin = `${protocol}://${host}${portPart}`;
    result.host = `${host}${portPart}`;
  }
  if (userinfo !== undefined && userinfo !== '') {
    result.authorization = basicAuthorization(userinfo);
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
  return result;
}

/** Splits `host[:port]` and checks both; what is wrong is reported at its place in the URL. */
function hostPortOf(hostPort: string, offset: number, diagnostics: SplitUrlDiagnostic[]): HostPort {
  let hostname = hostPort;
  let port = '';
  const portMatch = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort);
  if (portMatch) {
    hostname = portMatch[1] ?? '';
    port = portMatch[2] ?? '';
  }
  let ok = true;
  if (hostname === '') {
    ok = false;
    diagnostics.push({
      diagnostic: { severity: 'error', code: 'url-invalid', message: 'the URL has no host' },
      at: { offset, length: 0 },
    });
  } else if (/[\s<>\\^`{|}"]/.test(hostname) || hasControlCharacter(hostname)) {
    ok = false;
    diagnostics.push({
      diagnostic: {
        severity: 'error',
        code: 'url-invalid-host',
        message: `the host '${hostname}' holds characters a host name cannot have`,
      },
      at: { offset, length: hostname.length },
    });
  }
  if (port !== '' && (!/^\d{1,5}$/.test(port) || Number(port) > 65535)) {
    ok = false;
    diagnostics.push({
      diagnostic: {
        severity: 'error',
        code: 'url-invalid-port',
        message: `the port '${port}' is not a number from 0 to 65535`,
      },
      at: { offset: offset + hostname.length + 1, length: port.length },
    });
  }
  return { hostname, port, offset, ok };
}

/** The host as sent: lower case, and an international name in its ASCII (punycode) form. */
function asciiHost(hp: HostPort, protocol: string, diagnostics: SplitUrlDiagnostic[]): string {
  const { hostname } = hp;
  if (!NON_ASCII.test(hostname) || !WhatwgURL) return hostname.toLowerCase();
  const at = { offset: hp.offset, length: hostname.length };
  try {
    const host = new WhatwgURL(`${protocol}://${hostname}/`).hostname;
    diagnostics.push({
      diagnostic: {
        severity: 'info',
        code: 'url-idn-host',
        message: `the host '${hostname}' is sent in its ASCII (punycode) form '${host}'`,
      },
      at,
    });
    return host;
  } catch {
    hp.ok = false;
    diagnostics.push({
      diagnostic: {
        severity: 'error',
        code: 'url-invalid-host',
        message: `the host '${hostname}' is not a valid host name`,
      },
      at,
    });
    return hostname.toLowerCase();
  }
}

/** `user:password` (percent-decoded) as an Authorization: Basic value. */
function basicAuthorization(userinfo: string): string {
  const colon = userinfo.indexOf(':');
  const user = percentDecode(colon >= 0 ? userinfo.slice(0, colon) : userinfo);
  const password = percentDecode(colon >= 0 ? userinfo.slice(colon + 1) : '');
  return `Basic ${base64(utf8Bytes(`${user}:${password}`))}`;
}

/** Whether a browser's URL parser accepts this scheme and authority (it ends an http(s) authority at a backslash too, and drops tabs and line breaks first). */
function browserAccepts(url: string, protocol: string, hostOk: boolean): boolean {
  if (!WhatwgURL || !hostOk || (protocol !== 'http' && protocol !== 'https') || /[\\\t\n\r]/.test(url)) return false;
  try {
    new WhatwgURL(`${url}/`);
    return true;
  } catch {
    return false;
  }
}
