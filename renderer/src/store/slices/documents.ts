import type { TokenContext, Webhook } from '@shared/model';
import { emptyTokenContext } from '@shared/model';
import { describe } from '../describe';
import { docOf, draftKey, kindOf, sameJson, tableOf, tablePatch, withDoc, withoutDoc } from '../documents';
import type { DocKind, DocumentsActions, DocumentsState, DocValues, SliceContext, StudioState } from '../types';
import { nameClash, uniqueName } from '../names';
import { moveWebhook, rekey, saveDoc } from './save';
import { tabActions } from './tabs';

/** The context used when the collection has none: Marketo still renders, every token empty. */
export const emptyContext: TokenContext = emptyTokenContext('Empty lead', { campaign: { Type: 'trigger' } });

export function blankWebhook(name: string): Webhook {
  return {
    name,
    url: 'https://',
    method: 'POST',
    template: '',
    encoding: 'json',
    responseType: 'json',
    headers: [],
    mappings: [],
  };
}

/** Opening a document: a webhook becomes the one Send acts on; a context becomes active if none is. */
function opened(s: StudioState, kind: DocKind, key: string): Partial<StudioState> {
  return kind === 'webhook'
    ? { selected: { kind, key }, currentWebhook: key }
    : { selected: { kind, key }, activeContext: s.activeContext ?? key };
}

/** What is current after a document is removed: the first one left of its kind (a context is not reselected). */
function afterRemoval(s: StudioState, kind: DocKind, key: string, order: string[]): Partial<DocumentsState> {
  const next = (k: string | undefined) => (k === key ? order[0] : k);
  if (kind === 'context')
    return { activeContext: next(s.activeContext), selected: s.selected?.key === key ? undefined : s.selected };
  const first = order[0];
  return {
    currentWebhook: next(s.currentWebhook),
    selected: s.selected?.key === key ? (first ? { kind: 'webhook', key: first } : undefined) : s.selected,
  };
}

/** The user's edit of a document: dirty until it matches what is on disk. */
function setDocValue<K extends DocKind>(ctx: SliceContext, kind: K, key: string, value: DocValues[K]): void {
  const doc = docOf(ctx.get(), kind, key);
  if (!doc) return;
  ctx.set((s) => withDoc(s, kind, key, { ...doc, value, dirty: !doc.saved || !sameJson(value, doc.saved) }));
}

/**
 * Renames a document. A saved one is renamed on disk at once, file and all (only its name changes there:
 * other unsaved edits stay unsaved here), and the document follows its new file. A name another
 * document in the same folder has is refused.
 */
async function rename(ctx: SliceContext, to: { kind: DocKind; key: string; name: string }): Promise<void> {
  const { kind, key } = to;
  const { api, get, set } = ctx;
  const doc = docOf(get(), kind, key);
  const dir = get().dir;
  if (!doc) return;
  const name = to.name.trim();
  const clash = nameClash(get(), { kind, key, name, folder: doc.folder });
  if (clash) {
    get().notify('error', `Not renamed: ${clash}`);
    return;
  }
  if (!doc.path || !dir) {
    setDocValue(ctx, kind, key, { ...doc.value, name });
    return;
  }
  try {
    const out = await api.collection.rename({ dir, path: doc.path, name, baseVersion: doc.version });
    const cur = docOf(get(), kind, key) ?? doc;
    const value = { ...cur.value, name };
    const saved = { ...(cur.saved ?? cur.value), name };
    const next = { ...cur, key: out.path, path: out.path, version: out.version, value, saved };
    const renamed = { ...next, dirty: !sameJson(value, saved) };
    if (out.path === key) set((st) => withDoc(st, kind, key, renamed));
    else rekey(ctx, kind, { from: key, to: out.path, doc: renamed });
    // The history moved with the file: what was listed under the old path is listed again under the new one.
    if (kind === 'webhook' && out.path !== key) void get().loadHistory(out.path);
    void get().refresh();
  } catch (e) {
    get().notify('error', `Not renamed: ${describe(e)}`);
  }
}

