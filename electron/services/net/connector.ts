import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { readFileSync } from 'node:fs';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  connect as tlsConnect,
  createSecureContext,
  rootCertificates,
  type ConnectionOptions,
  type TLSSocket,
} from 'node:tls';
import type buildConnector from 'undici/types/connector';
import { certificateFailure, ConnectFailure, socketFailure, type ConnectionPhase } from './connect-failure';
import { chooseProxy, type ProxyChoice, type ProxySettings } from './proxy';

/** TLS settings honoured the same on direct and proxied connections. */
export interface TlsSettings {
  /** Extra CA certificates (PEM text), trusted in addition to the system's. */
  extraCa?: string[];
  clientCert?: {
    pem?: { cert: string; key: string; passphrase?: string };
    pfx?: { data: Uint8Array; passphrase?: string };
  };
  /** Verify the server certificate and its name (default true). */
  verifyTls?: boolean;
}

export interface NetSettings extends TlsSettings, ProxySettings {
  /** Gives up on DNS + TCP + proxy + TLS after this long. */
  connectTimeoutMs?: number;
}

/** When each connection phase ended (performance.now() clock), kept per socket for the first request on it. */
export interface ConnectionMarks {
  start: number;
  /** Absent when no lookup happened (an IP address). */
  dnsEnd?: number;
  connectEnd?: number;
  tlsEnd?: number;
  /** Set once a request has claimed these marks; later requests on the socket reuse the connection. */
  claimed: boolean;
  /**
   * Hears every chunk undici reads from the socket while set (the sender takes the response head from
   * it). Speed: docs/performance.md#sender
   */
  tap?: SocketTap;
}

export interface SocketTap {
  onSocketRead(chunk: Buffer): void;
}

/** undici reads responses with socket.read(); wrapping it lets the exact bytes be seen without a second reader. */
function tapReads(socket: Socket, marks: ConnectionMarks): void {
  const read = socket.read.bind(socket);
  socket.read = (size?: number): Buffer | string | null => {
    const chunk: unknown = read(size);
    if (marks.tap !== undefined && Buffer.isBuffer(chunk)) {
      // This runs inside undici's socket handler, where a throw is nobody's to catch: the tap (only
      // an observer) is dropped instead, and the response goes on.
      try {
        marks.tap.onSocketRead(chunk);
      } catch {
        marks.tap = undefined;
      }
    }
    return chunk as Buffer | string | null;
  };
}

export const connectionMarks = new WeakMap<object, ConnectionMarks>();

function lookupOnce(hostname: string): Promise<LookupAddress> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: false }, (err, address, family) => {
      if (err) {
        const code = err.code ?? 'ENOTFOUND';
        const what =
          code === 'ENOTFOUND' || code === 'EAI_NONAME'
            ? `the host name '${hostname}' does not resolve (check the URL for a typo)`
            : `looking up '${hostname}' failed (${code}): ${err.message}`;
        reject(new ConnectFailure(code === 'EAI_NONAME' ? 'ENOTFOUND' : code, 'dns', what));
      } else resolve({ address, family });
    });
  });
}

