import { docOf, draftKey, tableOf, tablePatch } from '../documents';
import { afterClose, sameTab, shownDoc, tabExists } from '../tabs';
import type { ClosedTab, DocTab, DocumentsActions, DocValues, SliceContext } from '../types';

/** How many closed tabs Reopen closed tab remembers. */
const CLOSED_KEPT = 20;

/** Closes a tab at once; `edits` are the unsaved edits being discarded, kept so reopening brings them back. */
function closeNow(ctx: SliceContext, tab: DocTab, edits?: ClosedTab['edits']): void {
  const s = ctx.get();
  const closed: ClosedTab = { kind: tab.kind, key: tab.key, ...(edits ? { edits } : {}) };
  const patch = afterClose(s, tab);
  ctx.set({ ...patch, closedTabs: [...s.closedTabs.filter((t) => !sameTab(t, tab)), closed].slice(-CLOSED_KEPT) });
  // Showing the neighbour tab goes through select, so a webhook's history loads as when it is clicked.
  const next = shownDoc(patch);
  if (next && !sameTab(next, shownDoc(s))) ctx.get().select(next.kind, next.key);
}

/** Discards a document's unsaved edits as its tab closes; Undo (or reopening the tab) brings them back. */
function discardAndClose(ctx: SliceContext, tab: DocTab): void {
  const doc = docOf(ctx.get(), tab.kind, tab.key);
  if (!doc) return;
  const edits = { folder: doc.folder, value: doc.value };
  closeNow(ctx, tab, edits);
  // A draft never saved has nothing to go back to: it goes (no file is touched); a saved one takes its file's copy.
  if (doc.saved) ctx.get().discard(tab.key);
  else void ctx.get().remove(tab.kind, tab.key);
  ctx.get().notify('info', `Discarded the unsaved edits to ${doc.value.name}`, {
    label: 'Undo',
    run: () => {
      reopen(ctx, { kind: tab.kind, key: tab.key, edits });
    },
  });
}

/** Saves a document, then closes its tab; a refused save keeps the tab open with the reason on it. */
async function saveAndClose(ctx: SliceContext, tab: DocTab): Promise<void> {
  const at = ctx.get().tabs.findIndex((t) => sameTab(t, tab));
  if (!(await ctx.get().save(tab.key))) return;
  // A draft saved for the first time takes its file's path as key; its tab followed it in place.
  const now = tabExists(ctx.get(), tab) ? tab : ctx.get().tabs[at];
  if (now) closeNow(ctx, now);
}

/** Puts a document back with edits that were discarded: over its file's copy, or as a draft if it has gone. */
function restoreEdits(ctx: SliceContext, tab: DocTab, edits: NonNullable<ClosedTab['edits']>): DocTab {
  const s = ctx.get();
  if (tabExists(s, tab)) {
    // The edits were made on a document of this kind (each action takes its own kind's value).
    if (tab.kind === 'webhook') s.updateWebhook(tab.key, edits.value);
    else s.updateContext(tab.key, edits.value as DocValues['context']);
    return tab;
  }
  const key = draftKey(tab.kind);
  const { docs, order } = tableOf(s, tab.kind);
  const draft = { key, folder: edits.folder, value: edits.value, dirty: true };
  ctx.set(tablePatch(tab.kind, { docs: { ...docs, [key]: draft }, order: [...order, key] }));
  return { kind: tab.kind, key };
}

/** Opens a closed tab again, with the edits discarded on closing it; false when its document is gone for good. */
function reopen(ctx: SliceContext, closed: ClosedTab): boolean {
  const tab: DocTab = { kind: closed.kind, key: closed.key };
  if (!closed.edits && !tabExists(ctx.get(), tab)) return false;
  const open = closed.edits ? restoreEdits(ctx, tab, closed.edits) : tab;
  ctx.set((s) => ({ closedTabs: s.closedTabs.filter((t) => !sameTab(t, closed)) }));
  ctx.get().select(open.kind, open.key);
  return true;
}

type TabActions = Pick<DocumentsActions, 'closeTab' | 'answerClose' | 'reopenTab'>;

/** Closing and reopening tabs: unsaved edits are never lost by a close. */
export function tabActions(ctx: SliceContext): TabActions {
  const { get, set } = ctx;
  return {
    closeTab: (tab) => {
      const s = get();
      const target = tab ?? shownDoc(s);
      if (!target || s.closingTab) return;
      const doc = docOf(s, target.kind, target.key);
      if (doc?.dirty) set({ closingTab: { kind: target.kind, key: target.key } });
      else closeNow(ctx, target);
    },
    answerClose: async (answer) => {
      const tab = get().closingTab;
      set({ closingTab: undefined });
      if (!tab || answer === 'cancel') return;
      if (answer === 'discard') discardAndClose(ctx, tab);
      else await saveAndClose(ctx, tab);
    },
    reopenTab: () => {
      // The last closed tab whose document can still be opened (or whose discarded edits can be).
      for (const closed of [...get().closedTabs].reverse()) {
        if (reopen(ctx, closed)) return;
        set((s) => ({ closedTabs: s.closedTabs.filter((t) => t !== closed) }));
      }
    },
  };
}