/** Deletes a document's file (if it has one) and closes it. */
async function remove(ctx: SliceContext, kind: DocKind, key: string): Promise<void> {
  const { api, set, get } = ctx;
  const doc = docOf(get(), kind, key);
  const dir = get().dir;
  if (!doc) return;
  if (doc.path && dir) {
    try {
      const { trashId } = await api.collection.delete({ dir, path: doc.path });
      get().notify('info', `Deleted ${doc.value.name}`, {
        label: 'Undo',
        run: () => get().restoreDeleted(kind, trashId),
      });
    } catch (e) {
      get().notify('error', `Not deleted: ${describe(e)}`);
      return;
    }
  }
  // Reloading after the delete supersedes any refresh that started before it.
  if (doc.path) void get().refresh();
  const s = get();
  const patch = withoutDoc(s, kind, key);
  set({ ...patch, ...afterRemoval(s, kind, key, tableOf({ ...s, ...patch }, kind).order) });
}

/** Creates, changes and removes open documents; one implementation for webhooks and contexts. */
export function documentsSlice(ctx: SliceContext): DocumentsState & DocumentsActions {
  const { set, get } = ctx;
  const setValue = <K extends DocKind>(kind: K, key: string, value: DocValues[K]) => setDocValue(ctx, kind, key, value);

  function openDraft<K extends DocKind>(kind: K, value: DocValues[K], folder = ''): string {
    const key = draftKey(kind);
    set((s) => {
      const { docs, order } = tableOf(s, kind);
      return {
        ...tablePatch(kind, { docs: { ...docs, [key]: { key, folder, value, dirty: true } }, order: [...order, key] }),
        ...opened(s, kind, key),
      };
    });
    return key;
  }

  return {
    webhooks: {},
    webhookOrder: [],
    contexts: {},
    contextOrder: [],
    tabs: [],
    closedTabs: [],
    select: (kind, key) => {
      set(kind === 'webhook' ? { selected: { kind, key }, currentWebhook: key } : { selected: { kind, key } });
      if (kind === 'webhook' && get().webhooks[key]?.path && !get().history[key]) void get().loadHistory(key);
    },
    updateWebhook: (key, change) => {
      const doc = get().webhooks[key];
      if (doc) setValue('webhook', key, { ...doc.value, ...change });
    },
    updateContext: (key, context) => setValue('context', key, context),
    save: async (key, opts = {}) => {
      const s = get();
      const k = key ?? s.selected?.key;
      const kind = key ? kindOf(s, key) : s.selected?.kind;
      const doc = k && kind ? docOf(s, kind, k) : undefined;
      if (!kind || !doc) return false;
      return saveDoc(ctx, kind, doc, opts.overwrite ?? false);
    },
    discard: (key) => {
      const s = get();
      const kind = kindOf(s, key);
      const doc = kind && docOf(s, kind, key);
      if (kind && doc?.saved)
        set(withDoc(s, kind, key, { ...doc, value: doc.saved, dirty: false, conflict: undefined }));
      // The disk copy may be newer than what was opened: reload it.
      void get().refresh();
    },
    newWebhook: (folder = '') =>
      openDraft('webhook', blankWebhook(uniqueName(get(), 'webhook', 'New webhook', folder)), folder),
    newContext: () => openDraft('context', { ...emptyContext, name: uniqueName(get(), 'context', 'New context') }),
    duplicate: async (kind, key) => {
      const doc = docOf(get(), kind, key);
      if (!doc) return;
      const name = uniqueName(get(), kind, `${doc.value.name} copy`, doc.folder);
      const newKey = openDraft(kind, { ...doc.value, name }, doc.folder);
      await get().save(newKey);
    },
    rename: (kind, key, name) => rename(ctx, { kind, key, name }),
    move: (key, folder) => moveWebhook(ctx, key, folder),
    remove: (kind, key) => remove(ctx, kind, key),
    setActiveContext: (key) => set({ activeContext: key }),
    ...tabActions(ctx),
  };
}
