import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deletePath, initCollection, openCollection, restoreFromTrash, sweepTrash } from '@services/collection/index';
import { trashDir, trashLimits } from '@services/collection/trash';
import { createStudio } from '@services/studio/index';
import { studioErrorOf } from '../../studio-error';

/** Delete moves into `.studio/trash/<id>/`, Undo moves back: real folders on a real disk. */
let work: string;
let dir: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'h3-trash-'));
  dir = path.join(work, 'c');
  await initCollection(dir);
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const gone = async (abs: string): Promise<boolean> =>
  lstat(abs).then(
    () => false,
    () => true,
  );

async function firstWebhook(): Promise<{ rel: string; abs: string; bytes: Buffer }> {
  const rel = (await openCollection(dir)).webhooks[0]!.path;
  const abs = path.join(dir, ...rel.split('/'));
  return { rel, abs, bytes: await readFile(abs) };
}

describe('the trash', () => {
  it('delete moves the file into the trash with its path recorded; restore puts it back byte for byte', async () => {
    const { rel, abs, bytes } = await firstWebhook();
    const { trashId } = await deletePath(dir, rel);
    expect(await gone(abs)).toBe(true);
    const entry = path.join(dir, trashDir, trashId);
    expect(await readFile(path.join(entry, 'item'))).toEqual(bytes);
    expect(JSON.parse(await readFile(path.join(entry, 'entry.json'), 'utf8'))).toMatchObject({ path: rel });
    expect((await openCollection(dir)).webhooks.some((w) => w.path === rel)).toBe(false);

    expect(await restoreFromTrash(dir, trashId)).toEqual({ path: rel });
    expect(await readFile(abs)).toEqual(bytes);
    expect(await gone(entry)).toBe(true);
    expect((await openCollection(dir)).webhooks.some((w) => w.path === rel)).toBe(true);
    expect((await studioErrorOf(restoreFromTrash(dir, trashId))).code).toBe('not-found');
  });

  it('a context and a whole webhook folder come back too', async () => {
    const snap = await openCollection(dir);
    const context = snap.contexts[0]!.path;
    const folder = snap.webhooks.find((w) => w.folder)!.folder;
    const inFolder = snap.webhooks.filter((w) => w.folder === folder).map((w) => w.path);
    const c = await deletePath(dir, context);
    const f = await deletePath(dir, `webhooks/${folder}`);
    expect((await openCollection(dir)).webhooks.some((w) => inFolder.includes(w.path))).toBe(false);
    await restoreFromTrash(dir, f.trashId);
    await restoreFromTrash(dir, c.trashId);
    const after = await openCollection(dir);
    expect(after.contexts.map((x) => x.path)).toContain(context);
    expect(after.webhooks.filter((w) => w.folder === folder).map((w) => w.path)).toEqual(inFolder);
  });

  it('restore over a path taken meanwhile is refused, naming it, and neither file is lost', async () => {
    const { rel, abs, bytes } = await firstWebhook();
    const { trashId } = await deletePath(dir, rel);
    await writeFile(abs, 'name: Made since\nurl: https://example.com/\n');
    const err = await studioErrorOf(restoreFromTrash(dir, trashId));
    expect(err).toMatchObject({ code: 'conflict', where: rel });
    expect(err.message).toContain(rel);
    expect(err.message).toContain(`${trashDir}/${trashId}/item`);
    expect(await readFile(abs, 'utf8')).toContain('Made since');
    expect(await readFile(path.join(dir, trashDir, trashId, 'item'))).toEqual(bytes);
    await rm(abs);
    await restoreFromTrash(dir, trashId);
    expect(await readFile(abs)).toEqual(bytes);
  });

  it('a trash id that is not one, or names another path, is refused', async () => {
    for (const id of ['../../webhooks', 'x', ''])
      expect((await studioErrorOf(restoreFromTrash(dir, id))).code).toBe('bad-input');
  });

  it('deleting a link moves the link; its target is never touched', async () => {
    const outside = path.join(work, 'outside.webhook.yaml');
    await writeFile(outside, 'name: Outside\nurl: https://outside.example/\n');
    const link = path.join(dir, 'webhooks', 'leak.webhook.yaml');
    await symlink(outside, link);
    const { trashId } = await deletePath(dir, 'webhooks/leak.webhook.yaml');
    expect(await gone(link)).toBe(true);
    expect((await lstat(path.join(dir, trashDir, trashId, 'item'))).isSymbolicLink()).toBe(true);
    expect(await readFile(outside, 'utf8')).toContain('Outside');
    await restoreFromTrash(dir, trashId);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it.skipIf(process.platform === 'win32')(
    'a trash that leads out of the collection is refused for a delete',
    async () => {
      const { rel, abs, bytes } = await firstWebhook();
      await mkdir(path.join(work, 'elsewhere'));
      await rm(path.join(dir, '.studio'), { recursive: true, force: true });
      await symlink(path.join(work, 'elsewhere'), path.join(dir, '.studio'));
      expect((await studioErrorOf(deletePath(dir, rel))).code).toBe('outside-collection');
      expect(await readFile(abs)).toEqual(bytes);
      expect(await readdir(path.join(work, 'elsewhere'))).toEqual([]);
    },
  );

  it('the sweep removes entries older than the limit and beyond the newest few', async () => {
    const { rel, abs } = await firstWebhook();
    const ids: string[] = [];
    for (let i = 0; i < trashLimits.maxEntries + 3; i++) {
      await writeFile(abs, `name: Copy ${String(i)}\nurl: https://example.com/\n`);
      ids.push((await deletePath(dir, rel)).trashId);
      // Ids of one millisecond may tie; the record's time decides the order.
      await new Promise((r) => setTimeout(r, 2));
    }
    const left = await readdir(path.join(dir, trashDir));
    expect(left).toHaveLength(trashLimits.maxEntries);
    expect(left.sort()).toEqual(ids.slice(3).sort());
    // An hour from now every entry is too old.
    expect((await sweepTrash(dir, Date.now() + 60 * 60_000)).sort()).toEqual(ids.slice(3).sort());
    expect(await readdir(path.join(dir, trashDir))).toEqual([]);
  });

  it('an entry whose record was lost goes by the age of its folder', async () => {
    const { rel } = await firstWebhook();
    const { trashId } = await deletePath(dir, rel);
    const entry = path.join(dir, trashDir, trashId);
    await rm(path.join(entry, 'entry.json'));
    expect(await sweepTrash(dir)).toEqual([]);
    const old = new Date(Date.now() - trashLimits.maxAgeMs - 60_000);
    await utimes(entry, old, old);
    expect(await sweepTrash(dir)).toEqual([trashId]);
  });

  it('through the studio channels: delete gives the trash id, restore takes it, open sweeps', async () => {
    const studio = createStudio({ shell: 'browser', userDataDir: path.join(work, 'user'), env: {}, version: '0.0.0' });
    try {
      const { rel, abs, bytes } = await firstWebhook();
      const { trashId } = await studio.handle('collection:delete', { dir, path: rel });
      expect(await studio.handle('collection:restore', { dir, trashId })).toEqual({ path: rel });
      expect(await readFile(abs)).toEqual(bytes);
      const again = await studio.handle('collection:delete', { dir, path: rel });
      const old = new Date(Date.now() - trashLimits.maxAgeMs - 60_000);
      await writeFile(
        path.join(dir, trashDir, again.trashId, 'entry.json'),
        JSON.stringify({ path: rel, deletedAt: old.getTime() }),
      );
      await studio.handle('collection:open', { dir });
      expect(await gone(path.join(dir, trashDir, again.trashId))).toBe(true);
    } finally {
      await studio.close();
    }
  });
});
