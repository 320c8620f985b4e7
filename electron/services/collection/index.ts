import { lstat, readdir, readFile, rename, rm, rmdir, stat, mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { StudioError } from '@shared/model/error';
import { type CollectionSnapshot } from '@shared/contract';
import { defaultFieldCatalog, mergeCatalog } from '@shared/catalog';
import {
  canonicalOf,
  collectionFile,
  contextDiskForm,
  contextSuffix,
  contextsDir,
  fieldsDiskForm,
  fieldsFile,
  triggersDiskForm,
  triggersFile,
  folderOfWebhookPath,
  kindOfPath,
  meaningOf,
  settingsDiskForm,
  settingsSchema,
  slugify,
  webhookDiskForm,
  webhookSuffix,
  webhooksDir,
  type FileKind,
  type Settings,
} from '@shared/formats/collection-files';
import { formatYamlText, readModelFile, writeYamlText, readYaml, deepEqual } from '@shared/formats/yaml-file';
import {
  fieldCatalogSchema,
  profileSchema,
  tokenContextSchema,
  triggerListSchema,
  webhookSchema,
  type FieldCatalog,
  type Trigger,
  type TriggerInput,
  type FileProblem,
  type ProfileInput,
  type TokenContext,
  type TokenContextInput,
  type WebhookInput,
} from '@shared/model';
import { parseCatalogDocument, parseContextDocument, parseWebhookDocument } from '@shared/formats/documents';
import {
  noteOwnDelete,
  noteOwnFolder,
  noteOwnWrite,
  readTextFile,
  versionOf,
  writeFileAtomic,
  isTempName,
} from './disk';
import { checkInside, existsNoFollow, resolveInside } from './contain';
import { sweepTempFiles } from './sweep';
import { gitignoreGaps } from './gitignore';
import { writeAtomic } from '../fs/private-files';
import { storedSecretNames } from '../secrets/store-file';

export { versionOf } from './disk';
export { watchCollection, activeWatchCount } from './watch';
export { initCollection } from './init';
export { resolveInside, checkInside } from './contain';

/** Files read at once while opening: enough to keep the disk busy, few enough to stay clear of fd limits. */
const readConcurrency = 64;

function bad(message: string, where?: string): StudioError {
  return new StudioError({ code: 'bad-input', message, ...(where ? { where } : {}) });
}

async function assertCollectionDir(dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw new StudioError({ code: 'not-found', message: `collection folder ${dir} does not exist`, where: dir });
  }
  if (!info.isDirectory())
    throw new StudioError({ code: 'bad-input', message: `${dir} is a file, not a collection folder`, where: dir });
}

/**
 * What marks a folder as a collection: its settings file, or a webhooks or contexts folder. Opening any
 * other folder (a home folder, /usr) is refused at once, before anything walks it or watches it.
 */
export async function isCollectionDir(dir: string): Promise<boolean> {
  for (const marker of [collectionFile, webhooksDir, contextsDir]) {
    if (await existsNoFollow(path.join(dir, marker))) return true;
  }
  return false;
}

async function assertIsCollection(dir: string): Promise<void> {
  await assertCollectionDir(dir);
  if (!(await isCollectionDir(dir))) {
    throw new StudioError({
      code: 'not-a-collection',
      message: `${dir} is not a collection: it has no ${collectionFile} (nor a ${webhooksDir}/ or ${contextsDir}/ folder). Open the folder that holds ${collectionFile}, or make this one a collection: "Create here" in the Open dialog, or \`webhook-studio init ${dir}\`.`,
      where: dir,
    });
  }
}

/** Deeper than this, a webhook folder is surely not made by hand: the walk stops there and says so. */
export const maxFolderDepth = 32;

/**
 * Every file under `sub` (relative paths with `/`), skipping dot-folders and temp files. Links are
 * never followed (a link could lead out of the collection, or round in a loop): each one met is
 * reported in `problems` and left out.
 */
