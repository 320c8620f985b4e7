import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudio, type Studio } from '@services/studio/index';
import { studioErrorOf } from '../studio-error';

const HEADER_SECRET = 'hdr-leak-SENT-FROM-1';
const TOKEN_SECRET = 'tok-leak-SENT-FROM-2';

let tmp: string;
let studio: Studio;
const wire: string[] = [];
let serviceUrl: string;
let closeService: () => Promise<void>;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-sent-from-'));
  studio = createStudio({
    shell: 'browser',
    userDataDir: path.join(tmp, 'user'),
    env: { WEBHOOK_STUDIO_SECRET_X_API_KEY: HEADER_SECRET, WEBHOOK_STUDIO_SECRET_MY_TOK: TOKEN_SECRET },
  });
  const server = createServer((req, res) => {
    wire.push(`${req.url ?? ''} ${String(req.headers['x-api-key'] ?? '')}`);
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serviceUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  closeService = () => new Promise<void>((r) => server.close(() => r()));
});
afterAll(async () => {
  await studio.close();
  await closeService();
  await rm(tmp, { recursive: true, force: true });
});

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('studio table: a history entry opens as it was sent', () => {
  it('history:sentFrom gives back the webhook and context of each send, never a secret value', async () => {
    const dir = path.join(tmp, 'collection');
    await studio.handle('collection:init', { dir });
    const webhook = {
      name: 'Keyed',
      url: `${serviceUrl}/first?t={{my.Tok}}`,
      method: 'POST' as const,
      template: 'email={{lead.Email Address}}',
      headers: [{ name: 'X-Api-Key', secret: true }],
    };
    const saved = await studio.handle('collection:saveWebhook', { dir, webhook });
    const base = (await studio.handle('collection:open', { dir })).contexts[0]!.context;
    const context = { ...base, my: { ...base.my, Tok: { type: 'text' as const, secret: true } } };
    const send = (url: string, sendId: string) =>
      studio.handle('webhook:send', { dir, webhookPath: saved.path, webhook: { ...webhook, url }, context, sendId });
    await send(webhook.url, 'sf-1');
    await send(`${serviceUrl}/second?t={{my.Tok}}`, 'sf-2');
    expect(wire).toEqual([`/first?t=${TOKEN_SECRET} ${HEADER_SECRET}`, `/second?t=${TOKEN_SECRET} ${HEADER_SECRET}`]);

    const { entries } = await studio.handle('history:list', { dir, webhookPath: saved.path });
    expect(entries.map((e) => e.sentFrom)).toEqual([true, true]);
    const first = await studio.handle('history:sentFrom', { dir, id: entries[1]!.id });
    expect(first.webhook.url).toBe(`${serviceUrl}/first?t={{my.Tok}}`);
    expect(first.webhook.headers).toEqual([{ name: 'X-Api-Key', value: '', secret: true }]);
    expect(first.context.my['Tok']).toEqual({ type: 'text', secret: true });
    const second = await studio.handle('history:sentFrom', { dir, id: entries[0]!.id });
    expect(second.webhook.url).toBe(`${serviceUrl}/second?t={{my.Tok}}`);

    // No file the studio wrote in the collection holds a secret's value.
    for (const f of await filesUnder(dir)) {
      const text = await readFile(f, 'utf8');
      expect(text, f).not.toContain(HEADER_SECRET);
      expect(text, f).not.toContain(TOKEN_SECRET);
    }
    const err = await studioErrorOf(studio.handle('history:sentFrom', { dir, id: 'nope~gone' }));
    expect(err.code).toBe('not-found');
  });
});
