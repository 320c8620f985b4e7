import type { Doc, DocKind, DocumentsState, DocValues } from './types';
import type { StoredDraft } from './session';
import { rekeyedTabs } from './tabs';

// One implementation of an open document for both kinds: webhooks and contexts differ only in which
// state fields hold them (and a webhook's folder), so every operation here takes the kind.

export type Docs<K extends DocKind> = Record<string, Doc<DocValues[K]>>;
/** One kind's documents and their sidebar order. */
export type DocTable<K extends DocKind> = { docs: Docs<K>; order: string[] };

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

let draftSeq = 0;

/** A key for a document that has no file yet. */
export function draftKey(kind: DocKind): string {
  return `draft:${kind}:${++draftSeq}`;
}

export function tableOf<K extends DocKind>(
  s: Pick<DocumentsState, 'webhooks' | 'webhookOrder' | 'contexts' | 'contextOrder'>,
  kind: K,
): DocTable<K> {
  const table =
    kind === 'webhook' ? { docs: s.webhooks, order: s.webhookOrder } : { docs: s.contexts, order: s.contextOrder };
  // The branch above picks the fields that hold kind K's documents.
  return table as DocTable<K>;
}

/** The state change that puts one kind's documents (and, when given, their order) in place. */
export function tablePatch<K extends DocKind>(kind: K, table: Partial<DocTable<K>>): Partial<DocumentsState> {
  const { docs, order } = table;
  if (kind === 'webhook')
    return {
      ...(docs ? { webhooks: docs as Docs<'webhook'> } : {}),
      ...(order ? { webhookOrder: order } : {}),
    };
  return { ...(docs ? { contexts: docs as Docs<'context'> } : {}), ...(order ? { contextOrder: order } : {}) };
}

export function docOf<K extends DocKind>(s: DocumentsState, kind: K, key: string): Doc<DocValues[K]> | undefined {
  return tableOf(s, kind).docs[key];
}

/** The kind of the document with this key, if one is open. */
export function kindOf(s: DocumentsState, key: string): DocKind | undefined {
  if (s.webhooks[key]) return 'webhook';
  return s.contexts[key] ? 'context' : undefined;
}

/** The state change that replaces (or adds) one document, keeping the order. */
export function withDoc<K extends DocKind>(
  s: DocumentsState,
  kind: K,
  key: string,
  doc: Doc<DocValues[K]>,
): Partial<DocumentsState> {
  return tablePatch(kind, { docs: { ...tableOf(s, kind).docs, [key]: doc } });
}

/** The state change that moves a document to a new key (a save or move gave it a new path). */
export function rekeyed<K extends DocKind>(
  s: DocumentsState,
  kind: K,
  move: { from: string; to: string; doc: Doc<DocValues[K]> },
): Partial<DocumentsState> {
  const { from, to, doc } = move;
  const { docs, order } = tableOf(s, kind);
  const rest = Object.fromEntries(Object.entries(docs).filter(([k]) => k !== from));
  return {
    ...tablePatch(kind, {
      docs: { ...rest, [to]: doc },
      order: order.filter((k) => k !== to).map((k) => (k === from ? to : k)),
    }),
    // Its tab follows it, in place.
    tabs: rekeyedTabs(s.tabs, { kind, key: from }, to),
  };
}

/** The state change that drops a document. */
export function withoutDoc(s: DocumentsState, kind: DocKind, key: string): Partial<DocumentsState> {
  const { docs, order } = tableOf(s, kind);
  return tablePatch(kind, {
    docs: Object.fromEntries(Object.entries(docs).filter(([k]) => k !== key)),
    order: order.filter((k) => k !== key),
  });
}

/** A document as a file on disk holds it. */
export type DiskDoc<T> = { path: string; folder: string; version: string; value: T };

const changedWhileEditing = (kind: DocKind) => `This ${kind} changed on disk while you were editing it.`;
const goneFromDisk = (kind: DocKind) => `This ${kind} was deleted or moved on disk. Save to write it again.`;

/**
 * One kind's documents after a fresh snapshot: clean ones take the disk's copy; dirty ones keep their
 * edits and learn of the change. `prev` is the same collection's table before (absent for a newly opened one).
 */
export function mergeFromDisk<K extends DocKind>(
  kind: K,
  disk: DiskDoc<DocValues[K]>[],
  prev: DocTable<K> | undefined,
): DocTable<K> {
  const docs: Docs<K> = {};
  const order: string[] = [];
  for (const d of disk) {
    const was = prev?.docs[d.path];
    if (was?.dirty) {
      const changed = was.version !== undefined && was.version !== d.version && !sameJson(was.saved, d.value);
      docs[d.path] = { ...was, folder: d.folder, conflict: changed ? changedWhileEditing(kind) : was.conflict };
    } else {
      docs[d.path] = {
        key: d.path,
        path: d.path,
        folder: d.folder,
        version: d.version,
        saved: d.value,
        value: d.value,
        dirty: false,
      };
    }
    order.push(d.path);
  }
  for (const key of prev?.order ?? []) {
    const was = prev?.docs[key];
    if (!was || docs[key]) continue;
    // A draft, or a dirty document whose file went away: keep the edits, never drop them silently.
    if (!was.path || was.dirty) {
      docs[key] = was.path ? { ...was, conflict: goneFromDisk(kind) } : was;
      order.push(key);
    }
  }
  return { docs, order };
}

/**
 * Brings back into one kind's table the drafts this browser kept for the collection, still unsaved.
 * Returns each draft's key as stored → its key now.
 */
export function restoreDrafts<K extends DocKind>(
  kind: K,
  table: DocTable<K>,
  drafts: StoredDraft[],
): Map<string, string> {
  const restored = new Map<string, string>();
  for (const d of drafts) {
    if (d.kind !== kind) continue;
    // A stored draft of kind K holds a value of kind K (it was written from that kind's table).
    const value = d.value as DocValues[K];
    const disk = d.path ? table.docs[d.path] : undefined;
    if (d.path && disk) {
      const changed = d.version !== undefined && d.version !== disk.version;
      table.docs[d.path] = {
        ...disk,
        version: d.version ?? disk.version,
        value,
        dirty: !sameJson(value, disk.saved),
        conflict: changed ? `This ${kind} changed on disk after your unsaved edits were made.` : undefined,
      };
      restored.set(d.key, d.path);
    } else {
      const key = d.path ?? draftKey(kind);
      table.docs[key] = d.path
        ? { key, path: d.path, version: d.version, folder: d.folder, value, dirty: true, conflict: goneFromDisk(kind) }
        : { key, folder: d.folder, value, dirty: true };
      table.order.push(key);
      restored.set(d.key, key);
    }
  }
  return restored;
}