async function listFiles(dir: string, sub: string, problems?: FileProblem[], temps?: string[]): Promise<string[]> {
  const out: string[] = [];
  try {
    if ((await lstat(path.join(dir, ...sub.split('/')))).isSymbolicLink()) {
      problems?.push({
        file: sub,
        code: 'symlink-skipped',
        message: `${sub} is a symbolic link: the studio does not follow links in a collection, so nothing in it was loaded`,
      });
      return out;
    }
  } catch {
    return out;
  }
  const walk = async (rel: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(dir, ...rel.split('/')), { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw e;
    }
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (isTempName(entry.name) && entry.isFile()) temps?.push(child);
      if (entry.name.startsWith('.') || isTempName(entry.name)) continue;
      if (entry.isDirectory()) {
        if (depth >= maxFolderDepth)
          problems?.push({
            file: child,
            code: 'too-deep',
            message: `${child} is more than ${maxFolderDepth} folders deep: it was not read`,
          });
        else await walk(child, depth + 1);
      } else if (entry.isFile()) out.push(child);
      else if (entry.isSymbolicLink()) {
        problems?.push({
          file: child,
          code: 'symlink-skipped',
          message: `${child} is a symbolic link: the studio does not follow links in a collection, so it was not loaded`,
        });
      }
    }
  };
  await walk(sub, 1);
  return out.sort();
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One reader for every collection file, shared with the CLI's file arguments (shared/formats/documents). */
function parseFile(
  kind: FileKind,
  text: string,
  rel: string,
): { ok: true; value: unknown } | { ok: false; problems: FileProblem[] } {
  if (kind === 'webhook') return parseWebhookDocument(text, rel);
  if (kind === 'context') return parseContextDocument(text, rel);
  if (kind === 'fields') return parseCatalogDocument(text, rel);
  if (kind === 'triggers') return readModelFile(triggerListSchema, text, rel);
  return readModelFile(settingsSchema, text, rel);
}

type Loaded<T> = { path: string; version: string; value: T } | { path: string; problems: FileProblem[] } | undefined;

/** `listed`: the path came from `listFiles`, which met no link on the way, so it needs no check. */
async function loadFile<T>(dir: string, rel: string, kind: FileKind, listed = false): Promise<Loaded<T>> {
  let abs: string;
  try {
    abs = listed ? resolveInside(dir, rel) : await checkInside(dir, rel, 'read');
  } catch (e) {
    if (e instanceof StudioError) return { path: rel, problems: [{ file: rel, code: e.code, message: e.message }] };
    throw e;
  }
  const read = await readTextFile(abs, rel);
  if (!read) return undefined;
  if (!read.ok) return { path: rel, problems: [{ file: rel, code: read.code, message: read.message }] };
  const result = parseFile(kind, read.text, rel);
  if (!result.ok) return { path: rel, problems: result.problems };
  return { path: rel, version: versionOf(read.text), value: result.value as T };
}

/**
 * Reads a collection folder. A file that does not load is reported in `problems` (file, line, why)
 * and left as it is; everything else loads.
 */
export async function openCollection(dir: string): Promise<CollectionSnapshot> {
  await assertIsCollection(dir);
  const problems: FileProblem[] = [];
  const settings = await loadFile<Settings>(dir, collectionFile, 'settings');
  const custom = await loadFile<FieldCatalog>(dir, fieldsFile, 'fields');
  const temps: string[] = [];
  const triggers = await loadFile<Trigger[]>(dir, triggersFile, 'triggers');
  const [webhookPaths, contextPaths] = await Promise.all([
    listFiles(dir, webhooksDir, problems, temps).then((all) => all.filter((p) => kindOfPath(p) === 'webhook')),
    listFiles(dir, contextsDir, problems, temps).then((all) => all.filter((p) => kindOfPath(p) === 'context')),
  ]);
  const webhooks = await mapLimited(webhookPaths, readConcurrency, (p) =>
    loadFile<ReturnType<typeof webhookSchema.parse>>(dir, p, 'webhook', true),
  );
  const contexts = await mapLimited(contextPaths, readConcurrency, (p) =>
    loadFile<TokenContext>(dir, p, 'context', true),
  );
  // Leftovers of interrupted saves go now, before `git add -A` can stage them.
  await sweepTempFiles(dir, temps);

  let name = path.basename(path.resolve(dir));
  let profileOverrides: Partial<ProfileInput> = {};
  let defaultContext: string | undefined;
  if (settings && 'problems' in settings) problems.push(...settings.problems);
  else if (settings) {
    name = settings.value.name ?? name;
    profileOverrides = settings.value.profile;
    defaultContext = settings.value.defaultContext;
  }
  let fields = defaultFieldCatalog;
  if (custom && 'problems' in custom) problems.push(...custom.problems);
  else if (custom) fields = mergeCatalog(defaultFieldCatalog, custom.value);

  const snapshot: CollectionSnapshot = {
    dir,
    name,
    profile: profileSchema.parse(profileOverrides),
    ...(defaultContext ? { defaultContext } : {}),
    fields,
    webhooks: [],
    contexts: [],
    problems,
    secrets: await storedSecretNames(dir),
  };
  if (triggers && 'problems' in triggers) problems.push(...triggers.problems);
  else if (triggers) snapshot.triggers = triggers.value;
  for (const w of webhooks) {
    if (!w) continue;
    if ('problems' in w) problems.push(...w.problems);
    else
      snapshot.webhooks.push({
        path: w.path,
        folder: folderOfWebhookPath(w.path),
        version: w.version,
        webhook: w.value,
      });
  }
  for (const c of contexts) {
    if (!c) continue;
    if ('problems' in c) problems.push(...c.problems);
    else snapshot.contexts.push({ path: c.path, version: c.version, context: c.value });
  }
  // collection.yaml may name the default context by its name; the snapshot always gives its path.
  if (defaultContext !== undefined && !snapshot.contexts.some((c) => c.path === defaultContext)) {
    const byName = snapshot.contexts.find((c) => c.context.name === defaultContext);
    if (byName) snapshot.defaultContext = byName.path;
  }
  return snapshot;
}

