import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStudio, type Studio } from '@services/studio/index';
import type { Exchange, TokenContext } from '@shared/model';
import { everyFileText } from '../../fixtures/files-text';
import { makeTestCerts, type TestCerts } from '../../fixtures/tls/certs';
import { startConnectProxy, type ConnectProxy } from '../services/sender/connect-proxy';
import { startRawServer, startTlsServers, type RawServer } from '../services/sender/raw-server';
import { studioErrorOf } from '../studio-error';

const proxyPassword = 'pr0xy-Pa55word-never-on-disk';
const basic = `Basic ${Buffer.from(`alice:${proxyPassword}`).toString('base64')}`;

let tmp: string;
let dir: string;
let studio: Studio;
let certs: TestCerts;
let https: RawServer;
let mtls: RawServer & { clientCertificates: string[] };
let plain: RawServer;
let proxy: ConnectProxy;
let context: TokenContext;
let n = 0;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-network-'));
  dir = path.join(tmp, 'collection');
  studio = createStudio({ shell: 'browser', userDataDir: path.join(tmp, 'user'), env: {} });
  await studio.handle('collection:init', { dir });
  context = (await studio.handle('collection:open', { dir })).contexts[0]!.context;
  certs = makeTestCerts();
  // The collection keeps its certificates beside it, named by relative paths.
  mkdirSync(path.join(dir, 'certs'));
  copyFileSync(certs.files.serverCert, path.join(dir, 'certs', 'server.pem'));
  ({ https, mtls } = await startTlsServers(certs));
  plain = await startRawServer();
  proxy = await startConnectProxy({ requireAuth: basic });
});
afterAll(async () => {
  await studio.close();
  await Promise.all([https.close(), mtls.close(), plain.close(), proxy.close()]);
  await rm(tmp, { recursive: true, force: true });
  await rm(certs.dir, { recursive: true, force: true });
});

async function sendTo(url: string): Promise<Exchange> {
  const webhook = { name: 'Net', url, method: 'POST' as const, template: 'email={{lead.Email Address}}' };
  const saved = await studio.handle('collection:saveWebhook', { dir, webhook, path: 'webhooks/net.webhook.yaml' });
  return studio.handle('webhook:send', { dir, webhookPath: saved.path, webhook, context, sendId: `net-${++n}` });
}

const saveNetwork = (network: Record<string, unknown>) => studio.handle('network:save', { dir, network });

