import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { kindOfPath } from '../../../shared/formats/collection-files';
import { folderMark, ownVersion, versionOf } from './disk';

/** Editors and `git pull` touch a file several times in a row; one report per burst is enough. */
const debounceMs = 120;

/**
 * Reports collection files changed by other programs (editors, git), in bursts. Writes made by this
 * process are recognised by content and left out, so a save in the app does not echo back as an
 * outside change. Returns a function that stops watching.
 */
export function watchCollection(dir: string, onChange: (paths: string[]) => void): () => void {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let watcher: FSWatcher | undefined;

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
    if (!kindOfPath(rel) && !rel.startsWith('webhooks/') && !rel.startsWith('contexts/')) return;
    if (rel.split('/').some((part) => part.startsWith('.'))) return;
    pending.add(rel);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void flush(), debounceMs);
  };

  try {
    watcher = watch(dir, { recursive: true }, (_event, filename) => {
      if (!filename) return;
      note(filename.toString().split(path.sep).join('/'));
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    watcher?.close();
  };
}
