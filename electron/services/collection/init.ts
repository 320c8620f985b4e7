import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { StudioError, type CollectionSnapshot } from '../../../shared/contract';
import { writeFileAtomic } from './disk';
import { sampleFiles } from './sample';
import { openCollection } from './index';

/**
 * Creates the sample collection in `dir` (created if missing). Refuses, changing nothing, when any
 * of its files already exists there: init never overwrites a collection.
 */
export async function initCollection(dir: string): Promise<CollectionSnapshot> {
  await mkdir(dir, { recursive: true });
  const present: string[] = [];
  for (const rel of Object.keys(sampleFiles)) {
    try {
      await access(path.join(dir, ...rel.split('/')));
      present.push(rel);
    } catch {
      // absent: will be written
    }
  }
  if (present.length) {
    throw new StudioError({ code: 'conflict', message: `${dir} already holds ${present.join(', ')}; init writes only into a folder without these files`, where: dir });
  }
  for (const [rel, text] of Object.entries(sampleFiles)) await writeFileAtomic(path.join(dir, ...rel.split('/')), text);
  return openCollection(dir);
}
