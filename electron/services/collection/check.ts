import { lstat, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { StudioError } from '@shared/model/error';
import {
  collectionFile,
  contextSuffix,
  contextsDir,
  kindOfPath,
  webhookSuffix,
  webhooksDir,
  type FileKind,
} from '@shared/formats/collection-files';
import { existsNoFollow } from './contain';
import type { z } from 'zod';

export function bad(message: string, where?: string): StudioError {
  return new StudioError({ code: 'bad-input', message, ...(where ? { where } : {}) });
}

export async function assertCollectionDir(dir: string): Promise<void> {
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

export async function assertIsCollection(dir: string): Promise<void> {
  await assertCollectionDir(dir);
  if (!(await isCollectionDir(dir))) {
    throw new StudioError({
      code: 'not-a-collection',
      message: `${dir} is not a collection: it has no ${collectionFile} (nor a ${webhooksDir}/ or ${contextsDir}/ folder). Open the folder that holds ${collectionFile}, or make this one a collection: "Create here" in the Open dialog, or \`webhook-studio init ${dir}\`.`,
      where: dir,
    });
  }
}

export function conflict(rel: string, why: string): StudioError {
  return new StudioError({
    code: 'conflict',
    message: `${rel} was not saved: ${why}. Reload it, or save under another name.`,
    where: rel,
  });
}

export function checkKind(rel: string, kind: FileKind): void {
  if (kindOfPath(rel) !== kind) {
    const shape =
      kind === 'webhook' ? `${webhooksDir}/…/<name>${webhookSuffix}` : `${contextsDir}/<name>${contextSuffix}`;
    throw bad(`'${rel}' is not a ${kind} file path (expected ${shape})`, rel);
  }
}

export function isWebhookFolder(rel: string): boolean {
  return (
    rel === webhooksDir ||
    (rel.startsWith(`${webhooksDir}/`) && kindOfPath(rel) === undefined && !rel.endsWith('.yaml'))
  );
}

/**
 * A value that does not pass its schema, as one line naming each issue's place (`whole` when the issue
 * is about the value itself).
 */
export function invalid(
  what: string,
  issues: { path: PropertyKey[]; message: string }[],
  where: string,
  whole = '(value)',
): StudioError {
  return bad(
    `${what}: ${issues.map((i) => `${i.path.map(String).join('.') || whole}: ${i.message}`).join('; ')}`,
    where,
  );
}

/** `value` as `schema` reads it, or bad input naming each issue (see `invalid`). */
export function parsedOrBad<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  whole: string,
  where = what,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(what, parsed.error.issues, where, whole);
  return parsed.data;
}

/** What is at `abs` (a link itself, not what it points to), or not-found naming `rel`. */
export async function lstatOrNotFound(abs: string, rel: string): Promise<Stats> {
  try {
    return await lstat(abs);
  } catch {
    throw new StudioError({ code: 'not-found', message: `${rel} does not exist in the collection`, where: rel });
  }
}
