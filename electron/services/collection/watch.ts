import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { contextsDir, kindOfPath, webhooksDir } from '@shared/formats/collection-files';
import { folderMark, ownVersion, versionOf } from './disk';

/** Editors and `git pull` touch a file several times in a row; one report per burst is enough. */
const debounceMs = 120;
/**
 * At most this many folders are watched per collection (one OS watch each), and no deeper than this:
 * far more than a collection made by hand, far less than a tree like /usr (135,000 watches), which
 * Node's own recursive watch would walk synchronously, blocking everything for seconds.
 */
export const watchLimits = { maxFolders: 2000, maxDepth: 32 };

/** OS watches open right now across every watched collection: what a closed collection must give back. */
let openWatches = 0;
export function activeWatchCount(): number {
  return openWatches;
}

/**
 * Reports collection files changed by other programs (editors, git), in bursts. Writes made by this
 * process are recognised by content and left out, so a save in the app does not echo back as an
 * outside change. Only the collection's own folders are watched (the folder itself, `contexts/`, and
 * `webhooks/` with its subfolders, found by an asynchronous, bounded walk that never follows a link).
 * Returns a function that stops watching and gives back every OS watch.
 */
export function watchCollection(dir: string, onChange: (paths: string[]) => void): () => void {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const watchers = new Map<string, FSWatcher>();

  const flush = async (): Promise<void> => {
    timer = undefined;
    const paths = [...pending].sort();
    pending.clear();
    const outside: string[] = [];
    for (const rel of paths) {
      const abs = path.join(dir, ...rel.split('/'));
      const mine = ownVersion(abs);
      let now: string | null;
      try {
        now = (await stat(abs)).isDirectory() ? folderMark : versionOf(await readFile(abs, 'utf8'));
      } catch {
        now = null;
      }
      if (mine !== undefined && mine === now) continue;
      outside.push(rel);
    }
    if (outside.length && !closed) onChange(outside);
  };

  const note = (rel: string): void => {
    if (closed) return;
    if (!kindOfPath(rel) && !rel.startsWith(`${webhooksDir}/`) && !rel.startsWith(`${contextsDir}/`)) return;
    if (rel.split('/').some((part) => part.startsWith('.'))) return;
    pending.add(rel);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void flush(), debounceMs);
  };

  const unwatch = (rel: string): void => {
    for (const [key, w] of watchers) {
      if (key === rel || key.startsWith(`${rel}/`)) {
        w.close();
        watchers.delete(key);
        openWatches--;
      }
    }
  };

  /** Watches one folder (relative to `dir`, '' for the folder itself), without descending. */
  const watchOne = (rel: string): boolean => {
    if (closed || watchers.has(rel)) return false;
    if (watchers.size >= watchLimits.maxFolders) return false;
    let w: FSWatcher;
    try {
      const abs = rel ? path.join(dir, ...rel.split('/')) : dir;
      w = watch(abs, (_event, filename) => {
        if (!filename) return;
        const child = rel ? `${rel}/${filename.toString()}` : filename.toString();
        if (rel && filename.toString() === path.basename(abs)) {
          // A watched folder that is moved or deleted reports its own name: that is a change of the
          // folder (seen from its parent's watch too), not of a file inside named like it.
          void lstat(abs).then(
            () => note(child),
            () => unwatch(rel),
          );
          return;
        }
        note(child);
        // A folder that appears under webhooks/ (made, moved or pulled in) is watched from now on.
        if (child === webhooksDir || child === contextsDir || child.startsWith(`${webhooksDir}/`)) void follow(child);
      });
    } catch {
      return false; // gone already, or not readable: nothing to watch
    }
    w.on('error', () => unwatch(rel));
    watchers.set(rel, w);
    openWatches++;
    return true;
  };

  /** Watches `rel` and its subfolders (webhooks/ only has subfolders), walking asynchronously. */
  const follow = async (rel: string): Promise<void> => {
    let info;
    try {
      info = await lstat(path.join(dir, ...rel.split('/')));
    } catch {
      unwatch(rel); // deleted or moved away: give its watches back
      return;
    }
    if (!info.isDirectory() || closed) return; // a link is never followed
    const depth = rel.split('/').length;
    if (depth > watchLimits.maxDepth) return;
    watchOne(rel);
    if (rel === contextsDir) return;
    let entries;
    try {
      entries = await readdir(path.join(dir, ...rel.split('/')), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (closed || watchers.size >= watchLimits.maxFolders) return;
      if (entry.isDirectory() && !entry.name.startsWith('.')) await follow(`${rel}/${entry.name}`);
    }
  };

  watchOne('');
  void follow(webhooksDir);
  void follow(contextsDir);

  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    unwatch('');
    for (const key of [...watchers.keys()]) unwatch(key);
  };
}
