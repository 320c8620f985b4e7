import type { StoreApi } from 'zustand/vanilla';
import type { ChannelOutput, CollectionSnapshot, HistoryEntry, ImportReport, StudioApi } from '@shared/contract';
import type { CatcherRule, Exchange, FieldCatalog, Profile, TokenContext, Trigger, Webhook } from '@shared/model';
import type { UiActions, UiState } from './slices/ui';

export type DocKind = 'webhook' | 'context';

/** What a document of each kind holds. */
export type DocValues = { webhook: Webhook; context: TokenContext };

/** An open document: what is on disk (`saved`, `version`) and what the user is editing (`value`). */
export type Doc<T> = {
  key: string;
  /** Absent for a draft that was never saved. */
  path?: string;
  folder: string;
  version?: string;
  saved?: T;
  value: T;
  dirty: boolean;
  /** Set when a save was refused because the file changed on disk, or the file went away: the edits stay here. */
  conflict?: string;
};
export type WebhookDoc = Doc<Webhook>;
export type ContextDoc = Doc<TokenContext>;

export type SendPhase = 'dns' | 'connect' | 'tls' | 'sent' | 'headers' | 'body' | 'done';
export type SendState = { sendId: string; startedAt: number; phases: { phase: SendPhase; atMs: number }[] };

/** The one thing a notice offers to do (Undo), as a button in it. */
export type NoticeAction = { label: string; run: () => void | Promise<void> };
export type Notice = { id: number; kind: 'error' | 'info'; text: string; action?: NoticeAction };

export type Target = 'url' | 'catcher';

/** The open collection: where it is and what it says collection-wide. */
export type CollectionState = {
  shell?: 'electron' | 'browser';
  dir?: string;
  name?: string;
  profile: Profile;
  fields: FieldCatalog;
  problems: CollectionSnapshot['problems'];
  secrets: string[];
  /** Where each secret with a value comes from (names as the sources spell them), and where Store writes. */
  secretSources: Array<{ name: string; source: 'store' | '.env' | 'environment' }>;
  secretBackend?: 'safe-storage' | 'private-file';
  /** The collection's "Webhook is Called" triggers (triggers.yaml). */
  triggers: Trigger[];
  /** The built-in catcher's answers (catcher.yaml), first match wins. */
  catcherRules: CatcherRule[];
  recent: string[];
  loading: boolean;
};

/** The webhooks and contexts open for editing, and which of them the editor, preview and Send act on. */
export type DocumentsState = {
  webhooks: Record<string, WebhookDoc>;
  /** Sidebar order: keys of webhooks as the collection lists them, drafts last. */
  webhookOrder: string[];
  contexts: Record<string, ContextDoc>;
  contextOrder: string[];
  /** What the editor shows. */
  selected?: { kind: DocKind; key: string };
  /** The webhook the preview and Send act on: the last one opened. */
  currentWebhook?: string;
  activeContext?: string;
  /** The open tabs, in the strip's order: every document the user opened and has not closed. */
  tabs: DocTab[];
  /** Tabs closed in this page, the last one last (what Reopen closed tab brings back). */
  closedTabs: ClosedTab[];
  /** The tab whose close waits for the user's answer: it holds unsaved edits (Save, Discard or Cancel). */
  closingTab?: DocTab;
};

/** A tab of the strip above the editor: one open webhook or context. */
export type DocTab = { kind: DocKind; key: string };
/** A closed tab; `edits` are the unsaved edits discarded on closing it, which reopening brings back. */
export type ClosedTab = DocTab & { edits?: { folder: string; value: DocValues[DocKind] } };
export type CloseAnswer = 'save' | 'discard' | 'cancel';

/** Sends in flight, their answers and each webhook's history. */
export type SendSliceState = {
  target: Target;
  sends: Record<string, SendState | undefined>;
  exchanges: Record<string, Exchange | undefined>;
  history: Record<string, HistoryEntry[] | undefined>;
  /** Why the response shown for a webhook is not the latest: its last send failed after it. */
  staleExchanges: Record<string, string | undefined>;
};

