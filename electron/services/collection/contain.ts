import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { StudioError } from '@shared/model/error';

/**
 * What is done with a path: a delete or the source of a move acts on a link itself (never on what it
 * points to), so a link as the last part is fine there as long as it is inside; anything else that
 * goes through a link must land inside the collection.
 */
export type PathUse = 'read' | 'write' | 'delete' | 'move-from' | 'move-to';

function lexicalCheck(rel: string): void {
  if (
    !rel ||
    rel.startsWith('/') ||
    rel.includes('\\') ||
    rel.includes('\0') ||
    rel.split('/').some((p) => p === '..' || p === '.' || p === '')
  ) {
    throw new StudioError({
      code: 'bad-input',
      message: `'${rel.replace(/\0/g, '\\0')}' is not a path inside the collection`,
      where: rel.replace(/\0/g, '\\0'),
    });
  }
  // One name longer than the file system takes fails at write time, half-way through a batch.
  const long = rel.split('/').find((p) => Buffer.byteLength(p) > 255);
  if (long)
    throw new StudioError({
      code: 'bad-input',
      message: `'${long.slice(0, 40)}…' in ${rel} is longer than 255 bytes, more than a file name can be`,
      where: rel,
    });
}

/** Resolves a collection-relative path by its words alone, refusing anything that would leave the folder. */
export function resolveInside(dir: string, rel: string): string {
  lexicalCheck(rel);
  return path.join(dir, ...rel.split('/'));
}

function isWithin(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : `${root}${path.sep}`);
}

function outside(rel: string, link: string, target: string | undefined, dir: string): StudioError {
  const to = target === undefined ? 'a path that does not exist' : target;
  return new StudioError({
    code: 'outside-collection',
    message: `${rel} leads outside the collection: ${link} is a link to ${to}. The studio reads, writes, moves and deletes only inside ${dir}; nothing was changed.`,
    where: rel,
  });
}

/**
 * Resolves `rel` inside the collection `dir` and checks, part by part on disk, that no symbolic link
 * on the way leads out of the collection's real folder (the collection folder itself may be reached
 * through a link). Returns the path to act on. Parts that do not exist yet are fine: they will be
 * made as plain folders under a checked one. A link whose target is missing is refused unless it is
 * the last part of a delete, which removes the link itself.
 */
export async function checkInside(dir: string, rel: string, use: PathUse): Promise<string> {
  const abs = resolveInside(dir, rel);
  let root: string;
  try {
    root = await realpath(dir);
  } catch {
    // No collection folder yet (an import making it): nothing under it can be a link.
    return abs;
  }
  const parts = rel.split('/');
  let cur = dir;
  for (let i = 0; i < parts.length; i++) {
    cur = path.join(cur, parts[i] as string);
    let info;
    try {
      info = await lstat(cur);
    } catch {
      return abs; // absent (or not under a folder): nothing further can lead anywhere
    }
    if (!info.isSymbolicLink()) continue;
    const last = i === parts.length - 1;
    const shown = parts.slice(0, i + 1).join('/');
    if (last && use === 'delete') return abs; // the link's own folder was checked above
    let target: string | undefined;
    try {
      target = await realpath(cur);
    } catch {
      target = undefined;
    }
    if (target === undefined || !isWithin(root, target)) throw outside(rel, shown, target, dir);
  }
  return abs;
}

/** Whether a path is there at all, without following a link at its end (a dangling link is there). */
export async function existsNoFollow(abs: string): Promise<boolean> {
  try {
    await lstat(abs);
    return true;
  } catch {
    return false;
  }
}
