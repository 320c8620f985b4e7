import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deletePath,
  fmtCollection,
  initCollection,
  movePath,
  openCollection,
  saveContext,
  saveWebhook,
} from '@services/collection/index';
import { createStudio } from '@services/studio/index';
import { studioErrorOf } from '../../studio-error';

/**
 * A collection must never reach outside its folder through a symbolic link: not to write, read, move
 * or delete. Real links on a real disk, to folders and files, in the middle of paths and dangling.
 */
let work: string;
let dir: string;
let outside: string;

const webhook = { name: 'Through a link', url: 'https://example.com/hook', encoding: 'json' as const, template: '{}' };

/** Every file under a folder with its bytes (links listed as links), to show nothing changed. */
async function tree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of await readdir(root, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(root, path.join(f.parentPath, f.name));
    if (f.isSymbolicLink()) out.set(rel, '<link>');
    else if (f.isFile()) out.set(rel, await readFile(path.join(root, rel), 'utf8'));
    else if (f.isDirectory()) out.set(rel, '<dir>');
  }
  return out;
}

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'h3-links-'));
  dir = path.join(work, 'c');
  outside = path.join(work, 'outside');
  await initCollection(dir);
  await mkdir(path.join(outside, 'sub'), { recursive: true });
  await writeFile(path.join(outside, 'sub', 'keep.txt'), 'precious');
  await writeFile(path.join(outside, 'secret.webhook.yaml'), 'name: Outside\nurl: https://outside.example/\n');
  await symlink(outside, path.join(dir, 'webhooks', 'linkdir'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('a link inside a collection never leads out of it', () => {
  it('save through a folder link is refused, naming the link, and nothing is written outside', async () => {
    const before = await tree(outside);
    for (const save of [
      () => saveWebhook(dir, { path: 'webhooks/linkdir/new.webhook.yaml', webhook }),
      () => saveWebhook(dir, { folder: 'linkdir', webhook }),
      () => saveWebhook(dir, { folder: 'linkdir/deeper', webhook }),
    ]) {
      const err = await studioErrorOf(save());
      expect(err.code).toBe('outside-collection');
      expect(err.message).toContain('webhooks/linkdir is a link to');
      expect(err.message).toContain('nothing was changed');
    }
    expect(await tree(outside)).toEqual(before);
  });

  it('delete inside a folder link is refused; deleting the link removes the link only', async () => {
    const err = await studioErrorOf(deletePath(dir, 'webhooks/linkdir/sub'));
    expect(err).toMatchObject({ code: 'outside-collection', where: 'webhooks/linkdir/sub' });
    expect(await readFile(path.join(outside, 'sub', 'keep.txt'), 'utf8')).toBe('precious');
    await deletePath(dir, 'webhooks/linkdir');
    await expect(lstat(path.join(dir, 'webhooks', 'linkdir'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(path.join(outside, 'sub', 'keep.txt'), 'utf8')).toBe('precious');
  });

  it('a link to a file outside: delete removes the link, save and move are refused, open does not read it', async () => {
    const link = path.join(dir, 'webhooks', 'leak.webhook.yaml');
    await symlink(path.join(outside, 'secret.webhook.yaml'), link);
    const snap = await openCollection(dir);
    expect(snap.webhooks.some((w) => w.webhook.name === 'Outside')).toBe(false);
    expect(snap.problems).toContainEqual(
      expect.objectContaining({ file: 'webhooks/leak.webhook.yaml', code: 'symlink-skipped' }),
    );
    expect((await studioErrorOf(saveWebhook(dir, { path: 'webhooks/leak.webhook.yaml', webhook }))).code).toBe(
      'outside-collection',
    );
    expect((await studioErrorOf(movePath(dir, 'webhooks/leak.webhook.yaml', 'webhooks/mine.webhook.yaml'))).code).toBe(
      'outside-collection',
    );
    await deletePath(dir, 'webhooks/leak.webhook.yaml');
    expect(await lstat(link).catch(() => undefined)).toBeUndefined();
    expect(await readFile(path.join(outside, 'secret.webhook.yaml'), 'utf8')).toContain('Outside');
  });

  it('move never pulls an outside file in, nor pushes a collection file out', async () => {
    const before = await tree(outside);
    const pull = await studioErrorOf(
      movePath(dir, 'webhooks/linkdir/secret.webhook.yaml', 'webhooks/stolen.webhook.yaml'),
    );
    expect(pull.code).toBe('outside-collection');
    const snap = await openCollection(dir);
    const mine = snap.webhooks[0]!.path;
    const push = await studioErrorOf(movePath(dir, mine, 'webhooks/linkdir/pushed.webhook.yaml'));
    expect(push.code).toBe('outside-collection');
    const folder = await studioErrorOf(movePath(dir, 'webhooks/enrichment', 'webhooks/linkdir/enrichment'));
    expect(folder.code).toBe('outside-collection');
    expect(await tree(outside)).toEqual(before);
    expect((await openCollection(dir)).webhooks.map((w) => w.path)).toEqual(snap.webhooks.map((w) => w.path));
  });

  it('a link in the middle of a path (webhooks/ itself, a context folder) is refused too', async () => {
    const dir2 = path.join(work, 'c2');
    await initCollection(dir2);
    await rm(path.join(dir2, 'contexts'), { recursive: true });
    await mkdir(path.join(outside, 'contexts'));
    await symlink(path.join(outside, 'contexts'), path.join(dir2, 'contexts'));
    const err = await studioErrorOf(saveContext(dir2, { context: { name: 'Anyone' } }));
    expect(err.code).toBe('outside-collection');
    expect(err.message).toContain('contexts is a link to');
    expect(await readdir(path.join(outside, 'contexts'))).toEqual([]);
    const snap = await openCollection(dir2);
    expect(snap.contexts).toEqual([]);
    expect(snap.problems).toContainEqual(expect.objectContaining({ file: 'contexts', code: 'symlink-skipped' }));
  });

  it('a dangling link is refused for a write, and removed (only the link) by a delete', async () => {
    await symlink(path.join(outside, 'not-there'), path.join(dir, 'webhooks', 'dangling'));
    const err = await studioErrorOf(saveWebhook(dir, { path: 'webhooks/dangling/x.webhook.yaml', webhook }));
    expect(err.code).toBe('outside-collection');
    expect(err.message).toContain('does not exist');
    await expect(lstat(path.join(outside, 'not-there'))).rejects.toMatchObject({ code: 'ENOENT' });
    await deletePath(dir, 'webhooks/dangling');
    await expect(lstat(path.join(dir, 'webhooks', 'dangling'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('collection.yaml linked to a file outside is not read, and fmt does not rewrite it', async () => {
    await writeFile(path.join(outside, 'private.yaml'), 'name: Private name\n');
    await rm(path.join(dir, 'collection.yaml'));
    await symlink(path.join(outside, 'private.yaml'), path.join(dir, 'collection.yaml'));
    const snap = await openCollection(dir);
    expect(snap.name).not.toBe('Private name');
    expect(snap.problems).toContainEqual(
      expect.objectContaining({ file: 'collection.yaml', code: 'outside-collection' }),
    );
    const fmt = await fmtCollection(dir);
    expect(fmt.changed).not.toContain('collection.yaml');
    expect(await readFile(path.join(outside, 'private.yaml'), 'utf8')).toBe('name: Private name\n');
  });

  it('a link that stays inside works, and the collection folder itself may be reached through a link', async () => {
    const via = path.join(work, 'via');
    await symlink(dir, via);
    await symlink(path.join(dir, 'webhooks', 'enrichment'), path.join(dir, 'webhooks', 'alias'));
    const saved = await saveWebhook(via, { path: 'webhooks/alias/through-alias.webhook.yaml', webhook });
    expect(saved.path).toBe('webhooks/alias/through-alias.webhook.yaml');
    expect(await readFile(path.join(dir, 'webhooks', 'enrichment', 'through-alias.webhook.yaml'), 'utf8')).toContain(
      'Through a link',
    );
    const snap = await openCollection(via);
    expect(snap.webhooks.some((w) => w.path === 'webhooks/enrichment/through-alias.webhook.yaml')).toBe(true);
    await movePath(via, 'webhooks/enrichment/through-alias.webhook.yaml', 'webhooks/moved.webhook.yaml');
    await deletePath(via, 'webhooks/moved.webhook.yaml');
    expect((await openCollection(via)).webhooks.some((w) => w.webhook.name === 'Through a link')).toBe(false);
  });

  it('through the studio channels too: the refusal crosses the boundary as a code, a message and where', async () => {
    const studio = createStudio({ shell: 'browser', userDataDir: path.join(work, 'user'), env: {}, version: '0.0.0' });
    try {
      const del = await studioErrorOf(studio.handle('collection:delete', { dir, path: 'webhooks/linkdir/sub' }));
      expect(del).toMatchObject({ code: 'outside-collection', where: 'webhooks/linkdir/sub' });
      const save = await studioErrorOf(studio.handle('collection:saveWebhook', { dir, folder: 'linkdir', webhook }));
      expect(save.code).toBe('outside-collection');
      const move = await studioErrorOf(
        studio.handle('collection:move', {
          dir,
          from: 'webhooks/linkdir/secret.webhook.yaml',
          to: 'webhooks/in.webhook.yaml',
        }),
      );
      expect(move.code).toBe('outside-collection');
      expect(await readFile(path.join(outside, 'sub', 'keep.txt'), 'utf8')).toBe('precious');
      expect(await readdir(outside)).toEqual(['secret.webhook.yaml', 'sub']);
    } finally {
      await studio.close();
    }
  });
});
