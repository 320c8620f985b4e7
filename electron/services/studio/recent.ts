import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

const maxRecent = 10;

/** The recently opened collections, newest first, kept in the user data folder across launches. */
export function createRecentList(userDataDir: string) {
  const file = path.join(userDataDir, 'recent-collections.json');
  let queue: Promise<unknown> = Promise.resolve();

  async function read(): Promise<string[]> {
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      const dirs = parsed !== null && typeof parsed === 'object' ? (parsed as { dirs?: unknown }).dirs : undefined;
      return Array.isArray(dirs) ? dirs.filter((d): d is string => typeof d === 'string').slice(0, maxRecent) : [];
    } catch {
      // A missing or damaged list only loses the shortcut, never a collection.
      return [];
    }
  }

  async function add(dir: string): Promise<string[]> {
    const run = queue.then(async () => {
      const dirs = [dir, ...(await read()).filter((d) => d !== dir)].slice(0, maxRecent);
      await mkdir(userDataDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify({ dirs }, null, 2)}\n`);
      await rename(tmp, file);
      return dirs;
    });
    queue = run.catch(() => undefined);
    return run;
  }

  return { list: read, add };
}
