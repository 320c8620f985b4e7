import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender, type SenderOptions } from '@services/sender/index';
import { bypassesProxy, chooseProxy } from '@services/net/proxy';
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
    expect(() => chooseProxy('https:', 'x', 443, { proxy: 'socks5://p:1' })).toThrow(/only http:\/\/ proxies/);
  });
});
