import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { StudioError } from '@shared/model/error';
import { contextSuffix, folderOfWebhookPath, webhookSuffix } from '@shared/formats/collection-files';
import { nameClashMessage, nameKey, type NamedKind } from '@shared/formats/doc-names';
import { resolveInside } from './contain';
import { loadFile } from './load';

export type { NamedKind };

const suffixOf = (kind: NamedKind): string => (kind === 'webhook' ? webhookSuffix : contextSuffix);

/** The file names directly in a collection folder, in lower case; none when the folder does not exist yet. */
async function entriesLower(dir: string, folderRel: string): Promise<Set<string>> {
  try {
    const entries = await readdir(resolveInside(dir, folderRel));
    return new Set(entries.map((e) => e.toLowerCase()));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
      return new Set();
    throw e;
  }
}

/**
 * The first free file path for `slug` in `folderRel` (`slug`, then `slug-2`, …). A name taken in another
 * case counts as taken: on macOS and Windows `Lead.webhook.yaml` and `lead.webhook.yaml` are one file.
 */
export async function freePath(dir: string, folderRel: string, slug: string, suffix: string): Promise<string> {
  const taken = await entriesLower(dir, folderRel);
  for (let n = 1; ; n++) {
    const file = `${n === 1 ? slug : `${slug}-${n}`}${suffix}`;
    if (!taken.has(file.toLowerCase())) return `${folderRel}/${file}`;
  }
}

/** The sidebar's folder for a folder of the collection ('' for the root; contexts have one). */
const uiFolder = (kind: NamedKind, folderRel: string): string =>
  kind === 'context' ? '' : folderOfWebhookPath(`${folderRel}/x${webhookSuffix}`);

/** The display names of the webhooks (or contexts) directly in one folder; files that do not load are left out. */
async function namesIn(dir: string, kind: NamedKind, folderRel: string): Promise<{ path: string; name: string }[]> {
  let entries: string[];
  try {
    entries = await readdir(resolveInside(dir, folderRel));
  } catch {
    return [];
  }
  const files = entries.filter((e) => e.endsWith(suffixOf(kind)) && !e.startsWith('.'));
  const loaded = await Promise.all(
    files.map((f) => loadFile<{ name: string }>(dir, `${folderRel}/${f}`, kind, true).catch(() => undefined)),
  );
  return loaded.flatMap((l) => (l && 'value' in l ? [{ path: l.path, name: l.value.name }] : []));
}

/**
 * Refuses a name another webhook (or context) in the same folder already has, in any case: the message
 * names the folder and the name. `except` is the file being renamed or moved itself.
 */
export async function assertNameFree(
  dir: string,
  to: { kind: NamedKind; folderRel: string; name: string; except?: string },
): Promise<void> {
  const { kind, folderRel, name, except } = to;
  const wanted = nameKey(name);
  const clash = (await namesIn(dir, kind, folderRel)).find((n) => n.path !== except && nameKey(n.name) === wanted);
  if (!clash) return;
  throw new StudioError({
    code: 'conflict',
    message: nameClashMessage({ kind, folder: uiFolder(kind, folderRel), taken: clash.name, wanted: name }),
    where: clash.path,
  });
}

/** The folder (relative to the collection) a webhook or context file sits in. */
export function folderRelOf(rel: string): string {
  return path.posix.dirname(rel);
}

export { suffixOf };
