import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  initCollection,
  movePath,
  openCollection,
  renameFile,
  saveContext,
  saveWebhook,
} from '@services/collection/index';
import { createHistory } from '@services/history/index';
import { createStudio } from '@services/studio/index';
import type { Exchange, WebhookInput } from '@shared/model';
import { studioErrorOf } from '../../studio-error';
import { exchange as fixtureExchange } from '../../../renderer/fixtures';

let work: string;
let dir: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'h3-rename-'));
  dir = path.join(work, 'c');
  await mkdir(dir);
  await writeFile(path.join(dir, 'collection.yaml'), 'name: Renames\n');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const hook = (name: string, over: Partial<WebhookInput> = {}): WebhookInput => ({
  name,
  url: 'https://api.example.com/hook',
  encoding: 'json',
  template: '{"email": {{lead.Email Address}}}',
  ...over,
});

const files = async (rel: string): Promise<string[]> => (await readdir(path.join(dir, rel))).sort();

/** Send n: its own id, time and total (4 + n ms), to tell the kept sends apart. */
function exchange(n: number): Exchange {
  const base = fixtureExchange({ id: `send-${n}`, startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString() });
  return { ...base, timings: { ...base.timings, totalMs: 4 + n } };
}

describe('rename renames the file', () => {
  it('names the file after the new name, keeps every other byte of the content, removes the old file', async () => {
    const saved = await saveWebhook(dir, { folder: 'crm', webhook: hook('Enrich lead') });
    expect(saved.path).toBe('webhooks/crm/enrich-lead.webhook.yaml');
    const file = path.join(dir, saved.path);
    // A hand-written comment and key order must survive the rename (git-friendly: a one-line diff).
    const text = `# kept by hand\n${await readFile(file, 'utf8')}`;
    await writeFile(file, text);
    const out = await renameFile(dir, { path: saved.path, name: 'Score lead' });
    expect(out.path).toBe('webhooks/crm/score-lead.webhook.yaml');
    expect(await files('webhooks/crm')).toEqual(['score-lead.webhook.yaml']);
    const after = await readFile(path.join(dir, out.path), 'utf8');
    expect(after).toBe(text.replace('name: Enrich lead', 'name: Score lead'));
    const snap = await openCollection(dir);
    expect(snap.webhooks.map((w) => [w.path, w.webhook.name, w.version])).toEqual([
      [out.path, 'Score lead', out.version],
    ]);
  });

  it('renames contexts too, and a change of case only keeps the file where it is', async () => {
    const c = await saveContext(dir, { context: { name: 'Anna', lead: { Email: 'a@example.com' } } });
    const renamed = await renameFile(dir, { path: c.path, name: 'Bob Smith' });
    expect(renamed.path).toBe('contexts/bob-smith.context.yaml');
    expect(await files('contexts')).toEqual(['bob-smith.context.yaml']);
    const cased = await renameFile(dir, { path: renamed.path, name: 'BOB Smith' });
    expect(cased.path).toBe(renamed.path);
    expect((await openCollection(dir)).contexts.map((x) => x.context.name)).toEqual(['BOB Smith']);
  });

  it('refuses a stale version, an empty name and a file that does not load, changing nothing', async () => {
    const saved = await saveWebhook(dir, { webhook: hook('Enrich lead') });
    expect((await studioErrorOf(renameFile(dir, { path: saved.path, name: 'X', baseVersion: 'old' }))).code).toBe(
      'conflict',
    );
    expect((await studioErrorOf(renameFile(dir, { path: saved.path, name: '  ' }))).message).toMatch(/empty/);
    await writeFile(path.join(dir, 'webhooks/broken.webhook.yaml'), 'name: [unclosed\n');
    const broken = await studioErrorOf(renameFile(dir, { path: 'webhooks/broken.webhook.yaml', name: 'Fixed' }));
    expect(broken.message).toMatch(/webhooks\/broken\.webhook\.yaml cannot be renamed until it loads/);
    expect(await files('webhooks')).toEqual(['broken.webhook.yaml', 'enrich-lead.webhook.yaml']);
  });

  it('a slug taken by another name gets the next free file name', async () => {
    await saveWebhook(dir, { webhook: hook('A.B') });
    const other = await saveWebhook(dir, { webhook: hook('Other') });
    expect((await renameFile(dir, { path: other.path, name: 'A B' })).path).toBe('webhooks/a-b-2.webhook.yaml');
  });
});

