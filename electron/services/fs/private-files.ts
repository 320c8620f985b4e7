import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Files only their owner may read: history, run results, spilled bodies, secrets. */
export const privateFileMode = 0o600;
/** Folders only their owner may list or enter. */
export const privateDirMode = 0o700;

/**
 * The name of an atomic write's temp file: hidden, next to its target, naming the writing process so a
 * sweep can tell a live write from a leftover (see `parseTempName`).
 */
export function tempNameFor(absPath: string): string {
  return path.join(
    path.dirname(absPath),
    `.${path.basename(absPath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

const tempPattern = /^\.(.+)\.(\d{1,10})\.[0-9a-f]{8}\.tmp$/;

/** The writer's pid of a temp file name made by `tempNameFor`, or undefined for any other name. */
export function parseTempName(name: string): { target: string; pid: number } | undefined {
  const m = tempPattern.exec(name);
  return m ? { target: m[1] as string, pid: Number(m[2]) } : undefined;
}

/**
 * Makes `absDir` (and any missing parent) with mode 0700, and narrows it to 0700 when it already exists
 * wider: a private folder left 0755 by an older version would list every file name in it.
 */
export async function makePrivateDir(absDir: string): Promise<void> {
  await mkdir(absDir, { recursive: true, mode: privateDirMode });
  const info = await stat(absDir);
  if ((info.mode & 0o777) !== privateDirMode && typeof process.getuid === 'function' && info.uid === process.getuid()) {
    await chmod(absDir, privateDirMode);
  }
}

async function syncDir(dir: string): Promise<void> {
  // Directories cannot be opened for fsync on Windows; there the rename is already durable enough.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a file so that after a crash at any instant it holds either the old or the new content, never
 * a mix: write a sibling temp file (created with `mode`, so it is never readable by others even for a
 * moment), fsync it, rename it over the target, fsync the folder. A failed write removes its temp file.
 */
export async function writeAtomic(
  absPath: string,
  data: string | Uint8Array,
  options: { mode: number; dirMode?: number },
): Promise<void> {
  const dir = path.dirname(absPath);
  if (options.dirMode === privateDirMode) await makePrivateDir(dir);
  else await mkdir(dir, { recursive: true, ...(options.dirMode !== undefined ? { mode: options.dirMode } : {}) });
  const tmp = tempNameFor(absPath);
  const handle = await open(tmp, 'wx', options.mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The create mode is narrowed by the umask; a private file must be exactly 0600 whatever the umask.
    if (options.mode === privateFileMode) await chmod(tmp, privateFileMode);
    await rename(tmp, absPath);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

/** Writes a file only its owner can read (0600) in a folder only its owner can enter (0700), atomically. */
export async function writePrivateFile(absPath: string, data: string | Uint8Array): Promise<void> {
  await writeAtomic(absPath, data, { mode: privateFileMode, dirMode: privateDirMode });
}
