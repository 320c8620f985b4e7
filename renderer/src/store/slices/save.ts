import { StudioError } from '@shared/model/error';
import type { StudioApi } from '@shared/contract';
import { describe } from '../describe';
import { docOf, rekeyed, sameJson, withDoc } from '../documents';
import { nameClash } from '../names';
import type { Doc, DocKind, DocValues, SliceContext, StudioState } from '../types';

/** Keeps the path an item moves to in the same layout as the path it had: only the folder part changes. */
export function movedPath(path: string, fromFolder: string, toFolder: string): string {
  const slash = path.lastIndexOf('/');
  const file = path.slice(slash + 1);
  const dirPart = slash >= 0 ? path.slice(0, slash) : '';
  const root =
    fromFolder && dirPart.endsWith(fromFolder)
      ? dirPart.slice(0, dirPart.length - fromFolder.length).replace(/\/$/, '')
      : dirPart;
  const folder = toFolder.replace(/^\/+|\/+$/g, '');
  return [root, folder, file].filter((p) => p.length > 0).join('/');
}

type Written = { path: string; version: string };
type Write<K extends DocKind> = (
  api: StudioApi,
  to: { dir: string; doc: Doc<DocValues[K]>; baseVersion: string | undefined },
) => Promise<Written>;

/** How each kind of document is written to its file. */
const writers: { [K in DocKind]: Write<K> } = {
  webhook: (api, { dir, doc, baseVersion }) =>
    api.collection.saveWebhook({
      dir,
      path: doc.path,
      folder: doc.folder || undefined,
      webhook: doc.value,
      baseVersion,
    }),
  context: (api, { dir, doc, baseVersion }) =>
    api.collection.saveContext({ dir, path: doc.path, context: doc.value, baseVersion }),
};

function moveRecord<T>(record: Record<string, T>, from: string, to: string): Record<string, T> {
  const { [from]: value, ...rest } = record;
  return value ? { ...rest, [to]: value } : rest;
}

/** Moves an open document to a new key (its new path), with what the store keeps under that key. */
export function rekey<K extends DocKind>(
  ctx: SliceContext,
  kind: K,
  move: { from: string; to: string; doc: Doc<DocValues[K]> },
) {
  const s = ctx.get();
  const { from, to } = move;
  const moveKey = (k: string | undefined) => (k === from ? to : k);
  const follow: Partial<StudioState> =
    kind === 'webhook'
      ? {
          currentWebhook: moveKey(s.currentWebhook),
          exchanges: moveRecord(s.exchanges, from, to),
          history: moveRecord(s.history, from, to),
        }
      : { activeContext: moveKey(s.activeContext) };
  ctx.set({
    ...rekeyed(s, kind, move),
    selected: s.selected?.key === from ? { kind, key: to } : s.selected,
    ...follow,
  });
}

/** Writes one open document to its file; a conflict keeps the edits here and says so on the document. */
export async function saveDoc<K extends DocKind>(
  ctx: SliceContext,
  kind: K,
  open: Doc<DocValues[K]>,
  overwrite: boolean,
): Promise<boolean> {
  const { api, set, get } = ctx;
  const key = open.key;
  const dir = get().dir;
  if (!dir) return false;
  const clash = nameClash(get(), { kind, key, name: open.value.name, folder: open.folder });
  if (clash) {
    get().notify('error', `Not saved: ${clash}`);
    return false;
  }
  // Overwriting after a conflict is the user's explicit choice: send no base version.
  const baseVersion = overwrite ? undefined : open.version;
  try {
    const out = await writers[kind](api, { dir, doc: open, baseVersion });
    const cur = docOf(get(), kind, key) ?? open;
    const saved: Doc<DocValues[K]> = {
      ...cur,
      key: out.path,
      path: out.path,
      version: out.version,
      saved: open.value,
      dirty: !sameJson(cur.value, open.value),
      conflict: undefined,
    };
    if (out.path !== key) rekey(ctx, kind, { from: key, to: out.path, doc: saved });
    else set((st) => withDoc(st, kind, key, saved));
    void get().refresh();
    return true;
  } catch (e) {
    if (e instanceof StudioError && e.code === 'conflict') {
      const conflict = `Not saved: ${e.message} Your edits are kept here; choose to overwrite the file or to load it from disk.`;
      set((st) => {
        const now = docOf(st, kind, key);
        return now ? withDoc(st, kind, key, { ...now, conflict }) : {};
      });
    } else {
      get().notify('error', `Not saved: ${describe(e)}`);
    }
    return false;
  }
}

/** Moves a webhook to another folder: a draft just changes folder, a saved one moves its file (and its history). */
export async function moveWebhook(ctx: SliceContext, key: string, folder: string): Promise<void> {
  const { api, set, get } = ctx;
  const s = get();
  const doc = s.webhooks[key];
  const dir = s.dir;
  if (!doc || !dir) return;
  const cleanFolder = folder.trim().replace(/^\/+|\/+$/g, '');
  // Dropped where it already is: nothing to do.
  if (cleanFolder === doc.folder) return;
  const clash = nameClash(s, { kind: 'webhook', key, name: doc.value.name, folder: cleanFolder });
  if (clash) {
    get().notify('error', `Not moved: ${clash}`);
    return;
  }
  if (!doc.path) {
    set({ webhooks: { ...s.webhooks, [key]: { ...doc, folder: cleanFolder } } });
    return;
  }
  if (doc.dirty) {
    get().notify('error', `Save or discard the edits to “${doc.value.name}” before moving it.`);
    return;
  }
  try {
    const out = await api.collection.move({ dir, from: doc.path, to: movedPath(doc.path, doc.folder, cleanFolder) });
    rekey(ctx, 'webhook', {
      from: key,
      to: out.path,
      doc: { ...doc, key: out.path, path: out.path, folder: cleanFolder },
    });
    // Its history moved with the file: list it again under the new path.
    void get().loadHistory(out.path);
    await get().refresh();
  } catch (e) {
    get().notify('error', `Not moved: ${describe(e)}`);
  }
}