describe('names unique in a folder', () => {
  it('refuses a rename onto a name the folder has, naming the folder and the name', async () => {
    await saveWebhook(dir, { folder: 'crm', webhook: hook('Enrich lead') });
    const other = await saveWebhook(dir, { folder: 'crm', webhook: hook('Score lead') });
    const e = await studioErrorOf(renameFile(dir, { path: other.path, name: 'Enrich lead' }));
    expect(e.code).toBe('conflict');
    expect(e.message).toBe('There is already a webhook named “Enrich lead” in folder crm; choose another name');
    // The same name in another folder is fine.
    const root = await saveWebhook(dir, { webhook: hook('Root one') });
    expect((await renameFile(dir, { path: root.path, name: 'Enrich lead' })).path).toBe(
      'webhooks/enrich-lead.webhook.yaml',
    );
  });

  it('refuses names that differ only in case: on macOS and Windows they would be one file', async () => {
    await saveWebhook(dir, { webhook: hook('Enrich Lead') });
    const other = await saveWebhook(dir, { webhook: hook('Score lead') });
    const e = await studioErrorOf(renameFile(dir, { path: other.path, name: 'enrich lead' }));
    expect(e.message).toBe(
      'There is already a webhook named “Enrich Lead” in the collection root, which differs from “enrich lead” only in case (one file on macOS and Windows); choose another name',
    );
    await saveContext(dir, { context: { name: 'Anna' } });
    const bob = await saveContext(dir, { context: { name: 'Bob' } });
    expect((await studioErrorOf(renameFile(dir, { path: bob.path, name: 'ANNA' }))).message).toMatch(
      /^There is already a context named “Anna” among the contexts, which differs from “ANNA” only in case/,
    );
  });

  it('a file named in another case by hand counts as taken for a new file name', async () => {
    await mkdir(path.join(dir, 'webhooks'), { recursive: true });
    await writeFile(path.join(dir, 'webhooks/Enrich-Lead.webhook.yaml'), 'name: Hand made\nurl: https://x.example\n');
    const saved = await saveWebhook(dir, { webhook: hook('Enrich lead') });
    expect(saved.path).toBe('webhooks/enrich-lead-2.webhook.yaml');
  });

  it('refuses a move into a folder that has a webhook of that name', async () => {
    await saveWebhook(dir, { folder: 'crm', webhook: hook('Enrich lead') });
    const root = await saveWebhook(dir, { webhook: hook('ENRICH LEAD', { url: 'https://other.example' }) });
    const e = await studioErrorOf(movePath(dir, root.path, 'webhooks/crm/enrich-lead-2.webhook.yaml'));
    expect(e.message).toMatch(
      /^There is already a webhook named “Enrich lead” in folder crm, which differs from “ENRICH LEAD”/,
    );
    expect(await files('webhooks/crm')).toEqual(['enrich-lead.webhook.yaml']);
    expect(await files('webhooks')).toEqual(['crm', 'enrich-lead.webhook.yaml']);
  });
});

