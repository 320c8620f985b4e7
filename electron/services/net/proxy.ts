/** Where a request goes first: straight to the origin, or through a proxy (tunnelled with CONNECT). */
export interface ProxyChoice {
  /** The proxy's host and port; undefined for a direct connection. */
  proxy?: {
    host: string;
    port: number;
    /** An https:// proxy: the connection to the proxy itself is TLS, before any CONNECT. */
    tls: boolean;
    authorization?: string;
    /** `http://host:port` or `https://host:port`, without credentials: what records and messages show. */
    url: string;
  };
}

export interface ProxySettings {
  /** An explicit proxy URL, `env` (HTTP_PROXY / HTTPS_PROXY / NO_PROXY, the default) or `none`. */
  proxy?: string;
  /** Hosts that bypass the proxy (NO_PROXY syntax); overrides NO_PROXY from the environment. */
  noProxy?: string;
  env?: NodeJS.ProcessEnv;
}

export class ProxySettingError extends Error {
  readonly code = 'PROXY_SETTING';
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name] ?? env[name.toLowerCase()];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** Parses a proxy URL (`http://user:pass@host:port` or `https://...`); a bare `host:port` is taken as http. */
export function parseProxyUrl(raw: string, where: string): NonNullable<ProxyChoice['proxy']> {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProxySettingError(
      `${where}: '${raw}' is not a proxy URL (expected http://host:port or https://host:port)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxySettingError(
      `${where}: only http:// and https:// proxies are supported (HTTPS targets are tunnelled through them with CONNECT), not '${url.protocol}//'`,
    );
  }
  const tls = url.protocol === 'https:';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port !== '' ? Number(url.port) : tls ? 443 : 80;
  const proxy: NonNullable<ProxyChoice['proxy']> = { host, port, tls, url: `${url.protocol}//${url.host}` };
  if (url.username !== '' || url.password !== '') {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    proxy.authorization = `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
  }
  return proxy;
}

/** NO_PROXY as curl reads it: `*`, host names (a leading dot or not, matching subdomains), IP literals, optional `:port`. */
export function bypassesProxy(hostname: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let entryPort: number | undefined;
    const m = /^(.*):(\d+)$/.exec(entry);
    if (m && !entry.endsWith(']') && (m[1] ?? '').split(':').length === 1) {
      entry = m[1] ?? '';
      entryPort = Number(m[2]);
    }
    entry = entry.replace(/^\[|\]$/g, '').replace(/^\*?\./, '.');
    if (entryPort !== undefined && entryPort !== port) continue;
    const bare = entry.startsWith('.') ? entry.slice(1) : entry;
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

/** Decides the proxy for one origin, the same way for the app and the CLI. */
export function chooseProxy(
  protocol: 'http:' | 'https:',
  hostname: string,
  port: number,
  settings: ProxySettings,
): ProxyChoice {
  const env = settings.env ?? {};
  const mode = settings.proxy ?? 'env';
  if (mode === 'none') return {};
  const noProxy = settings.noProxy ?? envValue(env, 'NO_PROXY');
  if (bypassesProxy(hostname, port, noProxy)) return {};
  if (mode !== 'env') return { proxy: parseProxyUrl(mode, 'proxy') };
  const name = protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const fromEnv = envValue(env, name);
  if (fromEnv === undefined) return {};
  return { proxy: parseProxyUrl(fromEnv, name) };
}
