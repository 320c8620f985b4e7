import { StudioError } from '@shared/model/error';
import { collectionFile, settingsSchema, type FileKind, type Settings } from '@shared/formats/collection-files';
import { readModelFile } from '@shared/formats/yaml-file';
import { triggerListSchema, type FileProblem } from '@shared/model';
import { readCatcherRules } from '@shared/formats/catcher-rules-file';
import { parseCatalogDocument, parseContextDocument, parseWebhookDocument } from '@shared/formats/documents';
import { readTextFile, versionOf } from './disk';
import { checkInside, resolveInside } from './contain';

/** One reader for every collection file, shared with the CLI's file arguments (shared/formats/documents). */
export function parseFile(
  kind: FileKind,
  text: string,
  rel: string,
): { ok: true; value: unknown } | { ok: false; problems: FileProblem[] } {
  if (kind === 'webhook') return parseWebhookDocument(text, rel);
  if (kind === 'context') return parseContextDocument(text, rel);
  if (kind === 'fields') return parseCatalogDocument(text, rel);
  if (kind === 'triggers') return readModelFile(triggerListSchema, text, rel);
  if (kind === 'catcher') return readCatcherRules(text, rel);
  return readModelFile(settingsSchema, text, rel);
}

export type Loaded<T> =
  { path: string; version: string; value: T } | { path: string; problems: FileProblem[] } | undefined;

/** `listed`: the path came from `listFiles`, which met no link on the way, so it needs no check. */
export async function loadFile<T>(dir: string, rel: string, kind: FileKind, listed = false): Promise<Loaded<T>> {
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

/** collection.yaml as it is now (its defaults when there is none); refused while it does not load. */
export async function currentSettings(dir: string): Promise<Settings> {
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
