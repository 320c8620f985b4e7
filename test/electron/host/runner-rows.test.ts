import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../../electron/host/serve';
import { createStudio, type Studio } from '@services/studio/index';
import { initCollection, saveWebhook } from '@services/collection/index';
import { enrichWebhook, startServer } from '../services/runner/helpers';
import { errorOf, rawRequest } from './http-helper';

let tmp: string;
let dir: string;
let host: Host;
let studio: Studio;
let server: Awaited<ReturnType<typeof startServer>>;
let webhookPath: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-host-rows-'));
  const rendererDir = path.join(tmp, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Webhook Studio</title>');
  // The service refuses one lead; the others succeed.
  server = await startServer((body) =>
    body.includes('c@x.com')
      ? { status: 500, body: '{"error":"boom"}' }
      : { status: 200, body: '{"company":{"name":"Acme"},"title":"CTO"}' },
  );
  dir = path.join(tmp, 'collection');
  await mkdir(dir);
  await initCollection(dir);
  ({ path: webhookPath } = await saveWebhook(dir, { webhook: enrichWebhook(server.origin) }));
  studio = createStudio({ shell: 'browser', userDataDir: path.join(tmp, 'data'), env: {} });
  host = await startHost({ rendererDir, studio, port: 0 });
});

afterAll(async () => {
  await host.close();
  await studio.close();
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

const call = (channel: string, body: unknown) =>
  rawRequest(
    host.origin,
    'POST',
    `/api/${channel}`,
    {
      Host: new URL(host.origin).host,
      Authorization: `Bearer ${host.token}`,
      'Content-Type': 'application/json',
      'X-Studio-Request': '1',
    },
    JSON.stringify(body),
  );

type Rows = { rows: Array<{ line: number; outcome: string }>; total: number };

describe('browser host: runner/rows', () => {
  it('lists only the leads that did not succeed when asked, and refuses a `show` it does not know', async () => {
    const content = 'Email Address,Company Name\na@x.com,A\nb@x.com\nc@x.com,C\nd@x.com,D\ne@x.com\nf@x.com,F\n';
    const started = await call('runner/start', { dir, webhookPath, leads: { fileName: 'leads.csv', content } });
    expect(started.status).toBe(200);
    const { runId } = JSON.parse(started.body) as { runId: string };
    const rows = async (body: Record<string, unknown>): Promise<Rows> => {
      const reply = await call('runner/rows', { runId, offset: 0, limit: 10, ...body });
      expect(reply.status, reply.body).toBe(200);
      return JSON.parse(reply.body) as Rows;
    };
    await expect.poll(async () => (await rows({})).total, { timeout: 20_000 }).toBe(6);

    const failed = await rows({ show: 'not-succeeded' });
    expect(failed.total).toBe(3);
    expect(failed.rows.map((r) => [r.line, r.outcome])).toEqual([
      [3, 'not-sent'],
      [4, 'ignored'],
      [6, 'not-sent'],
    ]);
    expect((await rows({ show: 'all' })).total).toBe(6);

    const bogus = await call('runner/rows', { runId, offset: 0, limit: 10, show: 'bogus' });
    expect(bogus.status).toBe(400);
    const error = errorOf(bogus);
    expect(error.code).toBe('bad-input');
    expect(error.message).toBe('runner:rows: show: Invalid option: expected one of "all"|"not-succeeded"');
    expect(error.issues?.map((i) => i.path)).toEqual(['show']);
  });
});
