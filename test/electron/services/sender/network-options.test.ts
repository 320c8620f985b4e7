import { rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector, type NetSettings } from '@services/net/connector';
import { createSender, type SenderOptions } from '@services/sender/index';
import { bypassesProxy, chooseProxy, parseProxyUrl } from '@services/net/proxy';
import { tokenContextSchema, webhookSchema } from '@shared/model';
import { makeTestCerts, type TestCerts } from '../../../fixtures/tls/certs';
import { startConnectProxy, type ConnectProxy } from './connect-proxy';
import { startRawServer, startTlsServers, type RawServer } from './raw-server';

const context = tokenContextSchema.parse({ name: 'c', lead: { Email: 'a@example.com' } });
const hook = (url: string) =>
  webhookSchema.parse({ name: 'hook', url, template: 'email={{lead.Email}}', encoding: 'form-url' });

let certs: TestCerts;
let https: RawServer & { clientCertificates: string[] };
let mtls: RawServer & { clientCertificates: string[] };
let plain: RawServer;
let proxy: ConnectProxy;
let n = 0;

async function sendWith(options: SenderOptions, url: string) {
  const sender = createSender(options);
  try {
    return await sender.send({ sendId: `net-${++n}`, webhook: hook(url), context });
  } finally {
    await sender.close();
  }
}

const wireOf = (ex: { request: { head: string; body: string } }) =>
  Buffer.concat([Buffer.from(ex.request.head, 'utf8'), Buffer.from(ex.request.body, 'utf8')]);

beforeAll(async () => {
  certs = makeTestCerts();
  ({ https, mtls } = await startTlsServers(certs));
  plain = await startRawServer();
  proxy = await startConnectProxy();
});
afterAll(async () => {
  await Promise.all([https.close(), mtls.close(), plain.close(), proxy.close()]);
  rmSync(certs.dir, { recursive: true, force: true });
});

