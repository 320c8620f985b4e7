import { createStore } from 'zustand/vanilla';
import type { StudioApi } from '@shared/contract';
import { sessionOf, writeSession } from './session';
import { followTabs } from './tabs';
import { collectionSlice } from './slices/collection';
import { documentsSlice } from './slices/documents';
import { noticesSlice } from './slices/notices';
import { recordProgress, sendSlice } from './slices/send';
import { transferSlice } from './slices/transfer';
import { uiSlice } from './slices/ui';
import type { SliceContext, Studio, StudioStore } from './types';

// The studio's one store, made of slices named for what they hold: the collection, the open
// documents, sends, import/export, notices and the page's UI state.

export type {
  ContextDoc,
  Doc,
  DocKind,
  Notice,
  SendPhase,
  SendState,
  StudioActions,
  StudioState,
  StudioStore,
  Target,
  WebhookDoc,
} from './types';
export { describe } from './describe';
export { explicitProfile } from './slices/collection';
export { blankWebhook, emptyContext } from './slices/documents';
export { NOTICE_MS } from './slices/notices';
export { movedPath } from './slices/save';

/** The store last made: what `useUi.getState()` and friends act on outside React. */
let latest: StudioStore | undefined;
export const latestStore = (): StudioStore | undefined => latest;

function randomId(): string {
  // randomUUID exists only in secure contexts (https, localhost): the page may be served over plain http.
  const crypto = globalThis.crypto as Partial<Crypto> | undefined;
  return crypto?.randomUUID ? crypto.randomUUID() : `send-${Date.now()}-${Math.random()}`;
}

/** The store follows outside events from birth, so changes on disk are never missed. */
function listen(ctx: SliceContext): void {
  const { api, get } = ctx;
  api.on('collection:changed', (p) => {
    if (p.dir === get().dir) void get().refresh();
  });
  api.on('collection:opened', (p) => {
    if (p.dir !== get().dir) void get().openCollection(p.dir);
  });
  api.on('send:progress', (p) => recordProgress(ctx, p));
}

/** How long edits gather before the session is written: one write for a burst of typing, not one a keystroke. */
const SESSION_WRITE_MS = 300;

/**
 * Unsaved documents and the open one are kept in the browser per collection, so a reload restores them.
 * Writing serializes every draft, so it waits for a pause in typing; leaving the page (a reload, a close,
 * the tab going to the background) writes at once.
 */
function keepSession(store: StudioStore): void {
  let latest: Studio | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (latest?.dir) writeSession(latest.dir, sessionOf(latest));
    latest = undefined;
  };
  store.subscribe((st, prev) => {
    const dir = st.dir;
    if (!dir) return;
    const same =
      dir === prev.dir &&
      st.webhooks === prev.webhooks &&
      st.contexts === prev.contexts &&
      st.selected === prev.selected &&
      st.tabs === prev.tabs &&
      st.currentWebhook === prev.currentWebhook;
    if (same) return;
    // Another collection opened: the one before keeps its last state.
    if (latest && latest.dir !== dir) flush();
    latest = st;
    timer ??= setTimeout(flush, SESSION_WRITE_MS);
  });
  globalThis.addEventListener('pagehide', flush);
  globalThis.document.addEventListener('visibilitychange', () => {
    if (globalThis.document.visibilityState === 'hidden') flush();
  });
}

export function createStudioStore(api: StudioApi, opts: { newId?: () => string } = {}): StudioStore {
  const newId = opts.newId ?? randomId;
  const store = createStore<Studio>()((set, get) => {
    const ctx: SliceContext = { api, set, get };
    return {
      ...collectionSlice(ctx),
      ...documentsSlice(ctx),
      ...sendSlice(ctx, newId),
      ...transferSlice(ctx),
      ...noticesSlice(ctx),
      ...uiSlice(set),
    };
  });
  listen({ api, set: store.setState, get: store.getState });
  keepSession(store);
  followTabs(store);
  latest = store;
  return store;
}