/** One save at a time per file, so a version check and its write cannot interleave with another save. */
const fileLocks = new Map<string, Promise<unknown>>();

async function withFileLock<T>(absPath: string, fn: () => Promise<T>): Promise<T> {
  const prior = fileLocks.get(absPath) ?? Promise.resolve();
  const run = prior.then(fn, fn);
  const settled = run.catch(() => undefined);
  fileLocks.set(absPath, settled);
  try {
    return await run;
  } finally {
    if (fileLocks.get(absPath) === settled) fileLocks.delete(absPath);
  }
}

async function exists(absPath: string): Promise<boolean> {
  return existsNoFollow(absPath);
}

function folderSegments(folder: string | undefined): string[] {
  if (!folder) return [];
  const parts = folder
    .split('/')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const part of parts) {
    if (part === '..' || part.startsWith('.') || part.includes('\\'))
      throw bad(`folder '${folder}' is not a folder name inside the collection`, 'folder');
  }
  return parts;
}

async function freePath(dir: string, base: string, slug: string, suffix: string): Promise<string> {
  for (let n = 1; ; n++) {
    const rel = `${base}/${n === 1 ? slug : `${slug}-${n}`}${suffix}`;
    if (!(await exists(resolveInside(dir, rel)))) return rel;
  }
}

/**
 * Writes one collection file. With `baseVersion`, the file on disk must still be that version (or the
 * save is refused as a conflict naming the file, and nothing is written). An unchanged value leaves
 * the file's bytes as they are; a changed one keeps its comments and key order.
 */
async function saveFile(
  dir: string,
  rel: string,
  kind: FileKind,
  diskForm: Record<string, unknown> | unknown[],
  baseVersion: string | undefined,
): Promise<{ path: string; version: string }> {
  const abs = await checkInside(dir, rel, 'write');
  return withFileLock(abs, async () => {
    const current = await readTextFile(abs, rel);
    if (current && !current.ok) {
      if (baseVersion !== undefined) throw conflict(rel, 'it no longer reads as text');
    }
    const currentText = current && current.ok ? current.text : undefined;
    if (baseVersion !== undefined) {
      if (currentText === undefined) throw conflict(rel, 'it was deleted on disk');
      if (versionOf(currentText) !== baseVersion) throw conflict(rel, 'it was changed on disk since it was opened');
    }
    const text = writeYamlText(currentText, diskForm, meaningOf[kind]);
    if (text !== currentText) await writeFileAtomic(abs, text);
    return { path: rel, version: versionOf(text) };
  });
}

function conflict(rel: string, why: string): StudioError {
  return new StudioError({
    code: 'conflict',
    message: `${rel} was not saved: ${why}. Reload it, or save under another name.`,
    where: rel,
  });
}

function checkKind(rel: string, kind: FileKind): void {
  if (kindOfPath(rel) !== kind) {
    const shape =
      kind === 'webhook' ? `${webhooksDir}/…/<name>${webhookSuffix}` : `${contextsDir}/<name>${contextSuffix}`;
    throw bad(`'${rel}' is not a ${kind} file path (expected ${shape})`, rel);
  }
}

