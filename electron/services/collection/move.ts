import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { StudioError } from '@shared/model/error';
import { kindOfPath, webhooksDir } from '@shared/formats/collection-files';
import { assertCollectionDir, bad, checkKind, isWebhookFolder, lstatOrNotFound } from './check';
import { checkInside, existsNoFollow } from './contain';
import { noteOwnDelete, noteOwnFolder, noteOwnWrite, readTextFile } from './disk';
import { listFiles } from './list';
import { loadFile } from './load';
import { assertNameFree, folderRelOf, type NamedKind } from './names';

/** Refuses moving a webhook or context into a folder where another one has its name (in any case). */
async function checkNameFreeAt(dir: string, from: string, to: string, kind: NamedKind): Promise<void> {
  const loaded = await loadFile<{ name: string }>(dir, from, kind);
  if (loaded && 'value' in loaded)
    await assertNameFree(dir, { kind, folderRel: folderRelOf(to), name: loaded.value.name, except: from });
}

/** A move, with each webhook file it moved (from → to), so what is kept per webhook can follow it. */
export interface Moved {
  path: string;
  webhooks: { from: string; to: string }[];
}

/**
 * Moves or renames a webhook or context file, or a webhook folder; never replaces what is at `to`, and
 * never moves anything into or out of the collection through a link.
 */
export async function movePath(dir: string, from: string, to: string): Promise<{ path: string }> {
  const { path: moved } = await moveEntries(dir, from, to);
  return { path: moved };
}

/** `movePath`, telling which webhook files moved where. */
export async function moveEntries(dir: string, from: string, to: string): Promise<Moved> {
  await assertCollectionDir(dir);
  const absFrom = await checkInside(dir, from, 'move-from');
  const absTo = await checkInside(dir, to, 'move-to');
  const info = await lstatOrNotFound(absFrom, from);
  const isFolder =
    info.isDirectory() ||
    (info.isSymbolicLink() &&
      (await stat(absFrom).then(
        (i) => i.isDirectory(),
        () => false,
      )));
  if (isFolder) {
    if (!isWebhookFolder(from) || from === webhooksDir || !isWebhookFolder(to))
      throw bad(`a webhook folder moves only to another folder under ${webhooksDir}/`, from);
    if (to.startsWith(`${from}/`)) throw bad(`${from} cannot move into itself`, to);
  } else {
    const kind = kindOfPath(from);
    if (kind !== 'webhook' && kind !== 'context') throw bad(`${from} is not a webhook or context file`, from);
    checkKind(to, kind);
    await checkNameFreeAt(dir, from, to, kind);
  }
  if (await existsNoFollow(absTo))
    throw new StudioError({ code: 'conflict', message: `${to} already exists; choose another name`, where: to });
  await mkdir(path.dirname(absTo), { recursive: true });
  // The watcher must see a move made here as the app's own change, at both ends.
  const moved = info.isDirectory()
    ? (await listFiles(dir, from)).map((f) => f.slice(from.length + 1))
    : info.isSymbolicLink()
      ? []
      : [''];
  const texts = await Promise.all(
    moved.map(async (f) => ({ f, read: await readTextFile(f ? path.join(absFrom, f) : absFrom, from) })),
  );
  await rename(absFrom, absTo);
  if (info.isDirectory()) {
    noteOwnDelete(absFrom);
    noteOwnFolder(absTo);
  }
  for (const { f, read } of texts) {
    noteOwnDelete(f ? path.join(absFrom, f) : absFrom);
    if (read?.ok) noteOwnWrite(f ? path.join(absTo, f) : absTo, read.text);
  }
  const webhooks = moved
    .map((f) => (f ? { from: `${from}/${f}`, to: `${to}/${f}` } : { from, to }))
    .filter((m) => kindOfPath(m.from) === 'webhook');
  return { path: to, webhooks };
}
