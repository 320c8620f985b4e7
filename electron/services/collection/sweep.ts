import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { stateDir } from '@shared/formats/collection-files';
import { parseTempName } from '../fs/private-files';
import { processAlive } from '../process/alive';

/**
 * A temp file this old is a leftover even when its pid is alive: pids are reused, and an atomic write
 * (a collection file is at most 4 MB) is over in well under a second.
 */
export const staleTempMs = 2 * 60_000;
/** The sweep of the state folder stops after this many entries: it is a tidy-up, not a scan. */
const maxStateEntries = 20_000;

/** Whether a temp file is a leftover of an interrupted write: its writer is gone, or it is old. */
async function isStale(abs: string, name: string, now: number): Promise<boolean> {
  const parsed = parseTempName(name);
  if (!parsed) return false;
  let info;
  try {
    info = await lstat(abs);
  } catch {
    return false;
  }
  if (!info.isFile()) return false;
  return !processAlive(parsed.pid) || now - info.mtimeMs > staleTempMs;
}

/**
 * Deletes the temp files interrupted saves left (`.<name>.<pid>.<rand>.tmp`) in the collection folder,
 * in the webhook and context folders (`seen`: found while listing them) and in the state folder, so
 * `git add -A` never stages them. Returns what was deleted, relative to `dir`. Never follows a link.
 */
export async function sweepTempFiles(dir: string, seen: string[] = []): Promise<string[]> {
  const now = Date.now();
  const removed: string[] = [];
  const consider = async (rel: string): Promise<void> => {
    const abs = path.join(dir, ...rel.split('/'));
    if (!(await isStale(abs, path.basename(abs), now))) return;
    try {
      await rm(abs, { force: true });
      removed.push(rel);
    } catch {
      // Cannot be removed (permissions): left for the user, like any file not the studio's own.
    }
  };
  const names = async (rel: string): Promise<{ name: string; dir: boolean }[]> => {
    try {
      const entries = await readdir(rel ? path.join(dir, ...rel.split('/')) : dir, { withFileTypes: true });
      return entries.map((e) => ({ name: e.name, dir: e.isDirectory() }));
    } catch {
      return [];
    }
  };
  for (const e of await names('')) if (!e.dir) await consider(e.name);
  for (const rel of seen) await consider(rel);
  // The state folder: history and run results, a few levels deep, walked without following links.
  let budget = maxStateEntries;
  const walk = async (rel: string, depth: number): Promise<void> => {
    for (const e of await names(rel)) {
      if (--budget < 0) return;
      const child = `${rel}/${e.name}`;
      if (e.dir) {
        if (depth < 4) await walk(child, depth + 1);
      } else await consider(child);
    }
  };
  await walk(stateDir, 1);
  return removed;
}
