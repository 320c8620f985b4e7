import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { activeWatchCount, initCollection, openCollection, watchCollection } from '@services/collection/index';
import { watchLimits } from '@services/collection/watch';
import { createStudio, type Studio } from '@services/studio/index';
import { studioErrorOf } from '../../studio-error';

let work: string;
let studio: Studio;
const changed: { dir: string; paths: string[] }[] = [];

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'h3-open-'));
  changed.length = 0;
  studio = createStudio({ shell: 'browser', userDataDir: path.join(work, 'user'), env: {}, version: '0.0.0' });
  studio.on('collection:changed', (p) => changed.push(p));
});
afterEach(async () => {
  await studio.close();
  await rm(work, { recursive: true, force: true });
});

/** The longest a 5 ms timer fired late while `fn` ran: how long the event loop was blocked. */
async function worstTimerLag<T>(
  fn: () => Promise<T>,
): Promise<{ result: T | undefined; error: unknown; lagMs: number }> {
  let worst = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  try {
    return { result: await fn(), error: undefined, lagMs: worst };
  } catch (error) {
    return { result: undefined, error, lagMs: worst };
  } finally {
    clearInterval(probe);
  }
}

describe('opening a folder that is not a collection', () => {
  it.skipIf(!existsSync('/usr/lib'))(
    '/usr is refused at once, saying what is missing and how to make one; nothing is watched',
    async () => {
      const before = activeWatchCount();
      const started = performance.now();
      const { error, lagMs } = await worstTimerLag(() => studio.handle('collection:open', { dir: '/usr' }));
      const tookMs = performance.now() - started;
      expect(error).toMatchObject({ code: 'not-a-collection', where: '/usr' });
      expect((error as Error).message).toContain('no collection.yaml');
      expect((error as Error).message).toContain('webhook-studio init');
      expect(tookMs).toBeLessThan(500);
      expect(lagMs).toBeLessThan(100);
      expect(activeWatchCount()).toBe(before);
      expect(await studio.handle('collection:recent', {})).toEqual({ dirs: [] });
    },
  );

  it('an empty folder is refused the same way; init makes it one', async () => {
    const empty = path.join(work, 'empty');
    await mkdir(empty);
    expect((await studioErrorOf(openCollection(empty))).code).toBe('not-a-collection');
    await studio.handle('collection:init', { dir: empty });
    expect((await openCollection(empty)).webhooks.length).toBeGreaterThan(0);
  });
});

describe('watching a collection', () => {
  it('opening B stops watching A: every watch of A is given back, and A’s edits are no longer reported', async () => {
    const a = path.join(work, 'a');
    const b = path.join(work, 'b');
    await initCollection(a);
    await initCollection(b);
    const base = activeWatchCount();
    const snapA = await studio.handle('collection:open', { dir: a });
    // a: the folder, webhooks/ and its 3 subfolders, contexts/ (walked asynchronously, so wait for it)
    await vi.waitFor(() => expect(activeWatchCount() - base).toBe(6));
    await studio.handle('collection:open', { dir: b });
    await vi.waitFor(() => expect(activeWatchCount() - base).toBe(6));
    const fileA = path.join(a, ...snapA.webhooks[0]!.path.split('/'));
    await writeFile(fileA, `${await readFile(fileA, 'utf8')}# edited in A\n`);
    const fileB = path.join(b, 'contexts', 'plain-lead.context.yaml');
    await writeFile(fileB, `${await readFile(fileB, 'utf8')}# edited in B\n`);
    await vi.waitFor(() => expect(changed.some((c) => c.dir === b)).toBe(true), { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(changed.filter((c) => c.dir === a)).toEqual([]);
    await studio.close();
    expect(activeWatchCount()).toBe(base);
  });

  it('watches only the collection’s own folders, bounded, without blocking: a big tree beside them costs nothing', async () => {
    const dir = path.join(work, 'big');
    await initCollection(dir);
    // 3,000 folders at the top (a node_modules, say) and a deep chain under webhooks/.
    for (let i = 0; i < 3000; i++) await mkdir(path.join(dir, 'node_modules', `p${i}`), { recursive: true });
    let deep = path.join(dir, 'webhooks');
    for (let i = 0; i < watchLimits.maxDepth + 10; i++) deep = path.join(deep, `d${i}`);
    await mkdir(deep, { recursive: true });
    const base = activeWatchCount();
    const { lagMs, result: stop } = await worstTimerLag(async () => watchCollection(dir, () => undefined));
    await vi.waitFor(() => expect(activeWatchCount() - base).toBeGreaterThan(6));
    await new Promise((r) => setTimeout(r, 200));
    const count = activeWatchCount() - base;
    expect(count).toBeLessThanOrEqual(watchLimits.maxDepth + 6);
    expect(lagMs).toBeLessThan(100);
    stop!();
    expect(activeWatchCount()).toBe(base);
  });

  it('a folder made under webhooks/ after opening is watched too, and given back when deleted', async () => {
    const dir = path.join(work, 'grow');
    await initCollection(dir);
    const seen: string[] = [];
    const base = activeWatchCount();
    const stop = watchCollection(dir, (paths) => seen.push(...paths));
    try {
      await vi.waitFor(() => expect(activeWatchCount() - base).toBe(6));
      await mkdir(path.join(dir, 'webhooks', 'later'));
      await vi.waitFor(() => expect(activeWatchCount() - base).toBe(7));
      await writeFile(path.join(dir, 'webhooks', 'later', 'x.webhook.yaml'), 'name: X\nurl: https://x.example/\n');
      await vi.waitFor(() => expect(seen).toContain('webhooks/later/x.webhook.yaml'));
      await rm(path.join(dir, 'webhooks', 'later'), { recursive: true });
      await vi.waitFor(() => expect(activeWatchCount() - base).toBe(6));
    } finally {
      stop();
    }
  });
});

describe('leftovers of interrupted saves', () => {
  it('opening sweeps temp files of dead writers and old ones, and keeps a live writer’s fresh one', async () => {
    const { utimes } = await import('node:fs/promises');
    const dir = path.join(work, 'tmp-sweep');
    await initCollection(dir);
    // A pid that is surely not running: above the kernel's pid limit.
    const deadPid = 4_194_999;
    const dead = [
      `.collection.yaml.${deadPid}.0a1b2c3d.tmp`,
      `webhooks/enrichment/.enrich-lead.webhook.yaml.${deadPid}.deadbeef.tmp`,
      `contexts/.plain-lead.context.yaml.${deadPid}.01234567.tmp`,
      `.studio/history/k-1/.index.json.${deadPid}.89abcdef.tmp`,
    ];
    const old = `webhooks/.old.webhook.yaml.${process.pid}.aaaaaaaa.tmp`;
    const live = `webhooks/.live.webhook.yaml.${process.pid}.bbbbbbbb.tmp`;
    const notOurs = 'webhooks/.notes.tmp';
    for (const rel of [...dead, old, live, notOurs]) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), 'half a save');
    }
    const anHourAgo = new Date(Date.now() - 3600_000);
    await utimes(path.join(dir, old), anHourAgo, anHourAgo);
    await openCollection(dir);
    for (const rel of [...dead, old]) expect([rel, existsSync(path.join(dir, rel))]).toEqual([rel, false]);
    expect(existsSync(path.join(dir, live))).toBe(true);
    expect(existsSync(path.join(dir, notOurs))).toBe(true);
  });
});
