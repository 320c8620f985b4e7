import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHistory } from '@services/history/index';
import type { Exchange } from '@shared/model';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'h3-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function exchange(n: number, over: Partial<Exchange> = {}): Exchange {
  return {
    id: `send-${n}`,
    webhook: 'Enrich lead',
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:9/enrich',
      origin: 'http://127.0.0.1:9',
      requestTarget: '/enrich',
      head: 'POST /enrich HTTP/1.1\r\nhost: 127.0.0.1:9\r\n\r\n',
      body: `{"n":${n},"emoji":"😀"}`,
      bodyEncoding: 'utf8',
    },
    response: {
      httpVersion: '1.1',
      status: 200,
      reason: 'OK',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      head: 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n',
      body: Buffer.from([0xff, 0x00, n]).toString('base64'),
      bodyEncoding: 'base64',
      bodyBytes: 3,
      truncated: false,
    },
    timings: { dnsMs: null, connectMs: 1, tlsMs: null, sentMs: 0.2, ttfbMs: 3, downloadMs: 0.1, totalMs: 4 + n },
    outcome: 'updated',
    message: 'ok',
    redirects: [],
    diagnostics: [],
    ...over,
  };
}

describe('history', () => {
  it('keeps each send with its exact bytes and lists them newest first', async () => {
    const history = createHistory(dir);
    await history.record('webhooks/a.webhook.yaml', exchange(1));
    await history.record('webhooks/a.webhook.yaml', exchange(2, { outcome: 'timeout', response: undefined }));
    await history.record('webhooks/b.webhook.yaml', exchange(3));
    const list = await history.list('webhooks/a.webhook.yaml');
    expect(list.map((e) => [e.status, e.outcome, e.totalMs])).toEqual([
      [undefined, 'timeout', 6],
      [200, 'updated', 5],
    ]);
    const again = await createHistory(dir).get(list[1]!.id);
    expect(again).toEqual(exchange(1));
    expect((await history.list('webhooks/b.webhook.yaml')).length).toBe(1);
    expect(await history.list('webhooks/never.webhook.yaml')).toEqual([]);
  });

  it('is bounded per webhook and deletes what falls off', async () => {
    const history = createHistory(dir, { limitPerWebhook: 3 });
    for (let i = 0; i < 7; i++) await history.record('webhooks/a.webhook.yaml', exchange(i));
    const list = await history.list('webhooks/a.webhook.yaml');
    expect(list.map((e) => e.startedAt.slice(-6, -5))).toEqual(['6', '5', '4']);
    const keyDir = (await readdir(path.join(dir, '.studio/history')))[0]!;
    expect((await readdir(path.join(dir, '.studio/history', keyDir))).sort()).toEqual([
      'index.json',
      'send-4.json',
      'send-5.json',
      'send-6.json',
    ]);
    await expect(history.get(`${keyDir}~send-0`)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('keeps concurrent records and repeated ids apart', async () => {
    const history = createHistory(dir);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        history.record('webhooks/a.webhook.yaml', exchange(i, { id: 'same id/../x' })),
      ),
    );
    const list = await history.list('webhooks/a.webhook.yaml');
    expect(new Set(list.map((e) => e.id)).size).toBe(10);
    for (const e of list) expect((await history.get(e.id)).id).toBe('same id/../x');
  });

  it('answers bad ids and bad exchanges clearly', async () => {
    const history = createHistory(dir);
    await expect(history.get('../../etc/passwd')).rejects.toMatchObject({ code: 'bad-input' });
    await expect(
      history.record('w', { ...exchange(1), outcome: 'weird' } as unknown as Exchange),
    ).rejects.toMatchObject({ code: 'bad-input' });
    expect(() => createHistory(dir, { limitPerWebhook: 0 })).toThrow(/at least 1/);
  });

  it.skipIf(process.platform === 'win32')(
    'writes exchanges and indexes 0600 in folders 0700, narrowing a folder left wide',
    async () => {
      // An older version made .studio/history 0755: it is narrowed on the next record.
      await mkdir(path.join(dir, '.studio/history'), { recursive: true, mode: 0o755 });
      await chmod(path.join(dir, '.studio/history'), 0o755);
      const history = createHistory(dir);
      await history.record('webhooks/a.webhook.yaml', exchange(1));
      const root = path.join(dir, '.studio/history');
      const keyDir = path.join(root, (await readdir(root))[0]!);
      const mode = async (p: string) => (await stat(p)).mode & 0o777;
      expect(await mode(root)).toBe(0o700);
      expect(await mode(keyDir)).toBe(0o700);
      for (const f of await readdir(keyDir)) expect([f, await mode(path.join(keyDir, f))]).toEqual([f, 0o600]);
      expect((await readdir(keyDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    },
  );
});