describe('history follows a renamed or moved webhook', () => {
  it('the store moves a webhook’s sends to its new path, merging with any kept there', async () => {
    const history = createHistory(dir);
    await history.record('webhooks/a.webhook.yaml', exchange(1));
    await history.record('webhooks/a.webhook.yaml', exchange(2));
    await history.record('webhooks/b.webhook.yaml', exchange(3));
    await history.move('webhooks/a.webhook.yaml', 'webhooks/c.webhook.yaml');
    expect(await history.list('webhooks/a.webhook.yaml')).toEqual([]);
    const moved = await history.list('webhooks/c.webhook.yaml');
    expect(moved.map((e) => [e.webhook, e.totalMs])).toEqual([
      ['webhooks/c.webhook.yaml', 6],
      ['webhooks/c.webhook.yaml', 5],
    ]);
    expect((await history.get(moved[0]?.id ?? '')).id).toBe('send-2');
    // Onto a path that has sends of its own: both kept, newest first.
    await history.move('webhooks/c.webhook.yaml', 'webhooks/b.webhook.yaml');
    const merged = await history.list('webhooks/b.webhook.yaml');
    expect(merged.map((e) => e.totalMs)).toEqual([7, 6, 5]);
    for (const e of merged) await history.get(e.id);
  });

  it('a send kept at the new path while the sends move there is kept; moves both ways at once both finish', async () => {
    const history = createHistory(dir);
    await history.record('webhooks/a.webhook.yaml', exchange(1));
    await history.record('webhooks/b.webhook.yaml', exchange(2));
    // The move writes b's index: a send recorded to b meanwhile waits its turn instead of being lost.
    await Promise.all([
      history.move('webhooks/a.webhook.yaml', 'webhooks/b.webhook.yaml'),
      history.record('webhooks/b.webhook.yaml', exchange(3)),
    ]);
    expect((await history.list('webhooks/b.webhook.yaml')).map((e) => e.totalMs).sort()).toEqual([5, 6, 7]);
    await history.record('webhooks/c.webhook.yaml', exchange(4));
    await Promise.all([
      history.move('webhooks/b.webhook.yaml', 'webhooks/c.webhook.yaml'),
      history.move('webhooks/c.webhook.yaml', 'webhooks/b.webhook.yaml'),
    ]);
    const all = [
      ...(await history.list('webhooks/b.webhook.yaml')),
      ...(await history.list('webhooks/c.webhook.yaml')),
    ];
    expect(all.map((e) => e.totalMs).sort()).toEqual([5, 6, 7, 8]);
  });

  it('a kept send that cannot be moved stops the merge and stays where it was, never deleted', async () => {
    const history = createHistory(dir);
    await history.record('webhooks/a.webhook.yaml', exchange(1));
    await history.record('webhooks/b.webhook.yaml', exchange(2));
    const [fromA] = await history.list('webhooks/a.webhook.yaml');
    const [atB] = await history.list('webhooks/b.webhook.yaml');
    const [keyA, localA] = (fromA?.id ?? '').split('~');
    const keyB = (atB?.id ?? '').split('~')[0] ?? '';
    // Where a's send would go in b's folder, something that is not a file stands.
    const root = path.join(dir, '.studio', 'history');
    await mkdir(path.join(root, keyB, `${localA}.json`, 'in-the-way'), { recursive: true });
    await expect(history.move('webhooks/a.webhook.yaml', 'webhooks/b.webhook.yaml')).rejects.toThrow();
    expect((await readdir(path.join(root, keyA ?? ''))).sort()).toContain(`${localA}.json`);
    expect((await history.get(fromA?.id ?? '')).id).toBe('send-1');
  });

  it('through the studio: rename and move keep the history reachable under the new path', async () => {
    await initCollection(dir).catch(() => undefined);
    const studio = createStudio({ shell: 'browser', userDataDir: path.join(work, 'user'), env: {}, version: '0.0.0' });
    try {
      const saved = await saveWebhook(dir, { webhook: hook('Enrich lead') });
      await createHistory(dir).record(saved.path, exchange(1));
      const renamed = await studio.handle('collection:rename', { dir, path: saved.path, name: 'Score lead' });
      expect(renamed.path).toBe('webhooks/score-lead.webhook.yaml');
      const listed = await studio.handle('history:list', { dir, webhookPath: renamed.path });
      expect(listed.entries.map((e) => e.totalMs)).toEqual([5]);
      const moved = await studio.handle('collection:move', {
        dir,
        from: renamed.path,
        to: 'webhooks/crm/score-lead.webhook.yaml',
      });
      const after = await studio.handle('history:list', { dir, webhookPath: moved.path });
      expect(after.entries.map((e) => e.totalMs)).toEqual([5]);
      expect((await studio.handle('history:get', { dir, id: after.entries[0]?.id ?? '' })).id).toBe('send-1');
      // A whole folder moved: each webhook's sends go with it.
      await studio.handle('collection:move', { dir, from: 'webhooks/crm', to: 'webhooks/sales/eu' });
      const inFolder = await studio.handle('history:list', {
        dir,
        webhookPath: 'webhooks/sales/eu/score-lead.webhook.yaml',
      });
      expect(inFolder.entries.map((e) => e.totalMs)).toEqual([5]);
      const clash = await studioErrorOf(studio.handle('collection:rename', { dir, path: moved.path, name: '' }));
      expect(clash.code).toBe('bad-input');
    } finally {
      await studio.close();
    }
  });
});
