import { access, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { StudioError } from '@shared/model/error';
import { type CollectionSnapshot } from '@shared/contract';
import { writeFileAtomic } from './disk';
import { sampleFiles } from './sample';
import { openCollection } from './open';

/**
 * Makes `dir` (and its parents) as a folder, or says in one line why it cannot be one: a file is in
 * the way, or the folder cannot be made.
 */
async function makeFolder(dir: string): Promise<void> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory())
      throw new StudioError({
        code: 'bad-input',
        message: `${dir} is a file, not a folder: a collection is made in a folder`,
        where: dir,
      });
    return;
  } catch (e) {
    if (e instanceof StudioError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      throw new StudioError({
        code: code === 'ENOTDIR' ? 'bad-input' : 'cannot-write',
        message: `cannot make a collection at ${dir}: ${code === 'ENOTDIR' ? 'a file is in the way on its path' : (code ?? String(e))}`,
        where: dir,
      });
    }
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a file is in the way on its path'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (code ?? String(e));
    throw new StudioError({
      code: code === 'ENOTDIR' || code === 'EEXIST' ? 'bad-input' : 'cannot-write',
      message: `cannot make the folder ${dir}: ${why}`,
      where: dir,
    });
  }
}

async function refuseExisting(dir: string, rels: string[]): Promise<void> {
  const present: string[] = [];
  for (const rel of rels) {
    try {
      await access(path.join(dir, ...rel.split('/')));
      present.push(rel);
    } catch {
      // absent: will be written
    }
  }
  if (present.length) {
    throw new StudioError({
      code: 'conflict',
      message: `${dir} already holds ${present.join(', ')}; init writes only into a folder without these files`,
      where: dir,
    });
  }
}

/**
 * Creates the sample collection in `dir` (created if missing). Refuses, changing nothing, when any
 * of its files already exists there: init never overwrites a collection.
 */
export async function initCollection(dir: string): Promise<CollectionSnapshot> {
  await makeFolder(dir);
  await refuseExisting(dir, Object.keys(sampleFiles));
  for (const [rel, text] of Object.entries(sampleFiles)) await writeFileAtomic(path.join(dir, ...rel.split('/')), text);
  return openCollection(dir);
}
