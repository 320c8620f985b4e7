import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StudioError } from '../../../shared/contract';
import { createStudio, type Studio } from '../../../electron/services/studio/index';
import { toStudioError } from '../../../electron/services/studio/errors';

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

async function rejection(p: Promise<unknown>): Promise<StudioError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(StudioError);
    return e as StudioError;
  }
  throw new Error('expected a rejection');
}

describe('studio table: the schema comes first', () => {
  it('refuses a malformed input with the schema message, before any service runs', async () => {
    const dir = path.join(tmp, 'never');
    const err = await rejection(studio.handle('collection:init', { dir, extra: true }));
    expect(err.code).toBe('bad-input');
    expect(err.where).toBe('collection:init');
    expect(err.message).toMatch(/^collection:init: /);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a path that leaves the collection', async () => {
    const err = await rejection(studio.handle('collection:delete', { dir: tmp, path: '../outside.yaml' }));
    expect(err.code).toBe('bad-input');
    expect(err.issues?.[0]?.path).toBe('path');
  });

  it('refuses an unknown channel', async () => {
    const err = await rejection(studio.handle('app:shutdown' as 'app:info', {}));
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
    const saved = await studio.handle('collection:saveWebhook', { dir, path: first.path, webhook: { ...first.webhook, description: 'edited' }, baseVersion: first.version });
    expect(saved.path).toBe(first.path);
    const reopened = await studio.handle('collection:open', { dir });
    expect(reopened.webhooks.find((w) => w.path === first.path)?.webhook.description).toBe('edited');
    const stale = await rejection(studio.handle('collection:saveWebhook', { dir, path: first.path, webhook: first.webhook, baseVersion: first.version }));
    expect(stale.code).toBe('conflict');
  });

  it('reports an edit made outside the studio', async () => {
    const snapshot = await studio.handle('collection:open', { dir });
    const rel = snapshot.webhooks[0]!.path;
    const file = path.join(dir, ...rel.split('/'));
    await writeFile(file, `${await readFile(file, 'utf8')}\n# edited in another editor\n`);
    await vi.waitFor(() => expect(events.some((e) => e.event === 'collection:changed' && (e.payload as { paths: string[] }).paths.includes(rel))).toBe(true), { timeout: 5000 });
  });

  it('answers a service failure with a code, a message and where, never a stack', async () => {
    const missing = path.join(tmp, 'no-such-collection');
    const err = await rejection(studio.handle('collection:open', { dir: missing }));
    expect(err.code).not.toBe('internal');
    expect(err.message).toContain('no-such-collection');
    expect(err.message).not.toMatch(/\n\s+at /);
    expect(JSON.stringify(err.toJSON())).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('studio errors', () => {
  it('maps Node errors to stable codes with the path as where', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x/y.yaml'"), { code: 'ENOENT', path: '/x/y.yaml' });
    expect(toStudioError(enoent, 'collection:open').toJSON()).toEqual({ code: 'not-found', message: "no such file or directory, open '/x/y.yaml'", where: '/x/y.yaml', issues: undefined });
    const plain = toStudioError(new Error('boom'), 'webhook:send');
    expect(plain.toJSON()).toEqual({ code: 'failed', message: 'boom', where: 'webhook:send', issues: undefined });
    const coded = Object.assign(new Error('bad row'), { code: 'bad-leads', where: 'leads.csv:3' });
    expect(toStudioError(coded, 'runner:start').toJSON()).toMatchObject({ code: 'bad-leads', where: 'leads.csv:3' });
    expect(toStudioError('weird', 'x').code).toBe('failed');
  });
});
