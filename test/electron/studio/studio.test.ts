import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStudio, type Studio } from '@services/studio/index';
import { toStudioError } from '@services/studio/errors';
import { studioErrorOf } from '../studio-error';

let tmp: string;
let studio: Studio;
const events: { event: string; payload: unknown }[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-table-'));
  studio = createStudio({ shell: 'browser', userDataDir: path.join(tmp, 'user'), env: {}, version: '9.9.9' });
  studio.on('collection:opened', (payload) => events.push({ event: 'collection:opened', payload }));
  studio.on('collection:changed', (payload) => events.push({ event: 'collection:changed', payload }));
});
afterAll(async () => {
  await studio.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('studio table: the schema comes first', () => {
  it('refuses a malformed input with the schema message, before any service runs', async () => {
    const dir = path.join(tmp, 'never');
    const err = await studioErrorOf(studio.handle('collection:init', { dir, extra: true }));
    expect(err.code).toBe('bad-input');
    expect(err.where).toBe('collection:init');
    expect(err.message).toMatch(/^collection:init: /);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a path that leaves the collection', async () => {
    const err = await studioErrorOf(studio.handle('collection:delete', { dir: tmp, path: '../outside.yaml' }));
    expect(err.code).toBe('bad-input');
    expect(err.issues?.[0]?.path).toBe('path');
  });

  it('refuses an unknown channel', async () => {
    const err = await studioErrorOf(studio.handle('app:shutdown' as 'app:info', {}));
    expect(err.code).toBe('unknown-channel');
  });
});

describe('studio table: collections', () => {
  let dir: string;

  it('creates the sample collection, announces it and remembers it', async () => {
    dir = path.join(tmp, 'sample');
    const snapshot = await studio.handle('collection:init', { dir });
    expect(snapshot.webhooks.length).toBeGreaterThan(0);
    expect(snapshot.problems).toEqual([]);
    expect(events).toContainEqual({ event: 'collection:opened', payload: { dir } });
    expect(await studio.handle('collection:recent', {})).toEqual({ dirs: [dir] });
    const info = await studio.handle('app:info', {});
    expect(info).toMatchObject({ version: '9.9.9', shell: 'browser', collectionDir: dir });
  });

  it('keeps recent collections across launches, newest first, without duplicates', async () => {
    const other = path.join(tmp, 'other');
    await studio.handle('collection:init', { dir: other });
    await studio.handle('collection:open', { dir });
    const again = createStudio({ shell: 'electron', userDataDir: path.join(tmp, 'user'), env: {} });
    expect(await again.handle('collection:recent', {})).toEqual({ dirs: [dir, other] });
    await again.close();
  });

  it('saves a webhook and reopens it; a stale save is a conflict', async () => {
    const snapshot = await studio.handle('collection:open', { dir });
    const first = snapshot.webhooks[0]!;
    const saved = await studio.handle('collection:saveWebhook', {
      dir,
      path: first.path,
      webhook: { ...first.webhook, description: 'edited' },
      baseVersion: first.version,
    });
    expect(saved.path).toBe(first.path);
    const reopened = await studio.handle('collection:open', { dir });
    expect(reopened.webhooks.find((w) => w.path === first.path)?.webhook.description).toBe('edited');
    const stale = await studioErrorOf(
      studio.handle('collection:saveWebhook', {
        dir,
        path: first.path,
        webhook: first.webhook,
        baseVersion: first.version,
      }),
    );
    expect(stale.code).toBe('conflict');
  });

  it('reports an edit made outside the studio', async () => {
    const snapshot = await studio.handle('collection:open', { dir });
    const rel = snapshot.webhooks[0]!.path;
    const file = path.join(dir, ...rel.split('/'));
    await writeFile(file, `${await readFile(file, 'utf8')}\n# edited in another editor\n`);
    await vi.waitFor(
      () =>
        expect(
          events.some(
            (e) => e.event === 'collection:changed' && (e.payload as { paths: string[] }).paths.includes(rel),
          ),
        ).toBe(true),
      { timeout: 5000 },
    );
  });

  it('answers a service failure with a code, a message and where, never a stack', async () => {
    const missing = path.join(tmp, 'no-such-collection');
    const err = await studioErrorOf(studio.handle('collection:open', { dir: missing }));
    expect(err.code).not.toBe('internal');
    expect(err.message).toContain('no-such-collection');
    expect(err.message).not.toMatch(/\n\s+at /);
    expect(JSON.stringify(err.toJSON())).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('studio errors', () => {
  it('maps Node errors to stable codes with the path as where', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x/y.yaml'"), {
      code: 'ENOENT',
      path: '/x/y.yaml',
    });
    expect(toStudioError(enoent, 'collection:open').toJSON()).toEqual({
      code: 'not-found',
      message: "no such file or directory, open '/x/y.yaml'",
      where: '/x/y.yaml',
      issues: undefined,
    });
    const plain = toStudioError(new Error('boom'), 'webhook:send');
    expect(plain.toJSON()).toEqual({ code: 'failed', message: 'boom', where: 'webhook:send', issues: undefined });
    const coded = Object.assign(new Error('bad row'), { code: 'bad-leads', where: 'leads.csv:3' });
    expect(toStudioError(coded, 'runner:start').toJSON()).toMatchObject({ code: 'bad-leads', where: 'leads.csv:3' });
    expect(toStudioError('weird', 'x').code).toBe('failed');
  });
});

describe('studio table: end to end with the sample collection', () => {
  let dir: string;
  const progress: string[] = [];

  beforeAll(async () => {
    dir = path.join(tmp, 'e2e-sample');
    await studio.handle('collection:init', { dir });
    studio.on('send:progress', (p) => progress.push(`${p.sendId}:${p.phase}`));
  });

  it('sends a sample webhook to the built-in catcher and maps the answer onto lead fields', async () => {
    const snapshot = await studio.handle('collection:open', { dir });
    const enrich = snapshot.webhooks.find((w) => w.webhook.url.includes('/enrich'))!;
    const context = snapshot.contexts[0]!.context;
    expect(await studio.handle('catcher:status', {})).toEqual({ running: false });

    const exchange = await studio.handle('webhook:send', {
      dir,
      webhookPath: enrich.path,
      webhook: enrich.webhook,
      context,
      sendId: 'send-1',
    });
    expect(exchange.response?.status).toBe(200);
    expect(exchange.request.requestTarget).toMatch(/^\/enrich\?source=marketo/);
    expect(exchange.outcome).toBe('updated');
    expect(exchange.mapping).toBeDefined();
    expect(JSON.stringify(exchange.mapping)).toContain('Computing');
    expect(progress).toContain('send-1:done');

    const status = await studio.handle('catcher:status', {});
    expect(status.running).toBe(true);
    expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const caught = await studio.handle('catcher:requests', { since: 0 });
    expect(caught.requests).toHaveLength(1);
    expect(caught.requests[0]!.body).toContain('"email"');

    const history = await studio.handle('history:list', { dir, webhookPath: enrich.path });
    expect(history.entries).toHaveLength(1);
    expect(history.entries[0]).toMatchObject({ webhook: enrich.path, status: 200, outcome: exchange.outcome });
    const again = await studio.handle('history:get', { dir, id: history.entries[0]!.id });
    expect(again.response?.body).toBe(exchange.response?.body);
  });

  it('runs the sample webhook over a lead file, reporting progress and rows', async () => {
    const snapshot = await studio.handle('collection:open', { dir });
    const enrich = snapshot.webhooks.find((w) => w.webhook.url.includes('/enrich'))!;
    const states: string[] = [];
    const off = studio.on('runner:progress', (p) => states.push(p.state));
    const leads =
      'Email Address,First Name,Last Name\nada@example.com,Ada,Lovelace\ncharles@example.com,Charles,Babbage\n';
    const { runId } = await studio.handle('runner:start', {
      dir,
      webhookPath: enrich.path,
      leads: { fileName: 'leads.csv', content: leads },
      record: 'all',
    });
    await vi.waitFor(() => expect(states).toContain('done'), { timeout: 15_000 });
    off();
    const rows = await studio.handle('runner:rows', { runId, offset: 0, limit: 10 });
    expect(rows.total).toBe(2);
    expect(rows.rows.map((r) => r.outcome)).toEqual(['updated', 'updated']);
    const exchange = await studio.handle('runner:exchange', { runId, line: rows.rows[0]!.line });
    expect(exchange.request.body).toContain('ada@example.com');
    const err = await studioErrorOf(studio.handle('runner:control', { runId: 'no-such-run', action: 'pause' }));
    expect(err.code).toBe('not-found');
  });

  it('cancels nothing that is not in flight', async () => {
    expect(await studio.handle('webhook:cancel', { sendId: 'no-such-send' })).toEqual({ cancelled: false });
  });

  it('exports a webhook and imports it back', async () => {
    const snapshot = await studio.handle('collection:open', { dir });
    const first = snapshot.webhooks[0]!;
    const bundle = await studio.handle('export:run', { dir, format: 'bundle', webhookPaths: [first.path] });
    expect(bundle.content).toContain(first.webhook.name);
    const target = path.join(tmp, 'import-target');
    await mkdir(target);
    await studio.handle('collection:init', { dir: target });
    const report = await studio.handle('import:run', {
      dir: target,
      fileName: bundle.fileName,
      content: bundle.content,
      overwrite: true,
    });
    expect([...report.created, ...report.overwritten].length).toBeGreaterThan(0);
  });
});

/** A loopback service that keeps the X-Api-Key each request carried: what really went on the wire. */
async function keyRecorder(): Promise<{ url: string; keys: string[]; close: () => Promise<void> }> {
  const { createServer } = await import('node:http');
  const keys: string[] = [];
  const server = createServer((req, res) => {
    keys.push(String(req.headers['x-api-key'] ?? ''));
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, keys, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('studio table: secrets reach the wire, for one send and for a run', () => {
  it('fills a secret header from the environment (browser host) in a send and in every lead of a run', async () => {
    const withSecret = createStudio({
      shell: 'browser',
      userDataDir: path.join(tmp, 'user-secrets'),
      env: { WEBHOOK_STUDIO_SECRET_X_API_KEY: 's3cret-value' },
    });
    const service = await keyRecorder();
    try {
      const dir = path.join(tmp, 'secret-collection');
      await withSecret.handle('collection:init', { dir });
      const webhook = {
        name: 'Keyed',
        url: `${service.url}/keyed`,
        method: 'POST' as const,
        template: 'email={{lead.Email Address}}',
        headers: [{ name: 'X-Api-Key', secret: true }],
      };
      const saved = await withSecret.handle('collection:saveWebhook', { dir, webhook });
      const context = (await withSecret.handle('collection:open', { dir })).contexts[0]!.context;

      const exchange = await withSecret.handle('webhook:send', {
        dir,
        webhookPath: saved.path,
        webhook,
        context,
        sendId: 'keyed-1',
      });
      expect(exchange.response?.status).toBe(200);
      // The record (and so the history) masks the value; the service saw the real bytes.
      expect(JSON.stringify(exchange)).not.toContain('s3cret-value');
      expect(exchange.request.head).toMatch(/X-Api-Key: •+\r\n/i);

      const states: string[] = [];
      withSecret.on('runner:progress', (p) => states.push(p.state));
      const { runId } = await withSecret.handle('runner:start', {
        dir,
        webhookPath: saved.path,
        leads: { fileName: 'leads.csv', content: 'Email Address\na@example.com\nb@example.com\n' },
      });
      await vi.waitFor(() => expect(states).toContain('done'), { timeout: 15_000 });
      expect(service.keys).toEqual(['s3cret-value', 's3cret-value', 's3cret-value']);
      expect((await withSecret.handle('runner:rows', { runId, offset: 0, limit: 10 })).total).toBe(2);
    } finally {
      await withSecret.close();
      await service.close();
    }
  });
});

describe('studio table: secrets in the desktop shell', () => {
  it('stores a secret with the injected safeStorage, lists its name (never its value) and sends it', async () => {
    const keychain = {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(s, 'utf8').reverse(),
      decryptString: (b: Uint8Array) => Buffer.from(b).reverse().toString('utf8'),
    };
    const desktop = createStudio({
      shell: 'electron',
      userDataDir: path.join(tmp, 'user-desktop'),
      env: {},
      safeStorage: keychain,
    });
    try {
      const dir = path.join(tmp, 'desktop-collection');
      await desktop.handle('collection:init', { dir });
      await desktop.handle('secrets:set', { dir, name: 'X-Api-Key', value: 'kept-in-keychain' });
      const snapshot = await desktop.handle('collection:open', { dir });
      expect(snapshot.secrets).toContain('X-Api-Key');
      expect(JSON.stringify(snapshot)).not.toContain('kept-in-keychain');
      const service = await keyRecorder();
      try {
        const webhook = { name: 'Keyed', url: `${service.url}/desk`, headers: [{ name: 'X-Api-Key', secret: true }] };
        await desktop.handle('webhook:send', {
          dir,
          webhook,
          context: snapshot.contexts[0]!.context,
          sendId: 'desk-1',
        });
        expect(service.keys).toEqual(['kept-in-keychain']);
      } finally {
        await service.close();
      }
      await desktop.handle('secrets:delete', { dir, name: 'X-Api-Key' });
      expect((await desktop.handle('collection:open', { dir })).secrets).not.toContain('X-Api-Key');
    } finally {
      await desktop.close();
    }
  });

  it('stores a secret in the browser host in a private file (0600) outside the collection, without a restart', async () => {
    const dir = path.join(tmp, 'sample');
    await studio.handle('secrets:set', { dir, name: 'token', value: 'typed-in-the-browser' });
    const listed = await studio.handle('secrets:list', { dir });
    expect(listed.backend).toBe('private-file');
    expect(listed.secrets).toContainEqual({ name: 'token', source: 'store' });
    const { readdir, stat } = await import('node:fs/promises');
    const files = (await readdir(path.join(tmp, 'user'), { recursive: true })).map((f) => path.join(tmp, 'user', f));
    const holding: string[] = [];
    for (const f of files)
      if ((await stat(f)).isFile() && (await readFile(f, 'utf8')).includes('typed-in-the-browser')) holding.push(f);
    expect(holding).toHaveLength(1);
    expect((await stat(holding[0]!)).mode & 0o777).toBe(0o600);
    await studio.handle('secrets:delete', { dir, name: 'token' });
  });
});

describe('studio table: a body over 1 MiB', () => {
  it('reads back the whole body the sender saved, and nothing else', async () => {
    const { createServer } = await import('node:http');
    const { symlink } = await import('node:fs/promises');
    const big = JSON.stringify({ items: Array.from({ length: 40_000 }, (_, i) => ({ id: i, note: 'é'.repeat(20) })) });
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(big);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const webhook = {
        name: 'Bulk',
        url: `http://127.0.0.1:${port}/big`,
        method: 'GET' as const,
        responseType: 'json' as const,
      };
      const exchange = await studio.handle('webhook:send', { webhook, context: { name: 'none' }, sendId: 'big-1' });
      const file = exchange.response?.bodyFile;
      expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
      expect(file).toBeDefined();
      expect(exchange.response?.body.length).toBeLessThan(big.length);

      const whole = await studio.handle('response:body', { file: file! });
      expect(whole.response).toEqual({ body: big, bodyEncoding: 'utf8', bodyBytes: Buffer.byteLength(big) });

      // Any other file, or a link named like a body file, is refused; a body file that is gone says so.
      expect(
        (await studioErrorOf(studio.handle('response:body', { file: path.join(tmp, 'user', 'recent.json') }))).code,
      ).toBe('not-a-body-file');
      const link = path.join(os.tmpdir(), `webhook-studio-link-${process.pid}-1.body`);
      await symlink(path.join(tmp, 'user'), link).catch(() => undefined);
      try {
        expect((await studioErrorOf(studio.handle('response:body', { file: link }))).code).toBe('not-a-body-file');
      } finally {
        await rm(link, { force: true });
      }
      await rm(file!, { force: true });
      const gone = await studioErrorOf(studio.handle('response:body', { file: file! }));
      expect(gone.code).toBe('body-file-gone');
      expect(gone.message).toContain(file!);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
