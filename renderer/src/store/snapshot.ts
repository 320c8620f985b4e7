import type { CollectionSnapshot } from '@shared/contract';
import { mergeFromDisk, restoreDrafts, tableOf, type DocTable } from './documents';
import { readSession } from './session';
import type { DocKind, DocumentsState, StudioState } from './types';

type Opened = { kind: DocKind; key: string };
type Tables = { webhook: DocTable<'webhook'>; context: DocTable<'context'> };

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

/** What is open after a snapshot: what was before (same collection), else what the stored session reopens, else the first webhook. */
function pickOpen(
  before: DocumentsState | undefined,
  tables: Tables,
  reopened: Opened | undefined,
): Pick<DocumentsState, 'selected' | 'currentWebhook'> {
  const first = tables.webhook.order[0];
  const selected =
    before?.selected && has(tables, before.selected)
      ? before.selected
      : (reopened ?? (first ? { kind: 'webhook' as const, key: first } : undefined));
  const currentWebhook =
    before?.currentWebhook && tables.webhook.docs[before.currentWebhook]
      ? before.currentWebhook
      : reopened?.kind === 'webhook'
        ? reopened.key
        : first;
  return { selected, currentWebhook };
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
  return {
    webhooks: tables.webhook.docs,
    webhookOrder: tables.webhook.order,
    contexts: tables.context.docs,
    contextOrder: tables.context.order,
    ...pickOpen(before, tables, reopen && has(tables, reopen) ? reopen : undefined),
    activeContext: pickContext(before?.activeContext, tables.context, snap.defaultContext),
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