/** Opens the HTTP CONNECT tunnel to `target` (host:port) over an open socket to the proxy. */
function tunnel(socket: Socket, target: string, authorization: string | undefined, proxyName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      seen = Buffer.concat([seen, chunk]);
      const end = seen.indexOf('\r\n\r\n');
      if (end < 0) {
        if (seen.length > 16 * 1024)
          finish(
            new ConnectFailure(
              'EPROXY',
              'proxy',
              `the proxy ${proxyName} answered CONNECT with an oversized or malformed head`,
            ),
          );
        return;
      }
      const statusLine = seen.subarray(0, seen.indexOf('\r\n')).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
      if (!m) {
        finish(
          new ConnectFailure(
            'EPROXY',
            'proxy',
            `the proxy ${proxyName} answered CONNECT with '${statusLine.slice(0, 80)}', not an HTTP status line`,
          ),
        );
        return;
      }
      const status = Number(m[1]);
      if (status !== 200) {
        const form = `${proxyName.startsWith('https:') ? 'https' : 'http'}://user:password@host:port`;
        // Credentials that were sent and refused are wrong, not missing: saying to add them would mislead.
        const hint =
          status !== 407
            ? ''
            : authorization === undefined
              ? ` (it wants credentials: put them in the proxy URL, ${form})`
              : ` (it refused the user and password given: check them in the proxy URL, ${form})`;
        // 407 needs credentials; any other refusal means this proxy does not tunnel there (many allow CONNECT to 443 only).
        const code = status === 407 ? 'EPROXY_AUTH' : 'EPROXY_NO_TUNNEL';
        finish(
          new ConnectFailure(
            code,
            'proxy',
            `the proxy ${proxyName} refused to tunnel to ${target}: ${status} ${m[2] ?? ''}${hint}`.trimEnd(),
          ),
        );
        return;
      }
      const rest = seen.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      finish();
    };
    const onError = (err: Error): void => finish(socketFailure(err, 'proxy', `the proxy ${proxyName}`));
    const onClose = (): void =>
      finish(new ConnectFailure('EPROXY', 'proxy', `the proxy ${proxyName} closed the connection during CONNECT`));
    function finish(err?: Error): void {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      // Back to paused mode, so no byte is emitted to nobody before the HTTP client starts reading.
      socket.pause();
      if (err) reject(err);
      else resolve();
    }
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.write(
      `CONNECT ${target} HTTP/1.1\r\nhost: ${target}\r\n${authorization ? `proxy-authorization: ${authorization}\r\n` : ''}\r\n`,
      'latin1',
    );
  });
}

function tcpConnect(address: string, family: number, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: address, port, family, noDelay: true, keepAlive: true });
    const onError = (err: Error): void => {
      socket.off('connect', onConnect);
      reject(err);
    };
    const onConnect = (): void => {
      socket.off('error', onError);
      resolve(socket);
    };
    socket.once('error', onError);
    socket.once('connect', onConnect);
  });
}

/** Certificates Node adds to its defaults from NODE_EXTRA_CA_CERTS; an explicit `ca` list would drop them. */
function nodeExtraCa(env: NodeJS.ProcessEnv | undefined): string[] {
  const file = env?.['NODE_EXTRA_CA_CERTS'];
  if (!file) return [];
  try {
    return [readFileSync(file, 'utf8')];
  } catch {
    return [];
  }
}

function buildTlsOptions(settings: TlsSettings & { env?: NodeJS.ProcessEnv }): ConnectionOptions {
  const options: ConnectionOptions = { ALPNProtocols: ['http/1.1'], rejectUnauthorized: false };
  if (settings.extraCa && settings.extraCa.length > 0)
    options.ca = [...rootCertificates, ...nodeExtraCa(settings.env), ...settings.extraCa];
  const client = settings.clientCert;
  if (client?.pem) {
    options.cert = client.pem.cert;
    options.key = client.pem.key;
    if (client.pem.passphrase !== undefined) options.passphrase = client.pem.passphrase;
  } else if (client?.pfx) {
    options.pfx = Buffer.from(client.pfx.data);
    if (client.pfx.passphrase !== undefined) options.passphrase = client.pfx.passphrase;
  }
  return options;
}

/** The TLS options of a handshake, worked out at its start (see sharedTlsOptions). */
type TlsOptionsOf = () => ConnectionOptions;

/**
 * The TLS options every handshake made with these settings uses. Given CA certificates or a client
 * certificate, Node builds a secure context for each connection, parsing the ~140 system roots and the
 * extras again: tens of ms a handshake on loopback instead of 2. The context is built once, at the first
 * handshake, so a bad certificate, key or passphrase is still that connection's failure (and every later
 * one's: a context that could not be built is not kept).
 */
function sharedTlsOptions(settings: TlsSettings & { env?: NodeJS.ProcessEnv }): TlsOptionsOf {
  const options = buildTlsOptions(settings);
  const { ALPNProtocols, rejectUnauthorized, ...material } = options;
  if (material.ca === undefined && material.cert === undefined && material.pfx === undefined) return () => options;
  let built: ConnectionOptions | undefined;
  return () => (built ??= { ALPNProtocols, rejectUnauthorized, secureContext: createSecureContext(material) });
}