export type NoticesState = { notices: Notice[] };

export type StudioState = CollectionState & DocumentsState & SendSliceState & NoticesState & UiState;

export type CollectionActions = {
  boot: () => Promise<void>;
  openCollection: (dir: string) => Promise<void>;
  initCollection: (dir: string) => Promise<void>;
  pickCollection: () => Promise<void>;
  /** Reloads from disk after `collection:changed`; dirty documents keep their edits. */
  refresh: () => Promise<void>;
  /** Saves collection-wide profile options (timeout, redirects, encodings Marketo leaves undocumented). */
  saveProfile: (change: Partial<Profile>) => Promise<void>;
  /** Saves the collection's "Webhook is Called" triggers (the whole list). */
  saveTriggers: (triggers: Trigger[]) => Promise<void>;
  /** Saves the built-in catcher's answers (the whole list); false, with the reason shown, when refused. */
  saveCatcherRules: (rules: CatcherRule[]) => Promise<boolean>;
  /** Stores a secret's value in the secrets store (never in the collection). */
  setSecret: (name: string, value: string) => Promise<boolean>;
  /** Reads which secrets have a value and from where (never the values). */
  loadSecrets: () => Promise<void>;
  /** Undoes a delete: puts the trashed file back and opens it again. */
  restoreDeleted: (kind: DocKind, trashId: string) => Promise<void>;
};

export type DocumentsActions = {
  select: (kind: DocKind, key: string) => void;
  updateWebhook: (key: string, change: Partial<Webhook>) => void;
  updateContext: (key: string, context: TokenContext) => void;
  save: (key?: string, opts?: { overwrite?: boolean }) => Promise<boolean>;
  discard: (key: string) => void;
  newWebhook: (folder?: string) => string;
  newContext: () => string;
  duplicate: (kind: DocKind, key: string) => Promise<void>;
  rename: (kind: DocKind, key: string, name: string) => Promise<void>;
  move: (key: string, folder: string) => Promise<void>;
  remove: (kind: DocKind, key: string) => Promise<void>;
  setActiveContext: (key: string | undefined) => void;
  /** Closes a tab (the one shown when none is given); one with unsaved edits asks first. */
  closeTab: (tab?: DocTab) => void;
  /** The user's answer to closing a tab with unsaved edits. */
  answerClose: (answer: CloseAnswer) => Promise<void>;
  /** Opens the last closed tab again, with the edits discarded on closing it. */
  reopenTab: () => void;
};

export type SendActions = {
  setTarget: (target: Target) => void;
  send: () => Promise<void>;
  cancel: () => Promise<void>;
  loadHistory: (key: string) => Promise<void>;
  showHistory: (key: string, id: string) => Promise<void>;
  /** One history entry's exchange, without showing it (for Compare). */
  historyExchange: (id: string) => Promise<Exchange>;
};

export type TransferActions = {
  importFile: (file: { fileName: string; content: string; overwrite: boolean }) => Promise<ImportReport | undefined>;
  exportRun: (
    format: 'bundle' | 'postman' | 'curl' | 'marketo',
    webhookKeys: string[],
  ) => Promise<ChannelOutput<'export:run'> | undefined>;
};

export type NoticesActions = {
  notify: (kind: Notice['kind'], text: string, action?: NoticeAction) => void;
  dismiss: (id: number) => void;
};

export type StudioActions = CollectionActions &
  DocumentsActions &
  SendActions &
  TransferActions &
  NoticesActions &
  UiActions;

export type Studio = StudioState & StudioActions;
export type StudioStore = StoreApi<Studio>;

/** What every slice is built from: the studio's one API and the store's own set/get. */
export type SliceContext = {
  api: StudioApi;
  set: StudioStore['setState'];
  get: StudioStore['getState'];
};
