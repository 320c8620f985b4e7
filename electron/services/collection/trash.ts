import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { StudioError } from '@shared/model/error';
import { collectionFile, kindOfPath, stateDir, webhooksDir } from '@shared/formats/collection-files';
import { makePrivateDir, writePrivateFile } from '../fs/private-files';
import { assertCollectionDir, bad, isWebhookFolder } from './check';
import { checkInside, existsNoFollow } from './contain';
import { noteOwnFolder, noteOwnWrite, readTextFile } from './disk';
import { listFiles } from './list';

/**
 * A short-lived trash: a deleted webhook, context or webhook folder is moved (renamed, never copied)
 * into `.studio/trash/<id>/item`, with `entry.json` recording where it was, so Undo can put it back.
 * `.studio/` is git-ignored, so what waits here is never committed.
 */
export const trashDir = `${stateDir}/trash`;
/** What the trash keeps: entries younger than `maxAgeMs`, and no more than the newest `maxEntries`. */
export const trashLimits = { maxAgeMs: 10 * 60_000, maxEntries: 20 };

const entryFile = 'entry.json';
const itemName = 'item';
/** A trash id: the time in base 36 and a random part, so ids sort by age and never name another path. */
const idPattern = /^[0-9a-z]{1,12}-[0-9a-f]{8}$/;
const entrySchema = z.object({ path: z.string().min(1), deletedAt: z.number() }).strict();
type TrashEntry = z.infer<typeof entrySchema>;

function newTrashId(now: number): string {
  return `${now.toString(36)}-${randomBytes(4).toString('hex')}`;
}

function checkTrashId(trashId: string): void {
  if (!idPattern.test(trashId)) throw bad(`'${trashId}' is not a trash id`, trashId);
}

/**
 * Moves `abs` (the collection path `rel`, already checked and allowed to be deleted) into a new trash
 * entry and returns its id. The record is written first: a crash between the two leaves an empty entry
 * the next sweep removes, never a file that is gone from both places.
 */
export async function moveToTrash(dir: string, rel: string, abs: string): Promise<string> {
  const now = Date.now();
  const trashId = newTrashId(now);
  const entryRel = `${trashDir}/${trashId}`;
  const absEntry = await checkInside(dir, entryRel, 'write');
  const absItem = await checkInside(dir, `${entryRel}/${itemName}`, 'move-to');
  await makePrivateDir(path.dirname(absEntry));
  await mkdir(absEntry);
  const entry: TrashEntry = { path: rel, deletedAt: now };
  await writePrivateFile(path.join(absEntry, entryFile), `${JSON.stringify(entry)}\n`);
  try {
    await rename(abs, absItem);
  } catch (e) {
    await rm(absEntry, { recursive: true, force: true });
    throw e;
  }
  return trashId;
}

/** Whether a recorded path is one a delete takes: a webhook, context, fields or triggers file, or a webhook folder. */
function restorable(rel: string): boolean {
  if (rel === collectionFile || rel === webhooksDir) return false;
  return kindOfPath(rel) !== undefined || isWebhookFolder(rel);
}

/** The record of a trash entry, or not-found when it was swept (or never was). */
async function readEntry(dir: string, trashId: string): Promise<{ entry: TrashEntry; absItem: string }> {
  const gone = new StudioError({
    code: 'not-found',
    message: `nothing to restore: ${trashDir}/${trashId} is no longer in the trash (it keeps deletes for ${String(trashLimits.maxAgeMs / 60_000)} minutes)`,
    where: `${trashDir}/${trashId}`,
  });
  const abs = await checkInside(dir, `${trashDir}/${trashId}/${entryFile}`, 'read');
  // Checked as a delete checks: a link moved into the trash goes back as the link itself, as it was.
  const absItem = await checkInside(dir, `${trashDir}/${trashId}/${itemName}`, 'delete');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(abs, 'utf8'));
  } catch {
    throw gone;
  }
  const parsed = entrySchema.safeParse(raw);
  if (!parsed.success || !restorable(parsed.data.path) || !(await existsNoFollow(absItem))) throw gone;
  return { entry: parsed.data, absItem };
}