describe('TLS verification', () => {
  it('verification on: a self-signed certificate is rejected, naming subject and issuer', async () => {
    const ex = await sendWith({ proxy: 'none' }, `${https.url}/x`);
    expect(ex.outcome).toBe('network-error');
    expect(ex.error?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(ex.message).toContain('self-signed');
    expect(ex.message).toContain('Subject: CN=localhost, O=Webhook Studio Tests');
    expect(ex.message).toContain('issuer: CN=localhost, O=Webhook Studio Tests');
    expect(ex.message).toContain('extra CA');
  });

  it('the certificate as an extra CA makes it pass, and the bytes still match', async () => {
    const before = https.received.length;
    const ex = await sendWith({ proxy: 'none', extraCa: [certs.serverCert] }, `${https.url}/x`);
    expect(ex.outcome).toBe('updated');
    expect(wireOf(ex).equals(https.received[before] as Buffer)).toBe(true);
    expect(ex.timings.tlsMs).not.toBeNull();
    expect(ex.response?.head).toBe('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n');
  });

  it('a certificate for another host name is rejected, naming the names it holds', async () => {
    const other = await startRawServer(undefined, { cert: certs.serverCert, key: certs.serverKey }, '127.0.0.2');
    try {
      const ex = await sendWith({ proxy: 'none', extraCa: [certs.serverCert] }, `${other.url}/x`);
      expect(ex.outcome).toBe('network-error');
      expect(ex.error?.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(ex.message).toContain('not issued for this host name');
      expect(ex.message).toContain('DNS:localhost');
      expect(ex.message).toContain('Subject: CN=localhost');
    } finally {
      await other.close();
    }
  });

  it('verification off passes', async () => {
    const ex = await sendWith({ proxy: 'none', verifyTls: false }, `${https.url}/x`);
    expect(ex.outcome).toBe('updated');
  });

  it('a client certificate (PEM or PFX) is presented to a server that requires one', async () => {
    const without = await sendWith({ proxy: 'none', extraCa: [certs.serverCert] }, `${mtls.url}/x`);
    expect(without.outcome).toBe('network-error');
    const pem = await sendWith(
      {
        proxy: 'none',
        extraCa: [certs.serverCert],
        clientCert: { pem: { cert: certs.clientCert, key: certs.clientKey } },
      },
      `${mtls.url}/x`,
    );
    expect(pem.outcome).toBe('updated');
    const pfx = await sendWith(
      {
        proxy: 'none',
        extraCa: [certs.serverCert],
        clientCert: { pfx: { data: certs.clientPfx, passphrase: certs.pfxPassphrase } },
      },
      `${mtls.url}/x`,
    );
    expect(pfx.outcome).toBe('updated');
    expect(mtls.clientCertificates).toEqual(['Webhook Studio Test Client', 'Webhook Studio Test Client']);
  });

  it('a PFX with the wrong passphrase is a clear error, not a crash', async () => {
    const ex = await sendWith(
      {
        proxy: 'none',
        extraCa: [certs.serverCert],
        clientCert: { pfx: { data: certs.clientPfx, passphrase: 'wrong' } },
      },
      `${mtls.url}/x`,
    );
    expect(ex.outcome).toBe('network-error');
    expect(ex.message).toContain('TLS settings cannot be used');
  });
});

describe('one secure context for all the connections of a connector', () => {
  /** Opens a connection through the connector; answers the socket or the error. */
  const open = (connect: ReturnType<typeof createConnector>, port: number) =>
    new Promise<{ socket?: Socket; error?: Error }>((resolve) =>
      connect({ protocol: 'https:', hostname: '127.0.0.1', port: String(port) }, (error, socket) =>
        resolve(error ? { error } : { socket: socket }),
      ),
    );

  it('checks every connection against the extra CA, not only the first', async () => {
    // `https` serves a self-signed certificate, trusted here as an extra CA; `other` one the test CA signed.
    const other = await startRawServer(undefined, { cert: certs.proxyCert, key: certs.proxyKey });
    try {
      const connect = createConnector({ proxy: 'none', extraCa: [certs.serverCert] });
      for (let k = 0; k < 3; k++) {
        const good = await open(connect, https.port);
        expect(good.error).toBeUndefined();
        expect((good.socket as TLSSocket).authorized).toBe(true);
        good.socket?.destroy();
        const bad = await open(connect, other.port);
        expect(bad.error?.message).toContain('Subject: CN=Webhook Studio Test Proxy');
      }
    } finally {
      await other.close();
    }
  });

  it('reports key material it cannot use on every connection (a context that failed is not kept)', async () => {
    const connect = createConnector({
      proxy: 'none',
      extraCa: [certs.serverCert],
      clientCert: { pfx: { data: certs.clientPfx, passphrase: 'wrong' } },
    });
    for (let k = 0; k < 2; k++)
      expect((await open(connect, https.port)).error?.message).toContain('TLS settings cannot be used');
  });
});

describe('proxy', () => {
  it('an explicit proxy sees the tunnel, and the origin gets the very bytes recorded', async () => {
    const before = plain.received.length;
    const seen = proxy.connects.length;
    const ex = await sendWith({ proxy: proxy.url }, `${plain.url}/via-proxy?a=%26`);
    expect(ex.outcome).toBe('updated');
    expect(proxy.connects[seen]).toContain(`CONNECT 127.0.0.1:${plain.port} HTTP/1.1`);
    expect(wireOf(ex).equals(plain.received[before] as Buffer)).toBe(true);
  });

  it('HTTPS through the proxy honours the same TLS settings', async () => {
    const seen = proxy.connects.length;
    const rejected = await sendWith({ proxy: proxy.url }, `${https.url}/x`);
    expect(rejected.error?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    const passed = await sendWith({ proxy: proxy.url, extraCa: [certs.serverCert] }, `${https.url}/x`);
    expect(passed.outcome).toBe('updated');
    expect(proxy.connects.length).toBe(seen + 2);
  });

  it('HTTP_PROXY from the environment is used, and NO_PROXY bypasses it', async () => {
    const seen = proxy.connects.length;
    const viaEnv = await sendWith({ env: { HTTP_PROXY: proxy.url } }, `${plain.url}/env`);
    expect(viaEnv.outcome).toBe('updated');
    expect(proxy.connects.length).toBe(seen + 1);
    const bypass = await sendWith({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } }, `${plain.url}/env`);
    expect(bypass.outcome).toBe('updated');
    expect(proxy.connects.length).toBe(seen + 1);
  });

  it('a proxy that refuses the tunnel is a clear error', async () => {
    const strict = await startConnectProxy({ requireAuth: 'Basic dTpw' });
    try {
      const refused = await sendWith({ proxy: strict.url }, `${plain.url}/x`);
      expect(refused.outcome).toBe('network-error');
      expect(refused.message).toContain('407');
      expect(refused.message).toContain('credentials');
      expect(refused.message).toContain('it wants credentials');
      const withAuth = await sendWith({ proxy: `http://u:p@127.0.0.1:${strict.port}` }, `${plain.url}/x`);
      expect(withAuth.outcome).toBe('updated');
    } finally {
      await strict.close();
    }
  });

  it('a proxy that tunnels only to 443 gets a plain-http request in absolute form instead, and says so', async () => {
    const strict = await startConnectProxy({ tunnelPorts: [443] });
    const sender = createSender({ proxy: strict.url });
    try {
      const before = plain.received.length;
      const ex = await sender.send({ sendId: `net-${++n}`, webhook: hook(`${plain.url}/fwd?a=%26`), context });
      expect(ex.outcome).toBe('updated');
      expect(strict.connects).toHaveLength(1);
      expect(
        ex.request.head.startsWith(`POST ${plain.url}/fwd?a=%26 HTTP/1.1\r\nhost: 127.0.0.1:${plain.port}\r\n`),
      ).toBe(true);
      expect(ex.request.requestTarget).toBe('/fwd?a=%26');
      expect(wireOf(ex).equals(strict.forwards[0] as Buffer)).toBe(true);
      expect((plain.received[before] as Buffer).toString('latin1').startsWith('POST /fwd?a=%26 HTTP/1.1\r\n')).toBe(
        true,
      );
      expect(ex.diagnostics.some((d) => d.code === 'proxy-forwarded')).toBe(true);
      // The next send to that origin goes straight to forwarding.
      const again = await sender.send({ sendId: `net-${++n}`, webhook: hook(`${plain.url}/fwd2`), context });
      expect(again.outcome).toBe('updated');
      expect(strict.connects).toHaveLength(1);
      // Proxy credentials go with each forwarded request, and stay out of the record.
      const withAuth = createSender({ proxy: `http://user:pw@127.0.0.1:${strict.port}` });
      try {
        const ex2 = await withAuth.send({ sendId: `net-${++n}`, webhook: hook(`${plain.url}/auth`), context });
        expect(ex2.outcome).toBe('updated');
        expect((strict.forwards.at(-1) as Buffer).toString('latin1')).toContain(
          `proxy-authorization: Basic ${Buffer.from('user:pw').toString('base64')}\r\n`,
        );
        expect(ex2.request.head).toContain('proxy-authorization: ••••••\r\n');
      } finally {
        await withAuth.close();
      }
    } finally {
      await sender.close();
      await strict.close();
    }
  });

  it('chooses the proxy per scheme and NO_PROXY entry', () => {
    const env = {
      HTTPS_PROXY: 'http://p:3128',
      HTTP_PROXY: 'http://q:8080',
      NO_PROXY: '.internal.example, 10.0.0.1, svc:8443',
    };
    expect(chooseProxy('https:', 'api.example.com', 443, { env }).proxy?.port).toBe(3128);
    expect(chooseProxy('http:', 'api.example.com', 80, { env }).proxy?.host).toBe('q');
    expect(chooseProxy('https:', 'a.internal.example', 443, { env }).proxy).toBeUndefined();
    expect(chooseProxy('https:', 'internal.example', 443, { env }).proxy).toBeUndefined();
    expect(chooseProxy('https:', '10.0.0.1', 443, { env }).proxy).toBeUndefined();
    expect(chooseProxy('https:', 'svc', 8443, { env }).proxy).toBeUndefined();
    expect(chooseProxy('https:', 'svc', 443, { env }).proxy).toBeDefined();
    expect(chooseProxy('https:', 'api.example.com', 443, { env, proxy: 'none' }).proxy).toBeUndefined();
    expect(bypassesProxy('anything', 1, '*')).toBe(true);
    expect(() => chooseProxy('https:', 'x', 443, { proxy: 'socks5://p:1' })).toThrow(
      "proxy: only http:// and https:// proxies are supported (HTTPS targets are tunnelled through them with CONNECT), not 'socks5://'",
    );
    expect(chooseProxy('https:', 'x', 443, { proxy: 'https://p' }).proxy).toMatchObject({
      host: 'p',
      port: 443,
      tls: true,
      url: 'https://p',
    });
    expect(chooseProxy('http:', 'x', 80, { env: { HTTP_PROXY: 'https://p:8443' } }).proxy?.url).toBe('https://p:8443');
  });
});

describe('an https:// proxy (TLS to the proxy, its certificate signed by the test CA)', () => {
  let secure: ConnectProxy;
  beforeAll(async () => {
    secure = await startConnectProxy({ tls: { cert: certs.proxyCert, key: certs.proxyKey } });
  });
  afterAll(() => secure.close());
  // Both CAs: the test CA for the proxy, the self-signed service certificate for the https target.
  const trustBoth = () => [certs.caCert, certs.serverCert];

  it('an https and an http webhook both go through it, TLS in TLS for the https one', async () => {
    const seen = secure.connects.length;
    const before = https.received.length;
    const toHttps = await sendWith({ proxy: secure.url, extraCa: trustBoth() }, `${https.url}/in-tls`);
    expect(toHttps.outcome).toBe('updated');
    expect(wireOf(toHttps).equals(https.received[before] as Buffer)).toBe(true);
    // The proxy's handshake is in the connect phase; tls is the service's own handshake.
    expect(toHttps.timings.connectMs).not.toBeNull();
    expect(toHttps.timings.tlsMs).not.toBeNull();
    const plainBefore = plain.received.length;
    const toHttp = await sendWith({ proxy: secure.url, extraCa: trustBoth() }, `${plain.url}/plain?a=%26`);
    expect(toHttp.outcome).toBe('updated');
    expect(toHttp.timings.tlsMs).toBeNull();
    expect(wireOf(toHttp).equals(plain.received[plainBefore] as Buffer)).toBe(true);
    expect(secure.connects.slice(seen)).toEqual([
      expect.stringContaining(`CONNECT 127.0.0.1:${https.port} HTTP/1.1`),
      expect.stringContaining(`CONNECT 127.0.0.1:${plain.port} HTTP/1.1`),
    ]);
  });

  it('HTTPS_PROXY=https://... from the environment is used', async () => {
    const seen = secure.connects.length;
    const ex = await sendWith({ env: { HTTPS_PROXY: secure.url }, extraCa: trustBoth() }, `${https.url}/env`);
    expect(ex.outcome).toBe('updated');
    expect(secure.connects.length).toBe(seen + 1);
  });

  it("an untrusted proxy certificate is refused, naming it as the proxy's, its subject and issuer", async () => {
    const seen = secure.connects.length;
    // The service's certificate is trusted; only the proxy's is not.
    const ex = await sendWith({ proxy: secure.url, extraCa: [certs.serverCert] }, `${https.url}/x`);
    expect(ex.outcome).toBe('network-error');
    expect(ex.error?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(ex.message).toContain(`TLS certificate of the proxy ${secure.url} rejected`);
    expect(ex.message).toContain('its issuer is not a trusted certificate authority');
    expect(ex.message).toContain('Subject: CN=Webhook Studio Test Proxy; issuer: CN=Webhook Studio Test CA');
    expect(secure.connects.length).toBe(seen);
    // The same with only the system's CAs, and for a plain http target.
    const toHttp = await sendWith({ proxy: secure.url }, `${plain.url}/x`);
    expect(toHttp.message).toContain(`TLS certificate of the proxy ${secure.url} rejected`);
    expect(secure.connects.length).toBe(seen);
  });

  it('an https:// URL naming a plain HTTP proxy is a failure that says so', async () => {
    // A plain HTTP proxy answers a TLS hello with an HTTP error, in plain text.
    const plainProxy = createServer((s) => {
      s.on('error', () => undefined);
      s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
    });
    await new Promise<void>((resolve) => plainProxy.listen(0, '127.0.0.1', resolve));
    const port = (plainProxy.address() as AddressInfo).port;
    try {
      const ex = await sendWith({ proxy: `https://u:pw-secret@127.0.0.1:${port}` }, `${plain.url}/x`);
      expect(ex.outcome).toBe('network-error');
      expect(ex.message).toBe(
        `the proxy https://127.0.0.1:${port} answered the TLS handshake in plain text, not TLS: if it is a plain HTTP proxy, give its URL as http://127.0.0.1:${port}`,
      );
    } finally {
      await new Promise((resolve) => plainProxy.close(resolve));
    }
  });

  it('trusted through the extra CA, or with verification off, it works', async () => {
    const trusted = await sendWith({ proxy: secure.url, extraCa: [certs.caCert] }, `${plain.url}/ca`);
    expect(trusted.outcome).toBe('updated');
    const unchecked = await sendWith({ proxy: secure.url, verifyTls: false }, `${https.url}/off`);
    expect(unchecked.outcome).toBe('updated');
  });

  it('its credentials reach it as Proxy-Authorization, and the password is nowhere in the record or a message', async () => {
    const password = 'https-pr0xy-Pa55';
    const basic = `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`;
    const strict = await startConnectProxy({
      requireAuth: basic,
      tls: { cert: certs.proxyCert, key: certs.proxyKey },
    });
    const withCredentials = `https://alice:${password}@127.0.0.1:${strict.port}`;
    try {
      const ex = await sendWith({ proxy: withCredentials, extraCa: trustBoth() }, `${https.url}/auth`);
      expect(ex.outcome).toBe('updated');
      expect(strict.connects[0]?.split('\r\n')).toContain(`proxy-authorization: ${basic}`);
      expect(JSON.stringify(ex)).not.toContain(password);
      expect(JSON.stringify(ex)).not.toContain(basic);
      const refused = await sendWith({ proxy: withCredentials }, `${https.url}/auth`);
      expect(refused.message).toContain(`TLS certificate of the proxy ${strict.url} rejected`);
      expect(JSON.stringify(refused)).not.toContain(password);
      const wrong = await sendWith(
        { proxy: `https://alice:not-${password}@127.0.0.1:${strict.port}`, extraCa: trustBoth() },
        `${https.url}/auth`,
      );
      expect(wrong.message).toContain('407');
      expect(wrong.message).toContain('https://user:password@host:port');
      // Sent and refused: wrong, not missing.
      expect(wrong.message).toContain('it refused the user and password given');
      expect(JSON.stringify(wrong)).not.toContain(password);
    } finally {
      await strict.close();
    }
  });

  it('one that tunnels only to 443 is handed plain-http requests in absolute form over TLS, checked the same', async () => {
    const strict = await startConnectProxy({
      tunnelPorts: [443],
      tls: { cert: certs.proxyCert, key: certs.proxyKey },
    });
    const password = 'fwd-Pa55';
    const sender = createSender({ proxy: `https://bob:${password}@127.0.0.1:${strict.port}`, extraCa: [certs.caCert] });
    try {
      const before = plain.received.length;
      const ex = await sender.send({ sendId: `net-${++n}`, webhook: hook(`${plain.url}/fwd`), context });
      expect(ex.outcome).toBe('updated');
      expect(strict.connects).toHaveLength(1);
      expect(strict.forwards).toHaveLength(1);
      // The handshake with the proxy is part of connecting; a plain-http service has no TLS phase.
      expect(ex.timings.connectMs).not.toBeNull();
      expect(ex.timings.tlsMs).toBeNull();
      // The proxy got the recorded head (the body may come in a later TLS record), with the
      // credentials the record masks.
      const basic = `Basic ${Buffer.from(`bob:${password}`).toString('base64')}`;
      expect(ex.request.head).toContain('proxy-authorization: ••••••\r\n');
      const head = ex.request.head.replace('proxy-authorization: ••••••', `proxy-authorization: ${basic}`);
      expect((strict.forwards[0] as Buffer).toString('latin1').slice(0, head.length)).toBe(head);
      expect((plain.received[before] as Buffer).toString('latin1').startsWith('POST /fwd HTTP/1.1\r\n')).toBe(true);
      expect(ex.diagnostics).toContainEqual(
        expect.objectContaining({ code: 'proxy-forwarded', message: expect.stringContaining(strict.url) as unknown }),
      );
      expect(JSON.stringify(ex)).not.toContain(password);
    } finally {
      await sender.close();
      await strict.close();
    }
  });

  it("the connection of a forwarding pool checks the proxy's certificate too", async () => {
    // One sender trusts the proxy for its CONNECT and its forwarding alike, so the forwarding
    // connector is asked directly here: without the CA it is refused, with it it connects.
    const connectTo = (settings: NetSettings) =>
      new Promise<{ error: Error | null; socket: Socket | null }>((resolve) => {
        const connect = createConnector(settings, undefined, parseProxyUrl(secure.url, 'proxy'));
        connect(
          { hostname: '127.0.0.1', host: `127.0.0.1:${secure.port}`, protocol: 'https:', port: String(secure.port) },
          (error, socket) => resolve({ error, socket }),
        );
      });
    const refused = await connectTo({});
    expect(refused.error?.message).toContain(`TLS certificate of the proxy ${secure.url} rejected`);
    const trusted = await connectTo({ extraCa: [certs.caCert] });
    expect(trusted.error).toBeNull();
    expect(trusted.socket).toBeInstanceOf(TLSSocket);
    expect((trusted.socket as TLSSocket).authorized).toBe(true);
    trusted.socket?.destroy();
  });
});