describe('collection network settings: proxy', () => {
  it('a studio send goes through the collection proxy, with the password from the secret store', async () => {
    await studio.handle('secrets:set', { dir, name: 'proxy-password', value: proxyPassword });
    await saveNetwork({ proxy: proxy.url, proxyUser: 'alice', proxyPasswordSecret: 'proxy-password' });
    const yaml = readFileSync(path.join(dir, 'collection.yaml'), 'utf8');
    expect(yaml).toContain(`proxy: ${proxy.url}`);
    expect(yaml).toContain('proxyPasswordSecret: proxy-password');

    const before = proxy.connects.length;
    const exchange = await sendTo(`${plain.url}/through`);
    expect(exchange.outcome).not.toBe('network-error');
    expect(exchange.response?.status).toBe(200);
    expect(proxy.connects.slice(before).some((c) => c.startsWith(`CONNECT 127.0.0.1:${plain.port} `))).toBe(true);
    expect(plain.received.at(-1)?.toString('latin1')).toContain('POST /through ');
    expect(exchange.diagnostics).toContainEqual(expect.objectContaining({ code: 'via-proxy' }));
    expect(JSON.stringify(exchange)).not.toContain(proxyPassword);
  });

  it('the runner started from the studio goes through the proxy too', async () => {
    // The earlier send's tunnel may be kept alive and carry this run: count what went through tunnels.
    const before = proxy.tunnelled.length;
    const states: string[] = [];
    const off = studio.on('runner:progress', (p) => states.push(p.state));
    try {
      const { runId } = await studio.handle('runner:start', {
        dir,
        webhookPath: 'webhooks/net.webhook.yaml',
        leads: { fileName: 'leads.csv', content: 'Email Address\na@example.com\nb@example.com\n' },
        record: 'all',
      });
      await vi.waitFor(() => expect(states).toContain('done'), { timeout: 15_000 });
      const rows = await studio.handle('runner:rows', { runId, offset: 0, limit: 10 });
      expect(rows.rows.map((r) => r.status)).toEqual([200, 200]);
      const through = Buffer.concat(proxy.tunnelled.slice(before)).toString('latin1');
      expect(through.match(/POST \/\S* HTTP\/1\.1\r\n/g)).toHaveLength(2);
      const first = await studio.handle('runner:exchange', { runId, line: rows.rows[0]!.line });
      expect(first.diagnostics).toContainEqual(expect.objectContaining({ code: 'via-proxy' }));
    } finally {
      off();
    }
  });

  it('a studio run resumed after a cancel goes through the proxy too', async () => {
    const progress: Array<{ runId: string; state: string; done: number }> = [];
    // The first run is cancelled from its first progress with a lead done, in the same turn: the
    // resume then has most of the leads to send, however fast this machine is.
    let cancelOn: string | undefined;
    const off = studio.on('runner:progress', (p) => {
      progress.push({ runId: p.runId, state: p.state, done: p.counts.done });
      if (p.runId === cancelOn && p.counts.done > 0) {
        cancelOn = undefined;
        void studio.handle('runner:control', { runId: p.runId, action: 'cancel' });
      }
    });
    const requestsThrough = (from: number) =>
      Buffer.concat(proxy.tunnelled.slice(from))
        .toString('latin1')
        .match(/POST \/\S* HTTP\/1\.1\r\n/g)?.length ?? 0;
    try {
      const leads = 2_000;
      const content = `Email Address\n${Array.from({ length: leads }, (_, i) => `r${i}@example.com`).join('\n')}\n`;
      const atStart = proxy.tunnelled.length;
      const { runId } = await studio.handle('runner:start', {
        dir,
        webhookPath: 'webhooks/net.webhook.yaml',
        leads: { fileName: 'leads.csv', content },
        concurrency: 1,
      });
      cancelOn = runId;
      await vi.waitFor(() => expect(progress.some((p) => p.runId === runId && p.state === 'cancelled')).toBe(true), {
        timeout: 15_000,
      });
      const firstSent = requestsThrough(atStart);
      const before = proxy.tunnelled.length;
      progress.length = 0;
      await studio.handle('runner:resume', { dir, runId, resendUnanswered: false });
      await vi.waitFor(() => expect(progress.some((p) => p.runId === runId && p.state === 'done')).toBe(true), {
        timeout: 30_000,
      });
      // Every lead the resumed run sent went through the proxy's tunnels: all but those sent before the
      // cancel (and the one in flight then, sent without an answer, which a resume does not send again).
      expect(firstSent).toBeLessThan(leads - 100);
      expect(requestsThrough(before)).toBeGreaterThanOrEqual(leads - firstSent - 1);
    } finally {
      off();
    }
  });

  it('the proxy password is never written: not in the collection, its history, its runs or an error', async () => {
    expect(everyFileText(dir)).not.toContain(proxyPassword);
    expect(everyFileText(dir)).not.toContain(Buffer.from(`alice:${proxyPassword}`).toString('base64'));
    // A refused tunnel names the proxy, never its credentials.
    await studio.handle('secrets:set', { dir, name: 'proxy-password', value: `${proxyPassword}-wrong` });
    const refused = await sendTo(`${plain.url}/refused`);
    expect(refused.outcome).toBe('network-error');
    expect(refused.message).toContain(proxy.url);
    expect(JSON.stringify(refused)).not.toContain(proxyPassword);
    expect(everyFileText(dir)).not.toContain(proxyPassword);
    // Outside the collection, only the per-user secret store holds it (no log, no other file).
    const userFiles = readdirSync(path.join(tmp, 'user'), { recursive: true, withFileTypes: true }).filter((e) =>
      e.isFile(),
    );
    const holding = userFiles
      .map((e) => path.join(e.parentPath, e.name))
      .filter((f) => readFileSync(f, 'latin1').includes(proxyPassword));
    expect(holding).toEqual([path.join(tmp, 'user', 'secrets.json')]);
    await studio.handle('secrets:set', { dir, name: 'proxy-password', value: proxyPassword });
  });

  it('a proxy password secret with no value refuses the send, naming the key', async () => {
    await saveNetwork({ proxy: proxy.url, proxyUser: 'alice', proxyPasswordSecret: 'no-such-secret' });
    const err = await studioErrorOf(sendTo(`${plain.url}/x`));
    expect(err.message).toContain('network.proxyPasswordSecret');
    expect(err.message).toContain("secret 'no-such-secret' has no value");
  });
});

