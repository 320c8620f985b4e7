import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyFileText } from '../fixtures/files-text';
import { makeTestCerts, type TestCerts } from '../fixtures/tls/certs';
import { startConnectProxy, type ConnectProxy } from '../electron/services/sender/connect-proxy';
import { startRawServer, type RawServer } from '../electron/services/sender/raw-server';

const cli = path.resolve(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js');
const password = 'cli-proxy-Pa55-never-written';

/** A clean environment: no proxy settings or secrets leak in from the machine; HOME is the temp folder. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: tmp, XDG_DATA_HOME: path.join(tmp, 'data') };
  for (const k of Object.keys(env))
    if (/^(https?|no|all)_proxy$/i.test(k) || k.startsWith('WEBHOOK_STUDIO_')) delete env[k];
  return env;
}

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: tmp,
      env: { ...baseEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

let tmp: string;
let dir: string;
let https: RawServer;
let proxy: ConnectProxy;
let certs: TestCerts;
const secretEnv = { WEBHOOK_STUDIO_SECRET_PROXY_PASSWORD: password };

async function writeCollection(network: string): Promise<void> {
  await writeFile(path.join(dir, 'collection.yaml'), `name: Net\nnetwork:\n${network}`);
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'network-cli-'));
  dir = path.join(tmp, 'collection');
  certs = makeTestCerts();
  https = await startRawServer(undefined, { cert: certs.serverCert, key: certs.serverKey });
  proxy = await startConnectProxy({
    requireAuth: `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`,
  });
  await mkdir(path.join(dir, 'webhooks'), { recursive: true });
  await mkdir(path.join(dir, 'contexts'));
  await mkdir(path.join(dir, 'certs'));
  copyFileSync(certs.files.serverCert, path.join(dir, 'certs', 'server.pem'));
  await writeFile(
    path.join(dir, 'webhooks', 'secure.webhook.yaml'),
    `name: Secure\nurl: ${https.url}/s\nmethod: POST\ntemplate: 'email={{lead.Email Address}}'\n`,
  );
  await writeFile(path.join(dir, 'contexts', 'lead.context.yaml'), 'name: Lead\nlead:\n  Email Address: a@b.c\n');
});
afterAll(async () => {
  await Promise.all([https.close(), proxy.close()]);
  await rm(tmp, { recursive: true, force: true });
  await rm(certs.dir, { recursive: true, force: true });
});

describe('CLI: the collection network settings', () => {
  it('send --collection goes through its proxy with its CA; the password comes from the secret', async () => {
    await writeCollection(
      `  proxy: ${proxy.url}\n  proxyUser: alice\n  proxyPasswordSecret: proxy password\n  ca: certs/server.pem\n`,
    );
    const seen = proxy.connects.length;
    const r = await runCli(['send', 'secure', '--collection', dir, '--json'], secretEnv);
    expect(r.out).not.toContain(password);
    expect(r.code).toBe(0);
    expect(proxy.connects.length).toBe(seen + 1);
  });

  it('send --collection through an https:// proxy: its certificate checked with the collection CA', async () => {
    const secure = await startConnectProxy({
      requireAuth: `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`,
      tls: { cert: certs.proxyCert, key: certs.proxyKey },
    });
    try {
      await writeFile(path.join(dir, 'certs', 'both.pem'), `${certs.caCert}${certs.serverCert}`);
      const network = (ca: string) =>
        writeCollection(
          `  proxy: ${secure.url}\n  proxyUser: alice\n  proxyPasswordSecret: proxy password\n  ca: ${ca}\n`,
        );
      await network('certs/server.pem');
      const untrusted = await runCli(['send', 'secure', '--collection', dir], secretEnv);
      expect(untrusted.code).toBe(3);
      expect(untrusted.out).toContain(`TLS certificate of the proxy ${secure.url} rejected`);
      await network('certs/both.pem');
      const trusted = await runCli(['send', 'secure', '--collection', dir, '--json'], secretEnv);
      expect(trusted.code).toBe(0);
      expect(secure.connects).toHaveLength(1);
      for (const r of [untrusted, trusted]) expect(r.out).not.toContain(password);
    } finally {
      await secure.close();
      // The next test overrides the first test's settings: put them back.
      await writeCollection(
        `  proxy: ${proxy.url}\n  proxyUser: alice\n  proxyPasswordSecret: proxy password\n  ca: certs/server.pem\n`,
      );
    }
  });

  it('flags override it: --proxy none goes direct, --ca replaces its CA', async () => {
    const seen = proxy.connects.length;
    const direct = await runCli(['send', 'secure', '--collection', dir, '--json', '--proxy', 'none'], secretEnv);
    expect(direct.code).toBe(0);
    expect(proxy.connects.length).toBe(seen);
    const otherCa = await runCli(
      ['send', 'secure', '--collection', dir, '--proxy', 'none', '--ca', certs.files.caCert],
      secretEnv,
    );
    expect(otherCa.code).toBe(3);
    expect(otherCa.out).toContain('self-signed');
  });

  it('verifyTls: false passes a self-signed service and warns', async () => {
    await writeCollection('  verifyTls: false\n');
    const r = await runCli(['send', 'secure', '--collection', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('TLS verification is off');
  });

  it('run --collection goes through its proxy too', async () => {
    await writeCollection(
      `  proxy: ${proxy.url}\n  proxyUser: alice\n  proxyPasswordSecret: proxy password\n  ca: certs/server.pem\n`,
    );
    await writeFile(path.join(tmp, 'leads.csv'), 'Email Address\na@b.c\nd@e.f\n');
    const seen = proxy.connects.length;
    const r = await runCli(
      ['run', 'secure', '--collection', dir, '--leads', 'leads.csv', '--out', path.join(tmp, 'run-out')],
      secretEnv,
    );
    expect(r.code).toBe(0);
    expect(proxy.connects.length).toBeGreaterThan(seen);
    expect(everyFileText(path.join(tmp, 'run-out'))).not.toContain(password);
    expect(everyFileText(dir)).not.toContain(password);
  });

  it('a bad network setting exits 2 naming the key and the path', async () => {
    await writeCollection('  ca: certs/missing.pem\n');
    const r = await runCli(['send', 'secure', '--collection', dir]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('network.ca');
    expect(r.out).toContain(path.join(dir, 'certs', 'missing.pem'));
    await writeCollection('  proxy: socks5://p:1080\n');
    const bad = await runCli(['send', 'secure', '--collection', dir]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('network.proxy');
    expect(bad.out).toContain('only http:// and https:// proxies are supported');
    expect(bad.out).toContain("not 'socks5://'");
  });
});