/**
 * The TLS options of services and of proxies for one set of settings. A sender makes a connector per
 * origin, all from its one settings object: they share these, so a secure context is built once a
 * sender, not once an origin. The client certificate is for services that ask for one: a proxy is not
 * sent it (as curl keeps --cert and --proxy-cert apart); without one, both use the same options.
 */
const tlsBySettings = new WeakMap<NetSettings, { service: TlsOptionsOf; proxy: TlsOptionsOf }>();
function tlsOptionsFor(settings: NetSettings): { service: TlsOptionsOf; proxy: TlsOptionsOf } {
  let found = tlsBySettings.get(settings);
  if (found === undefined) {
    const service = sharedTlsOptions(settings);
    const proxy = settings.clientCert ? sharedTlsOptions({ ...settings, clientCert: undefined }) : service;
    found = { service, proxy };
    tlsBySettings.set(settings, found);
  }
  return found;
}

/** Who is at the other end of a handshake, for messages: a service (`host`) or a proxy (its URL). */
interface TlsPeer {
  name: string;
  phase: ConnectFailure['phase'];
}

function tlsHandshake(
  socket: Socket,
  servername: string | undefined,
  host: string,
  base: TlsOptionsOf,
  verify: boolean,
  peer: TlsPeer = { name: host, phase: 'tls' },
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    let tls: TLSSocket;
    try {
      // `host` is what the certificate is checked against when there is no SNI name (an IP address);
      // without it Node would check the name 'localhost'.
      tls = tlsConnect({ ...base(), socket, host, ...(servername ? { servername } : {}) });
    } catch (e) {
      // Bad client certificate or key material is found here, before any byte is sent.
      reject(new ConnectFailure('ETLSCONFIG', peer.phase, `the TLS settings cannot be used: ${(e as Error).message}`));
      return;
    }
    const onError = (err: NodeJS.ErrnoException): void => {
      tls.off('secureConnect', onSecure);
      const code = err.code ?? 'ETLS';
      reject(
        new ConnectFailure(code, peer.phase, `the TLS handshake with ${peer.name} failed (${code}): ${err.message}`),
      );
    };
    const onSecure = (): void => {
      tls.off('error', onError);
      // Verification is done here (rejectUnauthorized is off) so that the error can name the certificate.
      if (verify && !tls.authorized) {
        // Node sets the OpenSSL code here (a string, though typed Error), and nothing in a rare case.
        const why = tls.authorizationError as Error | string | null | undefined;
        const code = String(why ?? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
        const failure = certificateFailure(tls, peer.name, peer.phase, code);
        tls.destroy();
        reject(failure);
        return;
      }
      resolve(tls);
    };
    tls.once('error', onError);
    tls.once('secureConnect', onSecure);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error, cleanup: () => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(onTimeout());
    }, ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * On an open connection to a proxy: the TLS handshake with it when it is an https:// proxy (checked
 * like a service's certificate, and named as the proxy's when refused), then the CONNECT tunnel to
 * `target` (none when requests go to the proxy itself in absolute form). The socket to go on with.
 */
async function throughProxy(
  socket: Socket,
  proxy: NonNullable<ProxyChoice['proxy']>,
  target: string | undefined,
  tlsBase: TlsOptionsOf,
  verify: boolean,
): Promise<Socket> {
  let open = socket;
  if (proxy.tls) {
    const servername = isIP(proxy.host) === 0 ? proxy.host : undefined;
    try {
      open = await tlsHandshake(open, servername, proxy.host, tlsBase, verify, {
        name: `the proxy ${proxy.url}`,
        phase: 'proxy',
      });
    } catch (e) {
      // HTTPS_PROXY=https://... often names a plain HTTP proxy: it answers the TLS hello in plain text.
      if (!(e instanceof ConnectFailure) || e.code !== 'ERR_SSL_WRONG_VERSION_NUMBER') throw e;
      throw new ConnectFailure(
        e.code,
        'proxy',
        `the proxy ${proxy.url} answered the TLS handshake in plain text, not TLS: if it is a plain HTTP proxy, give its URL as ${proxy.url.replace(/^https:/, 'http:')}`,
      );
    }
  }
  if (target !== undefined) await tunnel(open, target, proxy.authorization, proxy.url);
  return open;
}