describe('collection network settings: TLS', () => {
  it('a self-signed service fails without the CA, passes with the collection ca, and with verification off', async () => {
    await saveNetwork({});
    const without = await sendTo(`${https.url}/tls`);
    expect(without.outcome).toBe('network-error');
    expect(without.error?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');

    await saveNetwork({ ca: 'certs/server.pem' });
    expect(readFileSync(path.join(dir, 'collection.yaml'), 'utf8')).toContain('ca: certs/server.pem');
    const withCa = await sendTo(`${https.url}/tls`);
    expect(withCa.response?.status).toBe(200);
    expect(withCa.diagnostics.map((d) => d.code)).not.toContain('tls-verification-off');

    await saveNetwork({ verifyTls: false });
    const unverified = await sendTo(`${https.url}/tls`);
    expect(unverified.response?.status).toBe(200);
    expect(unverified.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'tls-verification-off', severity: 'warning' }),
    );
  });

  it('a service that asks for a client certificate gets the configured cert and key (and PFX)', async () => {
    await saveNetwork({ ca: 'certs/server.pem' });
    const refused = await sendTo(`${mtls.url}/mtls`);
    expect(refused.response?.status).not.toBe(200);

    await saveNetwork({ ca: 'certs/server.pem', clientCert: certs.files.clientCert, clientKey: certs.files.clientKey });
    const pem = await sendTo(`${mtls.url}/mtls`);
    expect(pem.response?.status).toBe(200);

    await studio.handle('secrets:set', { dir, name: 'client-pfx', value: certs.pfxPassphrase });
    await saveNetwork({ ca: 'certs/server.pem', pfx: certs.files.clientPfx, passphraseSecret: 'client-pfx' });
    const pfx = await sendTo(`${mtls.url}/mtls`);
    expect(pfx.response?.status).toBe(200);
    expect(readFileSync(path.join(dir, 'collection.yaml'), 'utf8')).not.toContain(certs.pfxPassphrase);
  });
});

describe('collection network settings: an https:// proxy', () => {
  const password = 'https-pr0xy-Pa55word-never-on-disk';
  let secure: ConnectProxy;
  beforeAll(async () => {
    secure = await startConnectProxy({
      requireAuth: `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`,
      tls: { cert: certs.proxyCert, key: certs.proxyKey },
    });
    // One PEM file may hold several CAs: the test CA (for the proxy) and the service's own certificate.
    writeFileSync(path.join(dir, 'certs', 'both.pem'), `${certs.caCert}${certs.serverCert}`);
    await studio.handle('secrets:set', { dir, name: 'https-proxy-password', value: password });
  });
  afterAll(() => secure.close());
  const through = (ca: string, extra: Record<string, unknown> = {}) =>
    saveNetwork({ proxy: secure.url, proxyUser: 'alice', proxyPasswordSecret: 'https-proxy-password', ca, ...extra });

  it('https and http webhooks go through it with the collection CA; the exchange names the proxy, never the password', async () => {
    await through('certs/both.pem');
    expect(readFileSync(path.join(dir, 'collection.yaml'), 'utf8')).toContain(`proxy: ${secure.url}`);
    const seen = secure.connects.length;
    for (const url of [`${https.url}/via-tls-proxy`, `${plain.url}/via-tls-proxy`]) {
      const exchange = await sendTo(url);
      expect(exchange.response?.status).toBe(200);
      expect(exchange.diagnostics).toContainEqual(
        expect.objectContaining({ code: 'via-proxy', message: `sent via the proxy ${secure.url}` }),
      );
      expect(JSON.stringify(exchange)).not.toContain(password);
    }
    expect(secure.connects.slice(seen).map((c) => c.split('\r\n')[0])).toEqual([
      `CONNECT 127.0.0.1:${https.port} HTTP/1.1`,
      `CONNECT 127.0.0.1:${plain.port} HTTP/1.1`,
    ]);
  });

  it("without the CA the proxy's certificate is refused, naming it; with verification off it passes", async () => {
    await through('certs/server.pem');
    const refused = await sendTo(`${https.url}/untrusted-proxy`);
    expect(refused.outcome).toBe('network-error');
    expect(refused.message).toContain(`TLS certificate of the proxy ${secure.url} rejected`);
    expect(refused.message).toContain('Subject: CN=Webhook Studio Test Proxy; issuer: CN=Webhook Studio Test CA');
    expect(JSON.stringify(refused)).not.toContain(password);

    await through('certs/server.pem', { verifyTls: false });
    const unverified = await sendTo(`${https.url}/unverified-proxy`);
    expect(unverified.response?.status).toBe(200);
    expect(unverified.diagnostics).toContainEqual(expect.objectContaining({ code: 'tls-verification-off' }));
    expect(everyFileText(dir)).not.toContain(password);
  });
});