/**
 * Notes every file a rename is about to put back as the studio's own, so the watcher does not report
 * the restore as an outside change (noted before the rename: the watcher may see it first).
 */
async function noteRestored(dir: string, absItem: string, absTo: string, itemRel: string): Promise<void> {
  const info = await lstat(absItem);
  const files = info.isDirectory()
    ? (await listFiles(dir, itemRel)).map((f) => f.slice(itemRel.length + 1))
    : info.isSymbolicLink()
      ? []
      : [''];
  const texts = await Promise.all(
    files.map(async (f) => ({ f, read: await readTextFile(f ? path.join(absItem, f) : absItem, itemRel) })),
  );
  if (info.isDirectory()) noteOwnFolder(absTo);
  for (const { f, read } of texts) if (read?.ok) noteOwnWrite(f ? path.join(absTo, f) : absTo, read.text);
}

/**
 * Puts a trash entry back where it was deleted from. Refuses, naming the path, when something is there
 * now: the trashed copy then stays where it is, so nothing is lost.
 */
export async function restoreFromTrash(dir: string, trashId: string): Promise<{ path: string }> {
  await assertCollectionDir(dir);
  checkTrashId(trashId);
  const { entry, absItem } = await readEntry(dir, trashId);
  const entryRel = `${trashDir}/${trashId}`;
  const itemRel = `${entryRel}/${itemName}`;
  const absTo = await checkInside(dir, entry.path, 'move-to');
  if (await existsNoFollow(absTo))
    throw new StudioError({
      code: 'conflict',
      message: `${entry.path} was not restored: something else is at that path now. The deleted copy is kept in ${itemRel}: move or rename what is at ${entry.path} first.`,
      where: entry.path,
    });
  await mkdir(path.dirname(absTo), { recursive: true });
  await noteRestored(dir, absItem, absTo, itemRel);
  await rename(absItem, absTo);
  await rm(await checkInside(dir, entryRel, 'delete'), { recursive: true, force: true });
  return { path: entry.path };
}

/** When an entry was deleted: its record says, else (a record lost to a crash) the folder's own time. */
async function deletedAt(absEntry: string): Promise<number> {
  try {
    return entrySchema.parse(JSON.parse(await readFile(path.join(absEntry, entryFile), 'utf8'))).deletedAt;
  } catch {
    return (await lstat(absEntry)).mtimeMs;
  }
}

/**
 * Empties the trash of entries older than `trashLimits.maxAgeMs` and of all but the newest
 * `trashLimits.maxEntries`. Returns the ids removed. Run when a collection opens; a trash that cannot
 * be read (or leads out of the collection) is left alone.
 */
export async function sweepTrash(dir: string, now = Date.now()): Promise<string[]> {
  let absTrash: string;
  let names: string[];
  try {
    absTrash = await checkInside(dir, trashDir, 'read');
    if (!(await lstat(absTrash)).isDirectory()) return [];
    names = await readdir(absTrash);
  } catch {
    return [];
  }
  const entries: { name: string; at: number }[] = [];
  for (const name of names) {
    try {
      entries.push({ name, at: await deletedAt(path.join(absTrash, name)) });
    } catch {
      // Gone meanwhile: nothing to sweep.
    }
  }
  entries.sort((a, b) => b.at - a.at);
  const removed: string[] = [];
  for (const [i, e] of entries.entries()) {
    if (i < trashLimits.maxEntries && now - e.at <= trashLimits.maxAgeMs) continue;
    try {
      await rm(await checkInside(dir, `${trashDir}/${e.name}`, 'delete'), { recursive: true, force: true });
      removed.push(e.name);
    } catch {
      // Cannot be removed (permissions, a link leading out): left as it is.
    }
  }
  return removed;
}
