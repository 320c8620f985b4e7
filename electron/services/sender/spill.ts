import { lstatSync, mkdirSync, chmodSync, unlinkSync } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { processAlive } from '../process/alive';

/**
 * Where response bodies over 1 MiB go, and how long they stay. They may hold personal data from a
 * web service, so they live in a folder only this user can enter (0700), each file 0600; they are
 * deleted when their exchange is dropped from history and when the process exits, and a start sweeps
 * what an earlier process left (it crashed, or was killed before its exit handler ran).
 */

/** `webhook-studio-<send>-<pid>-<time>.body`: the name the sender gives a body file, and the only kind read back. */
export const SPILLED_BODY = /^webhook-studio-[A-Za-z0-9_-]*-(\d+)-\d+\.body$/;

/** A body file older than this is swept at start, whatever process wrote it. */
export const spillMaxAgeMs = 24 * 60 * 60 * 1000;

/** The per-user folder's name: one per user, so two people on one machine never share it. */
export function spillFolderName(): string {
  const uid = typeof process.getuid === 'function' ? String(process.getuid()) : '';
  let who = uid;
  if (who === '') {
    try {
      who = os
        .userInfo()
        .username.replace(/[^A-Za-z0-9_-]/g, '_')
        .slice(0, 40);
    } catch {
      who = 'user';
    }
  }
  return `webhook-studio-bodies-${who}`;
}

export function spillFolderOf(tempDir: string): string {
  return path.join(tempDir, spillFolderName());
}

export class SpillFolderError extends Error {}

/**
 * The private folder for body files under `tempDir`, made 0700 if missing. A shared temp folder is
 * writable by everyone: a folder of that name that is a link, or belongs to someone else, is refused
 * (the body then stays in memory only) rather than written into.
 */
export function ensureSpillFolder(tempDir: string): string {
  // Checked on every spill (rare: bodies over 1 MiB), so a folder a temp cleaner removed comes back.
  const dir = spillFolderOf(tempDir);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = lstatSync(dir);
  if (!st.isDirectory())
    throw new SpillFolderError(
      `${dir} is not a folder (a link or a file is in its place), so no body file is written there`,
    );
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
    throw new SpillFolderError(`${dir} belongs to another user, so no body file is written there`);
  }
  // An older studio (or a umask) may have left it open to others.
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}

/** Body files of this process that are still on disk, deleted at exit unless kept for the person. */
const live = new Map<string, { keep: boolean }>();
let exitHooked = false;

function deleteAtExit(): void {
  for (const [file, { keep }] of live) {
    if (keep) continue;
    try {
      unlinkSync(file);
    } catch {
      // Already gone, or the folder went with the temp folder.
    }
  }
  live.clear();
}

/**
 * Registers a body file this process has written. `keep`: the person was told its path and reads it
 * after the process ends (`webhook-studio send`); it is swept by age only.
 */
export function trackBodyFile(file: string, keep: boolean): void {
  live.set(file, { keep });
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', deleteAtExit);
  }
}

/** The body files this process still holds (tests, and close). */
export function liveBodyFiles(): string[] {
  return [...live.keys()];
}

/** Is `file` a body file the sender names and places (so deleting it can never reach anything else)? */
export function isBodyFilePath(file: string): boolean {
  return (
    path.isAbsolute(file) &&
    SPILLED_BODY.test(path.basename(file)) &&
    path.basename(path.dirname(file)) === spillFolderName()
  );
}

/** Deletes a body file that nobody will read again (its exchange was dropped); anything else is left alone. */
export async function releaseBodyFile(file: string | undefined): Promise<void> {
  if (file === undefined || !isBodyFilePath(file)) return;
  live.delete(file);
  await rm(file, { force: true }).catch(() => undefined);
}

/** Temp folders already swept by this process: a leftover is older than the process, so one sweep each is enough. */
const sweptFolders = new Set<string>();

/** Sweeps a temp folder the first time a sender of this process uses it (the studio, the CLI and tests make several senders). */
export function sweepSpilledBodiesOnce(tempDir: string): void {
  if (sweptFolders.has(tempDir)) return;
  sweptFolders.add(tempDir);
  void sweepSpilledBodies(tempDir);
}

/**
 * Deletes body files left in the folder by processes that are gone (pid 0 marks a file kept for the
 * person: age only), and any older than `maxAgeMs`; also the ones earlier versions left straight in the
 * temp folder, readable by everyone (only this user's own regular files). Returns how many were deleted.
 */
export async function sweepSpilledBodies(tempDir: string, now = Date.now(), maxAgeMs = spillMaxAgeMs): Promise<number> {
  const dir = spillFolderOf(tempDir);
  let deleted = 0;
  try {
    const st = await lstat(dir);
    if (st.isDirectory() && (typeof process.getuid !== 'function' || st.uid === process.getuid()))
      deleted += await sweepIn(dir, await readdir(dir), now, maxAgeMs, false);
  } catch {
    // No folder yet: nothing of ours to sweep there.
  }
  try {
    const legacy = (await readdir(tempDir)).filter((name) => SPILLED_BODY.test(name));
    deleted += await sweepIn(tempDir, legacy, now, maxAgeMs, true);
  } catch {
    // An unreadable temp folder holds nothing we could sweep.
  }
  return deleted;
}

async function sweepIn(
  dir: string,
  names: string[],
  now: number,
  maxAgeMs: number,
  sharedFolder: boolean,
): Promise<number> {
  let deleted = 0;
  for (const name of names) {
    const m = SPILLED_BODY.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    if (live.has(file)) continue;
    const pid = Number(m[1]);
    const st = await lstat(file).catch(() => undefined);
    if (st === undefined) continue;
    // In a folder everyone writes to, only this user's own files, never a link planted there.
    if (sharedFolder && (!st.isFile() || (typeof process.getuid === 'function' && st.uid !== process.getuid())))
      continue;
    const old = now - st.mtimeMs > maxAgeMs;
    if (old || (pid !== 0 && !processAlive(pid))) {
      await rm(file, { force: true }).catch(() => undefined);
      deleted++;
    }
  }
  return deleted;
}
