import type { CollectionSnapshot } from '@shared/contract';
import { mergeFromDisk, restoreDrafts, tableOf, type DocTable } from './documents';
import { readSession } from './session';
import { liveTabs, shownDoc, withTab } from './tabs';
import type { DocKind, DocumentsState, StudioState } from './types';

type Opened = { kind: DocKind; key: string };
type Tables = { webhook: DocTable<'webhook'>; context: DocTable<'context'> };
type Shown = Pick<DocumentsState, 'selected' | 'currentWebhook'>;

function has(tables: Tables, open: Opened): boolean {
  return !!(open.kind === 'webhook' ? tables.webhook.docs[open.key] : tables.context.docs[open.key]);
}

/** The context to act with: the one active before, else the collection's default, else the first. */
function pickContext(kept: string | undefined, contexts: DocTable<'context'>, def: string | undefined) {
  if (kept && contexts.docs[kept]) return kept;
  if (def) {
    const byPath = contexts.order.find(
      (k) => k === def || k.endsWith(`/${def}`) || contexts.docs[k]?.value.name === def,
    );
    if (byPath) return byPath;
  }
  return contexts.order[0];
}

/** What is open when a collection is opened: what the stored session reopens, else its first tab, else the first webhook. */
function pickFresh(tables: Tables, reopened: Opened | undefined, tabs: Opened[]): Shown {
  const first = tables.webhook.order[0];
  const selected = reopened ?? tabs[0] ?? (first ? { kind: 'webhook' as const, key: first } : undefined);
  const webhookTab = tabs.find((t) => t.kind === 'webhook');
  return { selected, currentWebhook: selected?.kind === 'webhook' ? selected.key : (webhookTab?.key ?? first) };
}

/**
 * What is open after a snapshot: a newly opened collection (or one that had no webhook) starts as `pickFresh` says;
 * the same collection keeps what the user has open, nothing if they closed every tab; a document that went away
 * gives way to another tab.
 */
function pickOpen(before: DocumentsState | undefined, tables: Tables, reopened: Opened | undefined, tabs: Opened[]) {
  if (!before || before.webhookOrder.length === 0) return pickFresh(tables, reopened, tabs);
  const selected = !before.selected || has(tables, before.selected) ? before.selected : tabs[0];
  const kept = before.currentWebhook;
  const currentWebhook =
    kept && tables.webhook.docs[kept]
      ? kept
      : selected?.kind === 'webhook'
        ? selected.key
        : kept
          ? tabs.find((t) => t.kind === 'webhook')?.key
          : undefined;
  return { selected, currentWebhook };
}

/** The tabs after a snapshot: the same collection keeps its own, a newly opened one takes those stored with its session. */
function tabsFrom(before: DocumentsState | undefined, stored: Opened[], restored: Map<string, string>): Opened[] {
  return before ? before.tabs : stored.map((t) => ({ kind: t.kind, key: restored.get(t.key) ?? t.key }));
}

/** The documents after a snapshot, with the drafts a freshly opened collection brings back from this browser. */
function documentsFrom(s: StudioState, snap: CollectionSnapshot): DocumentsState {
  const before = s.dir === snap.dir ? s : undefined;
  const tables: Tables = {
    webhook: mergeFromDisk(
      'webhook',
      snap.webhooks.map((w) => ({ path: w.path, folder: w.folder, version: w.version, value: w.webhook })),
      before && tableOf(before, 'webhook'),
    ),
    context: mergeFromDisk(
      'context',
      snap.contexts.map((c) => ({ path: c.path, folder: '', version: c.version, value: c.context })),
      before && tableOf(before, 'context'),
    ),
  };
  const session = before ? undefined : readSession(snap.dir);
  const drafts = session?.drafts ?? [];
  const restored = new Map([
    ...restoreDrafts('webhook', tables.webhook, drafts),
    ...restoreDrafts('context', tables.context, drafts),
  ]);
  const open = session?.open;
  const reopen = open ? { kind: open.kind, key: restored.get(open.key) ?? open.key } : undefined;
  const docs = { webhooks: tables.webhook.docs, contexts: tables.context.docs };
  const tabs = liveTabs(docs, tabsFrom(before, session?.tabs ?? [], restored));
  const shown = pickOpen(before, tables, reopen && has(tables, reopen) ? reopen : undefined, tabs);
  return {
    ...docs,
    webhookOrder: tables.webhook.order,
    contextOrder: tables.context.order,
    ...shown,
    activeContext: pickContext(before?.activeContext, tables.context, snap.defaultContext),
    tabs: withTab(tabs, shownDoc(shown)),
    closedTabs: before?.closedTabs ?? [],
    closingTab: before?.closingTab,
  };
}

/** Merges a fresh snapshot into the store: dirty documents keep their edits and learn of the change. */
export function snapshotPatch(s: StudioState, snap: CollectionSnapshot): Partial<StudioState> {
  const sameDir = s.dir === snap.dir;
  return {
    dir: snap.dir,
    name: snap.name,
    profile: snap.profile,
    fields: snap.fields,
    problems: snap.problems,
    secrets: snap.secrets,
    ...(sameDir ? {} : { secretSources: [], secretBackend: undefined }),
    triggers: snap.triggers ?? [],
    catcherRules: snap.catcherRules ?? [],
    ...documentsFrom(s, snap),
    // A different collection starts with no sends, responses or history.
    ...(sameDir ? {} : { exchanges: {}, history: {}, sends: {}, staleExchanges: {} }),
  };
}
