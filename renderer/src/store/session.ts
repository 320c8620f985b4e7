import { shownDoc } from './tabs';
import type { DocKind, DocTab, DocumentsState, DocValues } from './types';

// What the studio keeps in the browser: the collections opened lately, and per collection the unsaved
// documents, the open tabs and the one shown, so a reload restores them.

const RECENT_KEY = 'webhook-studio.recent';

export function readRecent(): string[] {
  try {
    const raw = globalThis.localStorage.getItem(RECENT_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return [];
  }
}

export function writeRecent(recent: string[]): void {
  try {
    globalThis.localStorage.setItem(RECENT_KEY, JSON.stringify(recent));
  } catch {
    // Storage can be unavailable (private mode); the list then lives for this session only.
  }
}

/** An unsaved document kept in the browser until it is saved or discarded, so a reload does not lose it. */
export type StoredDraft = {
  kind: DocKind;
  key: string;
  path?: string;
  folder: string;
  version?: string;
  value: DocValues[DocKind];
};
export type StoredSession = { drafts: StoredDraft[]; open?: DocTab; tabs?: DocTab[] };

const sessionKey = (dir: string) => `webhook-studio.session:${dir}`;

function isTab(t: unknown): t is DocTab {
  if (!t || typeof t !== 'object') return false;
  const tab = t as Partial<Record<keyof DocTab, unknown>>;
  return (tab.kind === 'webhook' || tab.kind === 'context') && typeof tab.key === 'string';
}

function isDraft(d: unknown): d is StoredDraft {
  if (!d || typeof d !== 'object') return false;
  const draft = d as Partial<Record<keyof StoredDraft, unknown>>;
  return (
    (draft.kind === 'webhook' || draft.kind === 'context') &&
    typeof draft.key === 'string' &&
    typeof draft.value === 'object'
  );
}

export function readSession(dir: string): StoredSession {
  try {
    const raw = globalThis.localStorage.getItem(sessionKey(dir));
    const parsed = raw ? (JSON.parse(raw) as Partial<Record<keyof StoredSession, unknown>>) : {};
    return {
      drafts: Array.isArray(parsed.drafts) ? parsed.drafts.filter(isDraft) : [],
      open: isTab(parsed.open) ? parsed.open : undefined,
      tabs: Array.isArray(parsed.tabs) ? parsed.tabs.filter(isTab) : [],
    };
  } catch {
    return { drafts: [] };
  }
}

export function writeSession(dir: string, session: StoredSession): void {
  try {
    globalThis.localStorage.setItem(sessionKey(dir), JSON.stringify(session));
  } catch {
    // Storage full or unavailable: the drafts then live in this page only (the unload prompt still asks).
  }
}

/** The session to keep for the documents open now: every dirty one, in sidebar order, the tabs and the one shown. */
export function sessionOf(s: DocumentsState): StoredSession {
  const drafts: StoredDraft[] = [];
  const keep = (kind: DocKind, order: string[], docs: DocumentsState['webhooks'] | DocumentsState['contexts']) => {
    for (const key of order) {
      const d = docs[key];
      if (d?.dirty) drafts.push({ kind, key, path: d.path, folder: d.folder, version: d.version, value: d.value });
    }
  };
  keep('webhook', s.webhookOrder, s.webhooks);
  keep('context', s.contextOrder, s.contexts);
  return { drafts, open: shownDoc(s), tabs: s.tabs.map((t) => ({ kind: t.kind, key: t.key })) };
}