export async function saveWebhook(
  dir: string,
  input: { path?: string; folder?: string; webhook: WebhookInput; baseVersion?: string },
): Promise<{ path: string; version: string }> {
  await assertCollectionDir(dir);
  const parsed = webhookSchema.safeParse(input.webhook);
  if (!parsed.success)
    throw bad(
      `webhook: ${parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(webhook)'}: ${i.message}`).join('; ')}`,
      'webhook',
    );
  let rel = input.path;
  if (rel !== undefined) checkKind(rel, 'webhook');
  else {
    const base = [webhooksDir, ...folderSegments(input.folder)].join('/');
    rel = await freePath(dir, base, slugify(parsed.data.name, 'webhook'), webhookSuffix);
  }
  return saveFile(dir, rel, 'webhook', webhookDiskForm(parsed.data), input.baseVersion);
}

export async function saveContext(
  dir: string,
  input: { path?: string; context: TokenContextInput; baseVersion?: string },
): Promise<{ path: string; version: string }> {
  await assertCollectionDir(dir);
  const parsed = tokenContextSchema.safeParse(input.context);
  if (!parsed.success)
    throw bad(
      `context: ${parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(context)'}: ${i.message}`).join('; ')}`,
      'context',
    );
  let rel = input.path;
  if (rel !== undefined) checkKind(rel, 'context');
  else rel = await freePath(dir, contextsDir, slugify(parsed.data.name, 'context'), contextSuffix);
  return saveFile(dir, rel, 'context', contextDiskForm(parsed.data), input.baseVersion);
}

async function currentSettings(dir: string): Promise<Settings> {
  const loaded = await loadFile<Settings>(dir, collectionFile, 'settings');
  if (loaded && 'problems' in loaded) {
    throw new StudioError({
      code: 'bad-file',
      message: `${collectionFile} cannot be edited until it is fixed: ${loaded.problems.map((p) => p.message).join('; ')}`,
      where: collectionFile,
    });
  }
  return loaded ? loaded.value : settingsSchema.parse({});
}

/** Changes the collection's name, profile options (the given set replaces the old one) or default context. */
export async function saveSettings(
  dir: string,
  input: { name?: string; profile?: Partial<ProfileInput>; defaultContext?: string },
): Promise<{ ok: true }> {
  await assertCollectionDir(dir);
  const profile = input.profile === undefined ? undefined : profileSchema.partial().safeParse(input.profile);
  if (profile && !profile.success)
    throw bad(
      `profile: ${profile.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`,
      'profile',
    );
  const settings = await currentSettings(dir);
  const next: Settings = {
    ...settings,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(profile ? { profile: profile.data } : {}),
  };
  if (input.defaultContext !== undefined)
    next.defaultContext = input.defaultContext === '' ? undefined : input.defaultContext;
  await saveFile(dir, collectionFile, 'settings', settingsDiskForm(next), undefined);
  return { ok: true };
}

/**
 * Stores the collection's lead fields. Given the whole catalog in force (standard fields included),
 * it keeps only what differs from Marketo's standard fields, so fields.yaml holds the collection's own.
 */
export async function saveFields(dir: string, fields: FieldCatalog): Promise<{ ok: true }> {
  await assertCollectionDir(dir);
  const parsed = fieldCatalogSchema.safeParse(fields);
  if (!parsed.success)
    throw bad(
      `fields: ${parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`,
      'fields',
    );
  const own = parsed.data.filter((f) => !defaultFieldCatalog.some((d) => deepEqual(d, f)));
  await saveFile(dir, fieldsFile, 'fields', fieldsDiskForm(own), undefined);
  return { ok: true };
}

/** Stores the collection's "Webhook is Called" triggers (the whole list replaces the old one). */
export async function saveTriggers(dir: string, triggers: TriggerInput[]): Promise<{ ok: true }> {
  await assertCollectionDir(dir);
  const parsed = triggerListSchema.safeParse(triggers);
  if (!parsed.success)
    throw bad(
      `triggers: ${parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`,
      'triggers',
    );
  await saveFile(dir, triggersFile, 'triggers', triggersDiskForm(parsed.data), undefined);
  return { ok: true };
}

function isWebhookFolder(rel: string): boolean {
  return (
    rel === webhooksDir ||
    (rel.startsWith(`${webhooksDir}/`) && kindOfPath(rel) === undefined && !rel.endsWith('.yaml'))
  );
}

/**
 * Deletes a collection file, or a folder of webhooks with everything in it. A link is removed itself,
 * never what it points to, and nothing is deleted through a link that leads out of the collection.
 */
