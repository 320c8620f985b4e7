import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStudio, type Studio } from '@services/studio/index';
import { tokenContextSchema, webhookSchema, type Exchange } from '@shared/model';

let tmp: string;
let studio: Studio;
let dir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'catcher-answers-'));
  studio = createStudio({ shell: 'browser', userDataDir: path.join(tmp, 'user-data'), env: {} });
  dir = path.join(tmp, 'c');
  await studio.handle('collection:init', { dir });
});
afterAll(async () => {
  await studio.close();
  await rm(tmp, { recursive: true, force: true });
});

const context = tokenContextSchema.parse({ name: 'c' });

function sendToCatcher(url: string, n: number): Promise<Exchange> {
  const webhook = webhookSchema.parse({ name: 'w', url, method: 'POST', template: '{}', encoding: 'json' });
  return studio.handle('webhook:send', { sendId: `s${n}`, dir, webhook, context, target: 'catcher' });
}

const header = (ex: Exchange, name: string) =>
  ex.response?.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

it('answers with the rules saved in the collection, telling which rule answered', async () => {
  const before = await sendToCatcher('https://crm.example.com/leads', 1);
  expect(before.response?.status).toBe(200);
  expect(before.response?.body).toBe('{"ok":true}');
  expect(header(before, 'X-Studio-Rule')).toBeUndefined();

  await studio.handle('collection:saveCatcherRules', {
    dir,
    rules: [
      { method: 'GET', status: 204 },
      { path: '/leads*', status: 404, reason: 'Not Found', body: '{"error":"no such lead"}' },
    ],
  });
  const ex = await sendToCatcher('https://crm.example.com/leads?id=1', 2);
  expect(ex.response?.status).toBe(404);
  expect(ex.response?.body).toBe('{"error":"no such lead"}');
  expect(header(ex, 'X-Studio-Rule')).toBe('2');

  // As soon as saved: a request straight to the running catcher gets the new answer.
  await studio.handle('collection:saveCatcherRules', { dir, rules: [{ status: 503 }] });
  const status = await studio.handle('catcher:status', {});
  if (!status.running) throw new Error('the catcher should be running');
  const direct = await fetch(`${status.url}/anything`, { method: 'POST', body: 'x' });
  expect(direct.status).toBe(503);
  expect(direct.headers.get('x-studio-rule')).toBe('1');
});

it('picks up an outside edit of catcher.yaml, and keeps the last good rules while the file is broken', async () => {
  await writeFile(path.join(dir, 'catcher.yaml'), '- path: /slow\n  status: 500\n  body: boom\n');
  const edited = await sendToCatcher('https://crm.example.com/slow', 3);
  expect(edited.response?.status).toBe(500);
  expect(edited.response?.body).toBe('boom');

  await writeFile(path.join(dir, 'catcher.yaml'), '- status: 99\n');
  const snap = await studio.handle('collection:open', { dir });
  expect(snap.problems.map((p) => p.message)).toEqual(['catcher.yaml at rule 1, status: a status is from 100 to 599']);
  expect((await sendToCatcher('https://crm.example.com/slow', 4)).response?.status).toBe(500);
});

it('still answers the sample webhooks with their canned responses when no collection rule matches', async () => {
  await studio.handle('collection:saveCatcherRules', { dir, rules: [{ path: '/other', status: 418 }] });
  const ex = await sendToCatcher('http://catcher.local/sms/send', 5);
  expect(ex.response?.status).toBe(201);
  expect(header(ex, 'X-Studio-Rule')).toBeUndefined();
});

it('refuses bad rules through the contract, naming the rule and key', async () => {
  await expect(
    studio.handle('collection:saveCatcherRules', { dir, rules: [{ status: 200 }, { status: 1000 }] }),
  ).rejects.toThrow(/rules\.1\.status|rule 2, status/);
});
