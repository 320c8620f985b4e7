import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { collectionFile } from '@shared/formats/collection-names';

/** The folder itself, or a file's folder (a path that does not exist counts as a file). */
function folderOf(fileOrDir: string): string {
  const resolved = path.resolve(fileOrDir);
  try {
    return statSync(resolved).isDirectory() ? resolved : path.dirname(resolved);
  } catch {
    return path.dirname(resolved);
  }
}

/**
 * The collection a file or folder is in: the nearest folder up that holds collection.yaml, or undefined
 * outside any collection. Kept light (no YAML): the CLI asks it before deciding what else to load.
 */
export function collectionAround(fileOrDir: string): string | undefined {
  for (let dir = folderOf(fileOrDir); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, collectionFile))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The collection a file belongs to, else the file's own folder (where its .env would be). */
export function collectionRootOf(fileOrDir: string): string {
  return collectionAround(fileOrDir) ?? folderOf(fileOrDir);
}