export async function deletePath(dir: string, rel: string): Promise<{ ok: true }> {
  await assertCollectionDir(dir);
  const abs = await checkInside(dir, rel, 'delete');
  let info;
  try {
    info = await lstat(abs);
  } catch {
    throw new StudioError({ code: 'not-found', message: `${rel} does not exist in the collection`, where: rel });
  }
  if (info.isSymbolicLink()) {
    if (!(isWebhookFolder(rel) && rel !== webhooksDir) && (!kindOfPath(rel) || rel === collectionFile))
      throw bad(`${rel} is not a webhook, context or fields file, nor a webhook folder`, rel);
    noteOwnDelete(abs);
    await unlink(abs);
  } else if (info.isDirectory()) {
    if (!isWebhookFolder(rel) || rel === webhooksDir)
      throw bad(`${rel} is not a webhook folder that can be deleted`, rel);
    for (const file of await listFiles(dir, rel)) noteOwnDelete(resolveInside(dir, file));
    noteOwnDelete(abs);
    // rm never follows the links inside the folder: it removes them as they are.
    await rm(abs, { recursive: true });
  } else {
    if (!kindOfPath(rel) || rel === collectionFile) throw bad(`${rel} is not a webhook, context or fields file`, rel);
    noteOwnDelete(abs);
    await rm(abs);
  }
  return { ok: true };
}

/**
 * Moves or renames a webhook or context file, or a webhook folder; never replaces what is at `to`, and
 * never moves anything into or out of the collection through a link.
 */
export async function movePath(dir: string, from: string, to: string): Promise<{ path: string }> {
  await assertCollectionDir(dir);
  const absFrom = await checkInside(dir, from, 'move-from');
  const absTo = await checkInside(dir, to, 'move-to');
  let info;
  try {
    info = await lstat(absFrom);
  } catch {
    throw new StudioError({ code: 'not-found', message: `${from} does not exist in the collection`, where: from });
  }
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
  }
  if (await exists(absTo))
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
  return { path: to };
}

/** Rewrites every collection file in canonical form (key order, quoting, indent); comments stay. */
export async function fmtCollection(
  dir: string,
): Promise<{ changed: string[]; problems: FileProblem[]; notices: string[] }> {
  await assertCollectionDir(dir);
  const files = [
    collectionFile,
    fieldsFile,
    triggersFile,
    ...(await listFiles(dir, webhooksDir)).filter((p) => kindOfPath(p) === 'webhook'),
    ...(await listFiles(dir, contextsDir)).filter((p) => kindOfPath(p) === 'context'),
  ];
  const changed: string[] = [];
  const problems: FileProblem[] = [];
  for (const rel of files) {
    const kind = kindOfPath(rel) as FileKind;
    let abs: string;
    try {
      abs = await checkInside(dir, rel, 'write');
    } catch (e) {
      if (!(e instanceof StudioError)) throw e;
      problems.push({ file: rel, code: e.code, message: e.message });
      continue;
    }
    await withFileLock(abs, async () => {
      const read = await readTextFile(abs, rel);
      if (!read) return;
      if (!read.ok) {
        problems.push({ file: rel, code: read.code, message: read.message });
        return;
      }
      const checked = parseFile(kind, read.text, rel);
      if (!checked.ok) {
        problems.push(...checked.problems);
        return;
      }
      const yaml = readYaml(read.text, rel);
      const canonical = yaml.ok ? canonicalOf(kind, yaml.value) : undefined;
      if (canonical === undefined) return;
      const text = formatYamlText(read.text, canonical);
      if (text !== read.text) {
        await writeFileAtomic(abs, text);
        changed.push(rel);
      }
    });
  }
  return { changed, problems, notices: await gitignoreNotices(dir) };
}

export { findWebhook, findContext } from './find';

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
  kind: FileKind | 'text',
  next: Record<string, unknown> | unknown[] | string,
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
  if (typeof next === 'string' || kind === 'text') return { path: rel, abs, text: String(next), before };
  const read = before === undefined ? undefined : await readTextFile(abs, rel);
  const text = writeYamlText(read?.ok ? read.text : undefined, next, meaningOf[kind]);
  return { path: rel, abs, text, before };
}

function invalid(what: string, issues: { path: PropertyKey[]; message: string }[], where: string): StudioError {
  return bad(
    `${what}: ${issues.map((i) => `${i.path.map(String).join('.') || '(value)'}: ${i.message}`).join('; ')}`,
    where,
  );
}

