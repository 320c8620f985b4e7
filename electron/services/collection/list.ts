import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { type FileProblem } from '@shared/model';
import { isTempName } from './disk';

/** Deeper than this, a webhook folder is surely not made by hand: the walk stops there and says so. */
export const maxFolderDepth = 32;

/**
 * Every file under `sub` (relative paths with `/`), skipping dot-folders and temp files. Links are
 * never followed (a link could lead out of the collection, or round in a loop): each one met is
 * reported in `problems` and left out.
 */
export async function listFiles(
  dir: string,
  sub: string,
  problems?: FileProblem[],
  temps?: string[],
): Promise<string[]> {
  const out: string[] = [];
  try {
    if ((await lstat(path.join(dir, ...sub.split('/')))).isSymbolicLink()) {
      problems?.push({
        file: sub,
        code: 'symlink-skipped',
        message: `${sub} is a symbolic link: the studio does not follow links in a collection, so nothing in it was loaded`,
      });
      return out;
    }
  } catch {
    return out;
  }
  const walk = async (rel: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(dir, ...rel.split('/')), { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw e;
    }
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (isTempName(entry.name) && entry.isFile()) temps?.push(child);
      if (entry.name.startsWith('.') || isTempName(entry.name)) continue;
      if (entry.isDirectory()) {
        if (depth >= maxFolderDepth)
          problems?.push({
            file: child,
            code: 'too-deep',
            message: `${child} is more than ${maxFolderDepth} folders deep: it was not read`,
          });
        else await walk(child, depth + 1);
      } else if (entry.isFile()) out.push(child);
      else if (entry.isSymbolicLink()) {
        problems?.push({
          file: child,
          code: 'symlink-skipped',
          message: `${child} is a symbolic link: the studio does not follow links in a collection, so it was not loaded`,
        });
      }
    }
  };
  await walk(sub, 1);
  return out.sort();
}

export async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
