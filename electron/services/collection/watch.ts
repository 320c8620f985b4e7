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

/** One watched collection: its OS watches, the changes waiting for the burst to end, and whether it was closed. */
interface Watching {
  dir: string;
  onChange: (paths: string[]) => void;
  pending: Set<string>;
  timer: NodeJS.Timeout | undefined;
  closed: boolean;
  watchers: Map<string, FSWatcher>;
}

/** Reports the burst's paths that another program changed (not this process's own writes). */
async function flush(w: Watching): Promise<void> {
  w.timer = undefined;
  const paths = [...w.pending].sort();
  w.pending.clear();
  const outside: string[] = [];
  for (const rel of paths) {
    const abs = path.join(w.dir, ...rel.split('/'));
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
  if (outside.length && !isClosed(w)) w.onChange(outside);
}

/** Read through a call, so a check after an `await` sees a close made meanwhile. */
function isClosed(w: Watching): boolean {
  return w.closed;
}

/** Notes a changed path that belongs to the collection; the burst is reported once it ends. */
function note(w: Watching, rel: string): void {
  if (w.closed) return;
  if (!kindOfPath(rel) && !rel.startsWith(`${webhooksDir}/`) && !rel.startsWith(`${contextsDir}/`)) return;
  if (rel.split('/').some((part) => part.startsWith('.'))) return;
  w.pending.add(rel);
  if (w.timer) clearTimeout(w.timer);
  w.timer = setTimeout(() => void flush(w), debounceMs);
}

/** Gives back the watches of `rel` and every folder under it. */
function unwatch(w: Watching, rel: string): void {
  for (const [key, watcher] of w.watchers) {
    if (key === rel || key.startsWith(`${rel}/`)) {
      watcher.close();
      w.watchers.delete(key);
      openWatches--;
    }
  }
}

/** What one folder's watch does with a name it reports. */
function onEvent(w: Watching, rel: string, abs: string, filename: string | null): void {
  if (!filename) return;
  const child = rel ? `${rel}/${filename}` : filename;
  if (rel && filename === path.basename(abs)) {
    // A watched folder that is moved or deleted reports its own name: that is a change of the
    // folder (seen from its parent's watch too), not of a file inside named like it.
    void lstat(abs).then(
      () => {
        note(w, child);
      },
      () => {
        unwatch(w, rel);
      },
    );
    return;
  }
  note(w, child);
  // A folder that appears under webhooks/ (made, moved or pulled in) is watched from now on.
  if (child === webhooksDir || child === contextsDir || child.startsWith(`${webhooksDir}/`)) void follow(w, child);
}

/** Watches one folder (relative to `dir`, '' for the folder itself), without descending. */
function watchOne(w: Watching, rel: string): boolean {
  if (w.closed || w.watchers.has(rel)) return false;
  if (w.watchers.size >= watchLimits.maxFolders) return false;
  let watcher: FSWatcher;
  try {
    const abs = rel ? path.join(w.dir, ...rel.split('/')) : w.dir;
    watcher = watch(abs, (_event, filename) => {
      onEvent(w, rel, abs, filename);
    });
  } catch {
    return false; // gone already, or not readable: nothing to watch
  }
  watcher.on('error', () => {
    unwatch(w, rel);
  });
  w.watchers.set(rel, watcher);
  openWatches++;
  return true;
}

/** Watches `rel` and its subfolders (webhooks/ only has subfolders), walking asynchronously. */
async function follow(w: Watching, rel: string): Promise<void> {
  let info;
  try {
    info = await lstat(path.join(w.dir, ...rel.split('/')));
  } catch {
    unwatch(w, rel); // deleted or moved away: give its watches back
    return;
  }
  if (!info.isDirectory() || isClosed(w)) return; // a link is never followed
  const depth = rel.split('/').length;
  if (depth > watchLimits.maxDepth) return;
  watchOne(w, rel);
  if (rel === contextsDir) return;
  let entries;
  try {
    entries = await readdir(path.join(w.dir, ...rel.split('/')), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (isClosed(w) || w.watchers.size >= watchLimits.maxFolders) return;
    if (entry.isDirectory() && !entry.name.startsWith('.')) await follow(w, `${rel}/${entry.name}`);
  }
}

/**
 * Reports collection files changed by other programs (editors, git), in bursts. Writes made by this
 * process are recognised by content and left out, so a save in the app does not echo back as an
 * outside change. Only the collection's own folders are watched (the folder itself, `contexts/`, and
 * `webhooks/` with its subfolders, found by an asynchronous, bounded walk that never follows a link).
 * Returns a function that stops watching and gives back every OS watch.
 */
export function watchCollection(dir: string, onChange: (paths: string[]) => void): () => void {
  const w: Watching = { dir, onChange, pending: new Set(), timer: undefined, closed: false, watchers: new Map() };
  watchOne(w, '');
  void follow(w, webhooksDir);
  void follow(w, contextsDir);

  return () => {
    w.closed = true;
    if (w.timer) clearTimeout(w.timer);
    unwatch(w, '');
    for (const key of [...w.watchers.keys()]) unwatch(w, key);
  };
}