/**
 * Plans writes without touching the disk: every check a save makes (the value, the path's kind and
 * place, links) is made here, so a batch can be refused whole before its first write.
 */
export const plan = {
  async webhook(dir: string, rel: string, webhook: WebhookInput): Promise<PlannedWrite> {
    checkKind(rel, 'webhook');
    const parsed = webhookSchema.safeParse(webhook);
    if (!parsed.success) throw invalid(`${rel}: webhook`, parsed.error.issues, rel);
    return planFile(dir, rel, 'webhook', webhookDiskForm(parsed.data));
  },
  /** Without `rel`, a new file named after the context that neither the disk nor `taken` has. */
  async context(
    dir: string,
    rel: string | undefined,
    context: TokenContextInput,
    taken: Set<string>,
  ): Promise<PlannedWrite> {
    const parsed = tokenContextSchema.safeParse(context);
    if (!parsed.success) throw invalid(`${rel ?? 'context'}: context`, parsed.error.issues, rel ?? 'context');
    let path = rel;
    if (path === undefined) {
      const slug = slugify(parsed.data.name, 'context');
      for (let n = 1; path === undefined || taken.has(path) || (await exists(resolveInside(dir, path))); n++)
        path = `${contextsDir}/${n === 1 ? slug : `${slug}-${n}`}${contextSuffix}`;
    }
    checkKind(path, 'context');
    taken.add(path);
    return planFile(dir, path, 'context', contextDiskForm(parsed.data));
  },
  /** The collection's own fields, given the whole catalog in force (as `saveFields`). */
  async fields(dir: string, fields: FieldCatalog): Promise<PlannedWrite> {
    const parsed = fieldCatalogSchema.safeParse(fields);
    if (!parsed.success) throw invalid('fields', parsed.error.issues, 'fields');
    return planFile(
      dir,
      fieldsFile,
      'fields',
      fieldsDiskForm(parsed.data.filter((f) => !defaultFieldCatalog.some((d) => deepEqual(d, f)))),
    );
  },
  /** collection.yaml with its profile options replaced (as `saveSettings`); when new, named `name` or after its folder. */
  async settings(dir: string, input: { profile?: Partial<ProfileInput>; name?: string }): Promise<PlannedWrite> {
    const profile = input.profile === undefined ? undefined : profileSchema.partial().safeParse(input.profile);
    if (profile && !profile.success) throw invalid('profile', profile.error.issues, 'profile');
    const isNew = !(await exists(path.join(dir, collectionFile)));
    const settings = isNew
      ? settingsSchema.parse({ name: input.name ?? path.basename(path.resolve(dir)) })
      : await currentSettings(dir);
    return planFile(
      dir,
      collectionFile,
      'settings',
      settingsDiskForm({ ...settings, ...(profile ? { profile: profile.data } : {}) }),
    );
  },
  text(dir: string, rel: string, text: string): Promise<PlannedWrite> {
    return planFile(dir, rel, 'text', text);
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

/** The snapshot of a collection that does not exist yet: what an import into a new folder starts from. */
export function emptySnapshot(dir: string): CollectionSnapshot {
  return {
    dir,
    name: path.basename(path.resolve(dir)),
    profile: profileSchema.parse({}),
    fields: defaultFieldCatalog,
    webhooks: [],
    contexts: [],
    problems: [],
    secrets: [],
  };
}

/**
 * What the collection's .gitignore leaves out of what `init` ignores (.studio/, .env, temp files), as
 * lines to tell the user. The user's own .gitignore is never rewritten behind their back.
 */
export async function gitignoreNotices(dir: string): Promise<string[]> {
  let text: string | undefined;
  try {
    const abs = await checkInside(dir, '.gitignore', 'read');
    const read = await readTextFile(abs, '.gitignore');
    text = read?.ok ? read.text : undefined;
  } catch {
    text = undefined;
  }
  const gaps = gitignoreGaps(text);
  if (gaps.length === 0) return [];
  const why = "so that git never commits secrets, this machine's history or temp files";
  if (text === undefined)
    return [`the collection has no .gitignore: make one with the lines ${gaps.join(', ')} ${why}`];
  return [
    `.gitignore does not ignore ${gaps.join(', ')}: add ${gaps.length === 1 ? 'this line' : 'these lines'} ${why}`,
  ];
}