/**
 * An undici connector that times DNS, TCP and TLS separately (undici has no channel for them), tunnels
 * through a proxy with CONNECT when one applies, and verifies certificates itself so that a failure
 * names the certificate's subject and issuer. `onPhase` hears each phase as it ends.
 *
 * An https:// proxy is reached over TLS first, checked against the same trust as services (system CAs,
 * the extra CAs, the verification toggle); that handshake is part of the `connect` phase, which ends
 * when the tunnel is open, so `tls` stays the service's own handshake (inside the tunnel, TLS in TLS).
 * `forwardTo` makes a connector for a pool that hands requests to that proxy in absolute form: it
 * connects to the proxy (over TLS for an https:// one) and opens no tunnel.
 */
export function createConnector(
  settings: NetSettings,
  onPhase?: (phase: ConnectionPhase, at: number) => void,
  forwardTo?: NonNullable<ProxyChoice['proxy']>,
): buildConnector.connector {
  const { service: tlsBase, proxy: proxyTlsBase } = tlsOptionsFor(settings);
  const verify = settings.verifyTls !== false;
  const timeoutMs = settings.connectTimeoutMs ?? 30_000;
  return (opts, callback) => {
    const protocol = opts.protocol === 'https:' ? 'https:' : 'http:';
    const hostname = opts.hostname.startsWith('[') ? opts.hostname.slice(1, -1) : opts.hostname;
    const port = opts.port !== '' ? Number(opts.port) : protocol === 'https:' ? 443 : 80;
    const marks: ConnectionMarks = { start: performance.now(), claimed: false };
    let open: Socket | undefined;
    const run = async (): Promise<Socket> => {
      const choice: ProxyChoice = forwardTo ? { proxy: forwardTo } : chooseProxy(protocol, hostname, port, settings);
      const dialHost = choice.proxy ? choice.proxy.host : hostname;
      const dialPort = choice.proxy ? choice.proxy.port : port;
      let address = dialHost;
      let family = isIP(dialHost);
      if (family === 0) {
        const found = await lookupOnce(dialHost);
        address = found.address;
        family = found.family;
        marks.dnsEnd = performance.now();
        onPhase?.('dns', marks.dnsEnd);
      }
      const where = choice.proxy ? `the proxy ${choice.proxy.url}` : `${hostname}:${port}`;
      try {
        open = await tcpConnect(address, family, dialPort);
      } catch (e) {
        throw socketFailure(e as NodeJS.ErrnoException, 'connect', where);
      }
      if (choice.proxy) {
        const target = forwardTo ? undefined : `${isIP(hostname) === 6 ? `[${hostname}]` : hostname}:${port}`;
        open = await throughProxy(open, choice.proxy, target, proxyTlsBase, verify);
      }
      marks.connectEnd = performance.now();
      onPhase?.('connect', marks.connectEnd);
      // Requests handed to a proxy in absolute form are plain http: the proxy is the peer, not the service.
      if (protocol !== 'https:' || forwardTo) return open;
      const servername = opts.servername || (isIP(hostname) === 0 ? hostname : undefined);
      const secure = await tlsHandshake(open, servername, hostname, tlsBase, verify);
      open = secure;
      marks.tlsEnd = performance.now();
      onPhase?.('tls', marks.tlsEnd);
      return secure;
    };
    withTimeout(
      run(),
      timeoutMs,
      () =>
        new ConnectFailure(
          'UND_ERR_CONNECT_TIMEOUT',
          'connect',
          `connecting to ${hostname}:${port} took longer than ${timeoutMs} ms`,
        ),
      () => open?.destroy(),
    ).then(
      (socket) => {
        connectionMarks.set(socket, marks);
        tapReads(socket, marks);
        callback(null, socket);
      },
      (err: unknown) => {
        open?.destroy();
        callback(err instanceof Error ? err : new Error(String(err)), null);
      },
    );
  };
}
