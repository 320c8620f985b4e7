import { rename } from 'node:fs/promises';
import { StudioError } from '@shared/model/error';
import { contextDiskForm, kindOfPath, meaningOf, slugify, webhookDiskForm } from '@shared/formats/collection-files';
import { writeYamlText } from '@shared/formats/yaml-file';
import { parseContextDocument, parseWebhookDocument } from '@shared/formats/documents';
import { assertCollectionDir, bad, conflict } from './check';
import { checkInside, existsNoFollow } from './contain';
import { noteOwnDelete, noteOwnWrite, readTextFile, versionOf, writeFileAtomic } from './disk';
import { withFileLock } from './lock';
import { assertNameFree, folderRelOf, freePath, suffixOf, type NamedKind } from './names';

export interface RenameInput {
  /** The webhook or context file. */
  path: string;
  /** Its new display name; the file name follows it. */
  name: string;
  /** When given, the file must still be this version (else a conflict, nothing changed). */
  baseVersion?: string;
}

/** The file's text with only its name changed: comments, key order and every other value stay as they are. */
function renamedText(kind: NamedKind, rel: string, text: string, name: string): string {
  const refuse = (problems: { message: string }[]) =>
    new StudioError({
      code: 'bad-file',
      message: `${rel} cannot be renamed until it loads: ${problems.map((p) => p.message).join('; ')}`,
      where: rel,
    });
  if (kind === 'webhook') {
    const parsed = parseWebhookDocument(text, rel);
    if (!parsed.ok) throw refuse(parsed.problems);
    return writeYamlText(text, webhookDiskForm({ ...parsed.value, name }), meaningOf.webhook);
  }
  const parsed = parseContextDocument(text, rel);
  if (!parsed.ok) throw refuse(parsed.problems);
  return writeYamlText(text, contextDiskForm({ ...parsed.value, name }), meaningOf.context);
}

/** True when the file is already named for `slug` (`slug` or `slug-N`): a rename that keeps the slug keeps the file. */
function namedFor(rel: string, slug: string, suffix: string): boolean {
  const file = rel.slice(rel.lastIndexOf('/') + 1, rel.length - suffix.length);
  return file === slug || new RegExp(`^${slug}-\\d+$`).test(file);
}

/**
 * Renames a webhook or context: its name inside the file, then the file itself, named after it as new
 * files are. A name another file in the same folder has (in any case) is refused.
 *
 * Crash order: the new name is first written into the old file (an atomic replace), then the file is
 * renamed (atomic too). Whenever the process dies there is exactly one file, holding the old or the
 * new name: never none, never two.
 */
export async function renameFile(dir: string, input: RenameInput): Promise<{ path: string; version: string }> {
  await assertCollectionDir(dir);
  const rel = input.path;
  const kind = kindOfPath(rel);
  if (kind !== 'webhook' && kind !== 'context') throw bad(`${rel} is not a webhook or context file`, rel);
  const name = input.name.trim();
  if (!name) throw bad(`a ${kind} needs a name; the new name for ${rel} is empty`, 'name');
  const abs = await checkInside(dir, rel, 'move-from');
  return withFileLock(abs, async () => {
    const read = await readTextFile(abs, rel);
    if (!read)
      throw new StudioError({ code: 'not-found', message: `${rel} is not in the collection any more`, where: rel });
    if (!read.ok) throw bad(`${rel} cannot be renamed: ${read.message}`, rel);
    if (input.baseVersion !== undefined && versionOf(read.text) !== input.baseVersion)
      throw conflict(rel, 'it was changed on disk since it was opened');
    const folderRel = folderRelOf(rel);
    await assertNameFree(dir, { kind, folderRel, name, except: rel });
    const text = renamedText(kind, rel, read.text, name);
    const suffix = suffixOf(kind);
    const slug = slugify(name, kind);
    const to = namedFor(rel, slug, suffix) ? rel : await freePath(dir, folderRel, slug, suffix);
    if (text !== read.text) await writeFileAtomic(abs, text);
    if (to !== rel) {
      const absTo = await checkInside(dir, to, 'move-to');
      // freePath saw the folder a moment ago; refuse rather than replace what appeared since.
      if (await existsNoFollow(absTo))
        throw new StudioError({ code: 'conflict', message: `${to} already exists; choose another name`, where: to });
      noteOwnDelete(abs);
      noteOwnWrite(absTo, text);
      await rename(abs, absTo);
    }
    return { path: to, version: versionOf(text) };
  });
}
