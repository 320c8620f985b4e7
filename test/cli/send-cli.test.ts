import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCerts, type TestCerts } from '../fixtures/tls/certs';
import { startConnectProxy, type ConnectProxy } from '../electron/services/sender/connect-proxy';
import { ok, startRawServer, type RawServer } from '../electron/services/sender/raw-server';

const cli = path.resolve(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js');

/** A clean environment: no proxy settings leak in from the machine running the tests. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (/^(https?|no|all)_proxy$/i.test(k) || k.startsWith('WEBHOOK_STUDIO_SECRET_')) delete env[k];
  return env;
}

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: tmp,
      env: { ...baseEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let tmp: string;
let server: RawServer;
let https: RawServer;
let proxy: ConnectProxy;
let certs: TestCerts;

async function hookFile(name: string, url: string): Promise<string> {
  const file = path.join(tmp, `${name}.yaml`);
  await writeFile(
    file,
    `name: ${name}\nurl: ${JSON.stringify(url)}\nmethod: POST\nencoding: json\ntemplate: '{"email": {{lead.Email}}}'\nresponseType: json\nheaders:\n  - name: Content-Type\n    value: application/json\nmappings:\n  - attribute: company\n    field: Company\n`,
  );
  return file;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'send-cli-'));
  certs = makeTestCerts();
  const respond = (request: Buffer, socket: import('node:net').Socket) => {
    const target = request.toString('latin1').split(' ')[1] ?? '';
    if (target.startsWith('/slow')) setTimeout(() => socket.destroyed || socket.write(ok()), 3_000);
    else if (target.startsWith('/missing')) socket.write('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    else socket.write(ok('{"company":"Acme"}'));
  };
  server = await startRawServer(respond);
  https = await startRawServer(respond, { cert: certs.serverCert, key: certs.serverKey });
  proxy = await startConnectProxy();
  await writeFile(path.join(tmp, 'ctx.yaml'), 'name: Sandy\nlead:\n  Email: sandy@example.com\n');
  await writeFile(path.join(tmp, 'batch.yaml'), 'name: Batch\ncampaign:\n  Type: batch\nlead:\n  Email: a@b.c\n');
});
afterAll(async () => {
  await Promise.all([server.close(), https.close(), proxy.close()]);
  await rm(tmp, { recursive: true, force: true });
  await rm(certs.dir, { recursive: true, force: true });
});

describe('webhook-studio send', () => {
  it('--json prints the request as sent, the response, timings, outcome and mapping; exit 0', async () => {
    const hook = await hookFile('enrich', `${server.url}/enrich?e={{lead.Email}}`);
    const before = server.received.length;
    const r = await runCli(['send', hook, '--context', 'ctx.yaml', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['request', 'response', 'timings', 'outcome', 'mapping']);
    expect(Object.keys(out.request)).toEqual(['method', 'requestTarget', 'head', 'body']);
    expect(Object.keys(out.response)).toEqual(['status', 'reason', 'headers', 'body', 'bodyEncoding', 'truncated']);
    expect(Object.keys(out.timings)).toEqual(['dnsMs', 'connectMs', 'tlsMs', 'ttfbMs', 'downloadMs', 'totalMs']);
    expect(out.request.requestTarget).toBe('/enrich?e=sandy@example.com');
    expect(
      Buffer.from(`${out.request.head as string}${out.request.body as string}`, 'utf8').equals(
        server.received[before] as Buffer,
      ),
    ).toBe(true);
    expect(out.outcome).toBe('updated');
    expect(out.mapping.mappings[0]).toMatchObject({
      attribute: 'company',
      field: 'Company',
      written: true,
      coerced: 'Acme',
    });
    expect(out.mapping.lead.after.Company).toBe('Acme');
  });

  it('a non-2xx answer is still an answer: exit 0, outcome ignored', async () => {
    const r = await runCli([
      'send',
      await hookFile('missing', `${server.url}/missing`),
      '--context',
      'ctx.yaml',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).outcome).toBe('ignored');
  });

  it('--catcher sends to an in-process catcher, keeping the request target and Host', async () => {
    const r = await runCli([
      'send',
      await hookFile('caught', 'https://api.example.com/v1/enrich'),
      '--context',
      'ctx.yaml',
      '--catcher',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.request.head).toContain('POST /v1/enrich HTTP/1.1\r\nhost: api.example.com\r\n');
    expect(out.response.body).toBe('{"ok":true}');
  });

  it('--timeout: a slow server ends as a timeout, exit 3', async () => {
    const r = await runCli([
      'send',
      await hookFile('slow', `${server.url}/slow`),
      '--context',
      'ctx.yaml',
      '--timeout',
      '200',
      '--json',
    ]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).outcome).toBe('timeout');
    expect(r.stderr).toContain('may still have acted');
  });

  it('a closed port is a network failure, exit 3, with a readable message', async () => {
    const r = await runCli(['send', await hookFile('closed', 'http://127.0.0.1:1/x'), '--context', 'ctx.yaml']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('refused the connection');
  });

  it('honours HTTP_PROXY from the environment, --proxy, and --proxy none', async () => {
    const hook = await hookFile('proxied', `${server.url}/p`);
    const seen = proxy.connects.length;
    const viaEnv = await runCli(['send', hook, '--context', 'ctx.yaml', '--json'], { HTTP_PROXY: proxy.url });
    expect(viaEnv.code).toBe(0);
    expect(proxy.connects.length).toBe(seen + 1);
    const viaFlag = await runCli(['send', hook, '--context', 'ctx.yaml', '--json', '--proxy', proxy.url]);
    expect(viaFlag.code).toBe(0);
    expect(proxy.connects.length).toBe(seen + 2);
    const none = await runCli(['send', hook, '--context', 'ctx.yaml', '--json', '--proxy', 'none'], {
      HTTP_PROXY: proxy.url,
    });
    expect(none.code).toBe(0);
    expect(proxy.connects.length).toBe(seen + 2);
  });

  it('HTTPS: a self-signed certificate fails (exit 3, naming subject and issuer); --ca or --insecure pass, also through a proxy', async () => {
    const hook = await hookFile('secure', `${https.url}/s`);
    const rejected = await runCli(['send', hook, '--context', 'ctx.yaml']);
    expect(rejected.code).toBe(3);
    expect(rejected.stdout).toContain('Subject: CN=localhost');
    const withCa = await runCli(['send', hook, '--context', 'ctx.yaml', '--json', '--ca', certs.files.serverCert]);
    expect(withCa.code).toBe(0);
    const insecure = await runCli(['send', hook, '--context', 'ctx.yaml', '--json', '--insecure']);
    expect(insecure.code).toBe(0);
    const seen = proxy.connects.length;
    const proxied = await runCli(['send', hook, '--context', 'ctx.yaml', '--json', '--ca', certs.files.serverCert], {
      HTTPS_PROXY: proxy.url,
    });
    expect(proxied.code).toBe(0);
    expect(proxy.connects.length).toBe(seen + 1);
  });

  it('--proxy https://user:password@...: TLS to the proxy, checked with --ca (or not, with --insecure); the password is never shown', async () => {
    const password = 'cli-https-pr0xy-Pa55';
    const basic = `Basic ${Buffer.from(`carol:${password}`).toString('base64')}`;
    const secure = await startConnectProxy({ requireAuth: basic, tls: { cert: certs.proxyCert, key: certs.proxyKey } });
    try {
      const hook = await hookFile('secure-proxy', `${https.url}/s`);
      const withCredentials = `https://carol:${password}@127.0.0.1:${secure.port}`;
      const base = ['send', hook, '--context', 'ctx.yaml', '--proxy', withCredentials];
      const untrusted = await runCli([...base, '--ca', certs.files.serverCert]);
      expect(untrusted.code).toBe(3);
      expect(untrusted.stdout).toContain(`TLS certificate of the proxy ${secure.url} rejected`);
      expect(untrusted.stdout).toContain('Subject: CN=Webhook Studio Test Proxy; issuer: CN=Webhook Studio Test CA');
      expect(secure.connects).toHaveLength(0);
      const trusted = await runCli([...base, '--json', '--ca', certs.files.caCert, '--ca', certs.files.serverCert]);
      expect(trusted.code).toBe(0);
      expect((JSON.parse(trusted.stdout) as { outcome: string }).outcome).toBe('updated');
      const insecure = await runCli([...base, '--insecure']);
      expect(insecure.code).toBe(0);
      expect(secure.connects).toHaveLength(2);
      for (const c of secure.connects) expect(c.split('\r\n')).toContain(`proxy-authorization: ${basic}`);
      for (const r of [untrusted, trusted, insecure]) expect(r.stdout + r.stderr).not.toContain(password);
    } finally {
      await secure.close();
    }
  });

  it('bad input exits 2 with a message naming what is wrong', async () => {
    const hook = await hookFile('bad', `${server.url}/x`);
    const missing = await runCli(['send', 'nope.yaml', '--context', 'ctx.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("'nope.yaml': no such file");
    const noContext = await runCli(['send', hook]);
    expect(noContext.code).toBe(2);
    expect(noContext.stderr).toContain('--context');
    const badTimeout = await runCli(['send', hook, '--context', 'ctx.yaml', '--timeout', 'soon']);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toContain("--timeout must be a number of milliseconds from 1 to 600000, not 'soon'");
    const badProxy = await runCli(['send', hook, '--context', 'ctx.yaml', '--proxy', 'socks5://x:1']);
    expect(badProxy.code).toBe(2);
    expect(badProxy.stderr).toContain(
      "--proxy: only http:// and https:// proxies are supported (HTTPS targets are tunnelled through them with CONNECT), not 'socks5://'",
    );
    const badCa = await runCli(['send', hook, '--context', 'ctx.yaml', '--ca', 'ctx.yaml']);
    expect(badCa.code).toBe(2);
    expect(badCa.stderr).toContain('not PEM');
    const halfCert = await runCli(['send', hook, '--context', 'ctx.yaml', '--cert', certs.files.clientCert]);
    expect(halfCert.code).toBe(2);
    const before = server.received.length;
    const batch = await runCli(['send', hook, '--context', 'batch.yaml', '--json']);
    expect(batch.code).toBe(2);
    expect(JSON.parse(batch.stdout).outcome).toBe('not-sent');
    expect(batch.stderr).toContain('1000');
    expect(server.received.length).toBe(before);
  });

  it('a secret header takes its value from WEBHOOK_STUDIO_SECRET_<NAME>, or is refused', async () => {
    const file = path.join(tmp, 'secret-hook.yaml');
    await writeFile(
      file,
      `name: secret\nurl: ${JSON.stringify(`${server.url}/sec`)}\nheaders:\n  - name: X-Api-Key\n    secret: true\n`,
    );
    const before = server.received.length;
    const sent = await runCli(['send', file, '--context', 'ctx.yaml', '--json'], {
      WEBHOOK_STUDIO_SECRET_X_API_KEY: 'k-123',
    });
    expect(sent.code).toBe(0);
    expect((server.received[before] as Buffer).toString('latin1')).toContain('X-Api-Key: k-123\r\n');
    expect(sent.stdout).not.toContain('k-123');
    const refused = await runCli(['send', file, '--context', 'ctx.yaml']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('WEBHOOK_STUDIO_SECRET_X_API_KEY');
  });
});
