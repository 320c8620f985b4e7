import { readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { StudioError } from '@shared/model/error';
import {
  collectionFile,
  contextDiskForm,
  contextSuffix,
  contextsDir,
  fieldsDiskForm,
  fieldsFile,
  meaningOf,
  settingsDiskForm,
  settingsSchema,
  slugify,
  webhookDiskForm,
  type FileKind,
} from '@shared/formats/collection-files';
import { writeYamlText } from '@shared/formats/yaml-file';
import {
  fieldCatalogSchema,
  profileSchema,
  tokenContextSchema,
  webhookSchema,
  type FieldCatalog,
  type ProfileInput,
  type TokenContextInput,
  type WebhookInput,
} from '@shared/model';
import { writeAtomic } from '../fs/private-files';
import { checkKind, parsedOrBad } from './check';
import { checkInside, existsNoFollow, resolveInside } from './contain';
import { noteOwnDelete, readTextFile, writeFileAtomic } from './disk';
import { currentSettings } from './load';
import { withFileLock } from './lock';
import { ownFields } from './save';

/** One file a batch will write: where, the new text, and what was there before (to put back). */
export interface PlannedWrite {
  path: string;
  abs: string;
  text: string;
  before: Buffer | undefined;
}

async function planFile(
  dir: string,
  rel: string,
  next: { kind: 'text'; text: string } | { kind: FileKind; form: Record<string, unknown> | unknown[] },
): Promise<PlannedWrite> {
  const abs = await checkInside(dir, rel, 'write');
  let before: Buffer | undefined;
  try {
    before = await readFile(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR')
      throw new StudioError({
        code: 'conflict',
        message: `${rel} is a folder in the collection; a file cannot take its place`,
        where: rel,
      });
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
    if (code === 'ENOTDIR')
      throw new StudioError({
        code: 'conflict',
        message: `${rel} cannot be written: a file is in the way on its path`,
        where: rel,
      });
  }
  if (next.kind === 'text') return { path: rel, abs, text: next.text, before };
  const read = before === undefined ? undefined : await readTextFile(abs, rel);
  const text = writeYamlText(read?.ok ? read.text : undefined, next.form, meaningOf[next.kind]);
  return { path: rel, abs, text, before };
}

/**
 * Plans writes without touching the disk: every check a save makes (the value, the path's kind and
 * place, links) is made here, so a batch can be refused whole before its first write.
 */
export const plan = {
  async webhook(dir: string, rel: string, webhook: WebhookInput): Promise<PlannedWrite> {
    checkKind(rel, 'webhook');
    const parsed = parsedOrBad(webhookSchema, webhook, `${rel}: webhook`, '(value)', rel);
    return planFile(dir, rel, { kind: 'webhook', form: webhookDiskForm(parsed) });
  },
  /** Without `rel`, a new file named after the context that neither the disk nor `taken` has. */
  async context(
    dir: string,
    rel: string | undefined,
    context: TokenContextInput,
    taken: Set<string>,
  ): Promise<PlannedWrite> {
    const parsed = parsedOrBad(
      tokenContextSchema,
      context,
      `${rel ?? 'context'}: context`,
      '(value)',
      rel ?? 'context',
    );
    let path = rel;
    if (path === undefined) {
      const slug = slugify(parsed.name, 'context');
      for (let n = 1; path === undefined || taken.has(path) || (await existsNoFollow(resolveInside(dir, path))); n++)
        path = `${contextsDir}/${n === 1 ? slug : `${slug}-${n}`}${contextSuffix}`;
    }
    checkKind(path, 'context');
    taken.add(path);
    return planFile(dir, path, { kind: 'context', form: contextDiskForm(parsed) });
  },
  /** The collection's own fields, given the whole catalog in force (as `saveFields`). */
  async fields(dir: string, fields: FieldCatalog): Promise<PlannedWrite> {
    const own = ownFields(parsedOrBad(fieldCatalogSchema, fields, 'fields', '(value)'));
    return planFile(dir, fieldsFile, { kind: 'fields', form: fieldsDiskForm(own) });
  },
  /** collection.yaml with its profile options replaced (as `saveSettings`); when new, named `name` or after its folder. */
  async settings(dir: string, input: { profile?: Partial<ProfileInput>; name?: string }): Promise<PlannedWrite> {
    const profile =
      input.profile === undefined
        ? undefined
        : parsedOrBad(profileSchema.partial(), input.profile, 'profile', '(value)');
    const isNew = !(await existsNoFollow(path.join(dir, collectionFile)));
    const settings = isNew
      ? settingsSchema.parse({ name: input.name ?? path.basename(path.resolve(dir)) })
      : await currentSettings(dir);
    const form = settingsDiskForm({ ...settings, ...(profile ? { profile } : {}) });
    return planFile(dir, collectionFile, { kind: 'settings', form });
  },
  text(dir: string, rel: string, text: string): Promise<PlannedWrite> {
    return planFile(dir, rel, { kind: 'text', text });
  },
};

/**
 * Writes a planned batch all or nothing: when any write fails, the files written before it get their
 * old bytes back, new files and the folders made for them are removed, and the error says nothing
 * was changed. A file whose text is already the planned one is left as it is.
 */
export async function commitWrites(dir: string, writes: PlannedWrite[]): Promise<void> {
  const madeDirs: string[] = [];
  const done: PlannedWrite[] = [];
  let failed: PlannedWrite | undefined;
  const noteMissingDirs = async (abs: string): Promise<void> => {
    const missing: string[] = [];
    for (let d = path.dirname(abs); ; d = path.dirname(d)) {
      if (await existsNoFollow(d)) break;
      missing.push(d);
      if (path.dirname(d) === d) break;
    }
    for (const d of missing) if (!madeDirs.includes(d)) madeDirs.push(d);
  };
  try {
    for (const w of writes) {
      if (w.before !== undefined && w.before.equals(Buffer.from(w.text, 'utf8'))) continue;
      failed = w;
      await noteMissingDirs(w.abs);
      await withFileLock(w.abs, () => writeFileAtomic(w.abs, w.text));
      done.push(w);
    }
  } catch (e) {
    for (const w of done.reverse()) {
      try {
        if (w.before === undefined) {
          noteOwnDelete(w.abs);
          await rm(w.abs, { force: true });
        } else await writeAtomicBack(w.abs, w.before);
      } catch {
        // Putting one file back failed: the others are still put back; the error below is the cause.
      }
    }
    // Deepest first, and only when empty: a folder someone else filled meanwhile stays.
    for (const d of madeDirs.sort((a, b) => b.length - a.length)) await rmdir(d).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    throw new StudioError({
      code: e instanceof StudioError ? e.code : 'cannot-write',
      message: `${failed?.path ?? 'a file'} could not be written (${e instanceof Error ? e.message : String(code ?? e)}); nothing was changed`,
      where: failed?.path ?? dir,
    });
  }
}

async function writeAtomicBack(abs: string, bytes: Buffer): Promise<void> {
  const text = bytes.toString('utf8');
  // Old bytes that are not UTF-8 go back as they were, not re-encoded.
  if (Buffer.from(text, 'utf8').equals(bytes)) await writeFileAtomic(abs, text);
  else await writeAtomic(abs, bytes, { mode: 0o644 });
}
