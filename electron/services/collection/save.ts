import { defaultFieldCatalog } from '@shared/catalog';
import {
  collectionFile,
  contextDiskForm,
  contextSuffix,
  contextsDir,
  fieldsDiskForm,
  fieldsFile,
  meaningOf,
  settingsDiskForm,
  slugify,
  triggersDiskForm,
  triggersFile,
  webhookDiskForm,
  webhookSuffix,
  webhooksDir,
  type FileKind,
  type Settings,
} from '@shared/formats/collection-files';
import { deepEqual, writeYamlText } from '@shared/formats/yaml-file';
import {
  fieldCatalogSchema,
  profileSchema,
  tokenContextSchema,
  triggerListSchema,
  webhookSchema,
  type FieldCatalog,
  type ProfileInput,
  type TokenContextInput,
  type TriggerInput,
  type WebhookInput,
} from '@shared/model';
import { assertCollectionDir, bad, checkKind, conflict, parsedOrBad } from './check';
import { checkInside } from './contain';
import { freePath } from './names';
import { readTextFile, versionOf, writeFileAtomic } from './disk';
import { currentSettings } from './load';
import { withFileLock } from './lock';

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

/**
 * Writes one collection file. With `baseVersion`, the file on disk must still be that version (or the
 * save is refused as a conflict naming the file, and nothing is written). An unchanged value leaves
 * the file's bytes as they are; a changed one keeps its comments and key order.
 */
export async function saveFile(
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

export async function saveWebhook(
  dir: string,
  input: { path?: string; folder?: string; webhook: WebhookInput; baseVersion?: string },
): Promise<{ path: string; version: string }> {
  await assertCollectionDir(dir);
  const webhook = parsedOrBad(webhookSchema, input.webhook, 'webhook', '(webhook)');
  let rel = input.path;
  if (rel !== undefined) checkKind(rel, 'webhook');
  else {
    const base = [webhooksDir, ...folderSegments(input.folder)].join('/');
    rel = await freePath(dir, base, slugify(webhook.name, 'webhook'), webhookSuffix);
  }
  return saveFile(dir, rel, 'webhook', webhookDiskForm(webhook), input.baseVersion);
}

export async function saveContext(
  dir: string,
  input: { path?: string; context: TokenContextInput; baseVersion?: string },
): Promise<{ path: string; version: string }> {
  await assertCollectionDir(dir);
  const context = parsedOrBad(tokenContextSchema, input.context, 'context', '(context)');
  let rel = input.path;
  if (rel !== undefined) checkKind(rel, 'context');
  else rel = await freePath(dir, contextsDir, slugify(context.name, 'context'), contextSuffix);
  return saveFile(dir, rel, 'context', contextDiskForm(context), input.baseVersion);
}

/** Changes the collection's name, profile options (the given set replaces the old one) or default context. */
export async function saveSettings(
  dir: string,
  input: { name?: string; profile?: Partial<ProfileInput>; defaultContext?: string },
): Promise<{ ok: true }> {
  await assertCollectionDir(dir);
  const profile =
    input.profile === undefined ? undefined : parsedOrBad(profileSchema.partial(), input.profile, 'profile', '');
  const settings = await currentSettings(dir);
  const next: Settings = {
    ...settings,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(profile ? { profile } : {}),
  };
  if (input.defaultContext !== undefined)
    next.defaultContext = input.defaultContext === '' ? undefined : input.defaultContext;
  await saveFile(dir, collectionFile, 'settings', settingsDiskForm(next), undefined);
  return { ok: true };
}

/** Writes collection.yaml in the disk form given (the network settings' save builds it). */
export async function saveSettingsForm(dir: string, form: Record<string, unknown>): Promise<void> {
  await saveFile(dir, collectionFile, 'settings', form, undefined);
}

/** What fields.yaml holds: the fields of a whole catalog that differ from Marketo's standard ones. */
export function ownFields(fields: FieldCatalog): FieldCatalog {
  return fields.filter((f) => !defaultFieldCatalog.some((d) => deepEqual(d, f)));
}

/**
 * Stores the collection's lead fields. Given the whole catalog in force (standard fields included),
 * it keeps only what differs from Marketo's standard fields, so fields.yaml holds the collection's own.
 */
export async function saveFields(dir: string, fields: FieldCatalog): Promise<{ ok: true }> {
  await assertCollectionDir(dir);
  const own = ownFields(parsedOrBad(fieldCatalogSchema, fields, 'fields', ''));
  await saveFile(dir, fieldsFile, 'fields', fieldsDiskForm(own), undefined);
  return { ok: true };
}

/** Stores the collection's "Webhook is Called" triggers (the whole list replaces the old one). */
export async function saveTriggers(dir: string, triggers: TriggerInput[]): Promise<{ ok: true }> {
  await assertCollectionDir(dir);
  const list = parsedOrBad(triggerListSchema, triggers, 'triggers', '');
  await saveFile(dir, triggersFile, 'triggers', triggersDiskForm(list), undefined);
  return { ok: true };
}