describe('collection network settings: validation', () => {
  it('a bad proxy URL is refused, naming the key and the URL', async () => {
    const err = await studioErrorOf(saveNetwork({ proxy: 'socks5://proxy.example:1080' }));
    expect(err.issues?.[0]?.path).toBe('network.proxy');
    expect(err.message).toContain(
      "only http:// and https:// proxies are supported (HTTPS webhooks are tunnelled through them with CONNECT), not 'socks5://'",
    );
    const junk = await studioErrorOf(saveNetwork({ proxy: 'not a url' }));
    expect(junk.message).toContain("'not a url' is not a proxy URL");
  });

  it('a password in the proxy URL is refused', async () => {
    const err = await studioErrorOf(saveNetwork({ proxy: 'http://bob:secret@proxy.example:3128' }));
    expect(err.message).toContain('proxyPasswordSecret');
    expect(readFileSync(path.join(dir, 'collection.yaml'), 'utf8')).not.toContain('bob:secret');
  });

  it('an unreadable file is refused on save, naming the key and the path; the check says found or not', async () => {
    const err = await studioErrorOf(saveNetwork({ ca: 'certs/missing.pem' }));
    expect(err.message).toContain('network.ca');
    expect(err.message).toContain(path.join(dir, 'certs', 'missing.pem'));
    const check = await studio.handle('network:check', { dir, files: { ca: 'certs/server.pem', pfx: 'nope.pfx' } });
    expect(check.files).toEqual([
      expect.objectContaining({ key: 'ca', readable: true }),
      expect.objectContaining({ key: 'pfx', readable: false }),
    ]);
  });

  it('a FIFO named as a certificate is refused at once, not read', async () => {
    execFileSync('mkfifo', [path.join(dir, 'certs', 'pipe.pem')]);
    const check = await studio.handle('network:check', { dir, files: { ca: 'certs/pipe.pem' } });
    expect(check.files[0]).toMatchObject({ key: 'ca', readable: false });
    expect(check.files[0]?.message).toContain('is not a file');
  });

  it('an unknown key is refused, in the channel and in collection.yaml', async () => {
    const err = await studioErrorOf(saveNetwork({ proxyPassword: 'x' }));
    expect(err.code).toBe('bad-input');
    const yaml = path.join(dir, 'collection.yaml');
    const kept = readFileSync(yaml, 'utf8');
    writeFileSync(yaml, 'name: Net\nnetwork:\n  proxxy: http://p:1\n');
    const snapshot = await studio.handle('collection:open', { dir });
    expect(snapshot.problems.map((p) => p.message).join()).toMatch(/network/);
    const send = await studioErrorOf(sendTo(`${plain.url}/x`));
    expect(send.message).toContain('collection.yaml');
    writeFileSync(yaml, kept);
  });

  it('network:get reads the section back with its file checks', async () => {
    await saveNetwork({ ca: 'certs/server.pem', noProxy: ['localhost', '.internal.example'] });
    const got = await studio.handle('network:get', { dir });
    expect(got.network).toMatchObject({ ca: 'certs/server.pem', noProxy: ['localhost', '.internal.example'] });
    expect(got.files).toEqual([expect.objectContaining({ key: 'ca', readable: true })]);
  });
});
