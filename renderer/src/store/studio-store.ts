import { createStore, type StoreApi } from 'zustand/vanilla';
import { StudioError } from '@shared/model/error';
import {
  channelNames,
  type ChannelOutput,
  type CollectionSnapshot,
  type HistoryEntry,
  type ImportReport,
  type StudioApi,
} from '@shared/contract';
import type { Exchange, FieldCatalog, Profile, TokenContext, Trigger, Webhook } from '@shared/model';
import { defaultProfile } from '@shared/model';

export type DocKind = 'webhook' | 'context';

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

export type Notice = { id: number; kind: 'error' | 'info'; text: string };

export type Target = 'url' | 'catcher';

export type StudioState = {
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
  recent: string[];
  loading: boolean;
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
  target: Target;
  sends: Record<string, SendState | undefined>;
  exchanges: Record<string, Exchange | undefined>;
  history: Record<string, HistoryEntry[] | undefined>;
  /** Why the response shown for a webhook is not the latest: its last send failed after it. */
  staleExchanges: Record<string, string | undefined>;
  notices: Notice[];
};

export type StudioActions = {
  boot(): Promise<void>;
  openCollection(dir: string): Promise<void>;
  initCollection(dir: string): Promise<void>;
  pickCollection(): Promise<void>;
  /** Reloads from disk after `collection:changed`; dirty documents keep their edits. */
  refresh(): Promise<void>;
  select(kind: DocKind, key: string): void;
  updateWebhook(key: string, change: Partial<Webhook>): void;
  updateContext(key: string, context: TokenContext): void;
  save(key?: string, opts?: { overwrite?: boolean }): Promise<boolean>;
  discard(key: string): void;
  newWebhook(folder?: string): string;
  newContext(): string;
  duplicate(kind: DocKind, key: string): Promise<void>;
  rename(kind: DocKind, key: string, name: string): Promise<void>;
  move(key: string, folder: string): Promise<void>;
  remove(kind: DocKind, key: string): Promise<void>;
  /** Saves collection-wide profile options (timeout, redirects, encodings Marketo leaves undocumented). */
  saveProfile(change: Partial<Profile>): Promise<void>;
  /** Saves the collection's "Webhook is Called" triggers (the whole list). */
  saveTriggers(triggers: Trigger[]): Promise<void>;
  /** Stores a secret's value in the secrets store (never in the collection). */
  setSecret(name: string, value: string): Promise<boolean>;
  /** Reads which secrets have a value and from where (never the values). */
  loadSecrets(): Promise<void>;
  setActiveContext(key: string | undefined): void;
  setTarget(target: Target): void;
  send(): Promise<void>;
  cancel(): Promise<void>;
  loadHistory(key: string): Promise<void>;
  showHistory(key: string, id: string): Promise<void>;
  /** One history entry's exchange, without showing it (for Compare). */
  historyExchange(id: string): Promise<Exchange>;
  importFile(file: { fileName: string; content: string; overwrite: boolean }): Promise<ImportReport | undefined>;
  exportRun(
    format: 'bundle' | 'postman' | 'curl' | 'marketo',
    webhookKeys: string[],
  ): Promise<ChannelOutput<'export:run'> | undefined>;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
};

export type StudioStore = StoreApi<StudioState & StudioActions>;

/** The context used when the collection has none: Marketo still renders, every token empty. */
export const emptyContext: TokenContext = {
  name: 'Empty lead',
  lead: {},
  company: {},
  my: {},
  program: {},
  campaign: { Type: 'trigger' },
  trigger: {},
  member: {},
  system: {},
};

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

/**
 * The options that differ from the documented defaults. A snapshot carries the whole profile with
 * defaults filled in; the engine marks output "assumed" only for options the caller did not set, so
 * passing just the changed ones keeps those badges truthful.
 */
export function explicitProfile(profile: Profile): Partial<Profile> {
  const out: Partial<Profile> = {};
  for (const key of Object.keys(profile) as (keyof Profile)[]) {
    if (profile[key] !== defaultProfile[key]) (out as Record<string, unknown>)[key] = profile[key];
  }
  return out;
}

const RECENT_KEY = 'webhook-studio.recent';

function readRecent(): string[] {
  try {
    const raw = globalThis.localStorage?.getItem(RECENT_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return [];
  }
}

/** What to do when the page lost its host (restarted, stopped, or the session's token is no longer valid). */
const reconnectHint =
  'To reconnect, open in this tab the address that `webhook-studio serve` printed (it carries the token of the running host); unsaved edits are kept in this browser and come back.';

const channels = new Set<string>(channelNames);

/**
 * An error in the user's words: the studio's internal channel names (`secrets:set`) are not, so a
 * `where` naming one is left out and a `channel: ` prefix is cut; a field path is quoted. A lost host
 * adds how to reconnect.
 */
export function describe(e: unknown): string {
  if (e instanceof StudioError) {
    let message = e.message;
    const prefix = /^([a-z]+:[A-Za-z]+): /.exec(message);
    if (prefix && channels.has(prefix[1] ?? '')) {
      message = message.slice(prefix[0].length);
      if (e.issues && e.issues.length > 0)
        message = e.issues.map((i) => (i.path === '(input)' ? i.message : `‘${i.path}’: ${i.message}`)).join('; ');
    }
    const where = e.where && !channels.has(e.where) && !message.includes(e.where) ? e.where : undefined;
    const text = where ? `${message} (${where})` : message;
    return e.code === 'unauthorized' || e.code === 'host-unreachable' ? `${text} ${reconnectHint}` : text;
  }
  return e instanceof Error ? e.message : String(e);
}

/** How long a notice that is not an error stays: errors stay until dismissed. */
export const NOTICE_MS = 6000;

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** An unsaved document kept in the browser until it is saved or discarded, so a reload does not lose it. */
type StoredDraft = {
  kind: DocKind;
  key: string;
  path?: string;
  folder: string;
  version?: string;
  value: Webhook | TokenContext;
};
type StoredSession = { drafts: StoredDraft[]; open?: { kind: DocKind; key: string } };

const sessionKey = (dir: string) => `webhook-studio.session:${dir}`;

function readSession(dir: string): StoredSession {
  try {
    const raw = globalThis.localStorage?.getItem(sessionKey(dir));
    const parsed = raw ? (JSON.parse(raw) as Partial<StoredSession>) : {};
    return {
      drafts: Array.isArray(parsed.drafts)
        ? parsed.drafts.filter(
            (d) =>
              d &&
              typeof d === 'object' &&
              (d.kind === 'webhook' || d.kind === 'context') &&
              typeof d.key === 'string' &&
              typeof d.value === 'object',
          )
        : [],
      open: parsed.open,
    };
  } catch {
    return { drafts: [] };
  }
}

function writeSession(dir: string, session: StoredSession): void {
  try {
    globalThis.localStorage?.setItem(sessionKey(dir), JSON.stringify(session));
  } catch {
    // Storage full or unavailable: the drafts then live in this page only (the unload prompt still asks).
  }
}

let draftSeq = 0;
let noticeSeq = 0;

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

export function createStudioStore(api: StudioApi, opts: { newId?: () => string } = {}): StudioStore {
  const newId =
    opts.newId ??
    (() => (globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : `send-${Date.now()}-${Math.random()}`));
  let unsubscribe: (() => void)[] = [];
  // Assigned inside the store factory (it needs get/set); called once the store exists.
  let listenNow: () => void = () => undefined;
  let refreshGen = 0;

  const store = createStore<StudioState & StudioActions>()((set, get) => {
    function notify(kind: Notice['kind'], text: string): void {
      const id = ++noticeSeq;
      set((s) => ({ notices: [...s.notices.slice(-4), { id, kind, text }] }));
      if (kind !== 'error')
        setTimeout(() => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })), NOTICE_MS);
    }

    /** Merges a fresh snapshot into the open documents; dirty ones keep their edits and learn of the change. */
    function applySnapshot(snap: CollectionSnapshot): void {
      const s = get();
      const sameDir = s.dir === snap.dir;
      const webhooks: Record<string, WebhookDoc> = {};
      const webhookOrder: string[] = [];
      for (const w of snap.webhooks) {
        const prev = sameDir ? s.webhooks[w.path] : undefined;
        if (prev?.dirty) {
          const changed = prev.version !== undefined && prev.version !== w.version && !sameJson(prev.saved, w.webhook);
          webhooks[w.path] = {
            ...prev,
            folder: w.folder,
            conflict: changed ? 'This webhook changed on disk while you were editing it.' : prev.conflict,
          };
        } else {
          webhooks[w.path] = {
            key: w.path,
            path: w.path,
            folder: w.folder,
            version: w.version,
            saved: w.webhook,
            value: w.webhook,
            dirty: false,
          };
        }
        webhookOrder.push(w.path);
      }
      if (sameDir) {
        for (const key of s.webhookOrder) {
          const prev = s.webhooks[key];
          if (!prev || webhooks[key]) continue;
          // A draft, or a dirty document whose file went away: keep the edits, never drop them silently.
          if (!prev.path || prev.dirty) {
            webhooks[key] = prev.path
              ? { ...prev, conflict: 'This webhook was deleted or moved on disk. Save to write it again.' }
              : prev;
            webhookOrder.push(key);
          }
        }
      }
      const contexts: Record<string, ContextDoc> = {};
      const contextOrder: string[] = [];
      for (const c of snap.contexts) {
        const prev = sameDir ? s.contexts[c.path] : undefined;
        if (prev?.dirty) {
          const changed = prev.version !== undefined && prev.version !== c.version && !sameJson(prev.saved, c.context);
          contexts[c.path] = {
            ...prev,
            conflict: changed ? 'This context changed on disk while you were editing it.' : prev.conflict,
          };
        } else {
          contexts[c.path] = {
            key: c.path,
            path: c.path,
            folder: '',
            version: c.version,
            saved: c.context,
            value: c.context,
            dirty: false,
          };
        }
        contextOrder.push(c.path);
      }
      if (sameDir) {
        for (const key of s.contextOrder) {
          const prev = s.contexts[key];
          if (!prev || contexts[key]) continue;
          if (!prev.path || prev.dirty) {
            contexts[key] = prev.path
              ? { ...prev, conflict: 'This context was deleted or moved on disk. Save to write it again.' }
              : prev;
            contextOrder.push(key);
          }
        }
      }
      // A freshly opened collection brings back the drafts this browser kept for it, still unsaved.
      const session = sameDir ? undefined : readSession(snap.dir);
      const restoredKeys = new Map<string, string>();
      for (const d of session?.drafts ?? []) {
        const docs: Record<string, Doc<Webhook | TokenContext>> = d.kind === 'webhook' ? webhooks : contexts;
        const order = d.kind === 'webhook' ? webhookOrder : contextOrder;
        const disk = d.path ? docs[d.path] : undefined;
        const what = d.kind === 'webhook' ? 'webhook' : 'context';
        if (d.path && disk) {
          const changed = d.version !== undefined && d.version !== disk.version;
          docs[d.path] = {
            ...disk,
            version: d.version ?? disk.version,
            value: d.value,
            dirty: !sameJson(d.value, disk.saved),
            conflict: changed ? `This ${what} changed on disk after your unsaved edits were made.` : undefined,
          };
          restoredKeys.set(d.key, d.path);
        } else {
          const key = d.path ?? `draft:${d.kind}:${++draftSeq}`;
          docs[key] = {
            key,
            ...(d.path ? { path: d.path, version: d.version } : {}),
            folder: d.folder,
            value: d.value,
            dirty: true,
            ...(d.path ? { conflict: `This ${what} was deleted or moved on disk. Save to write it again.` } : {}),
          } as Doc<Webhook | TokenContext>;
          order.push(key);
          restoredKeys.set(d.key, key);
        }
      }
      const reopen = session?.open
        ? { kind: session.open.kind, key: restoredKeys.get(session.open.key) ?? session.open.key }
        : undefined;
      const reopened =
        reopen && (reopen.kind === 'webhook' ? webhooks[reopen.key] : contexts[reopen.key]) ? reopen : undefined;
      const pickContext = (): string | undefined => {
        if (sameDir && s.activeContext && contexts[s.activeContext]) return s.activeContext;
        const def = snap.defaultContext;
        if (def) {
          const byPath = contextOrder.find(
            (k) => k === def || k.endsWith(`/${def}`) || contexts[k]?.value.name === def,
          );
          if (byPath) return byPath;
        }
        return contextOrder[0];
      };
      const selected =
        sameDir && s.selected && (s.selected.kind === 'webhook' ? webhooks[s.selected.key] : contexts[s.selected.key])
          ? s.selected
          : reopened
            ? reopened
            : webhookOrder[0]
              ? { kind: 'webhook' as const, key: webhookOrder[0] }
              : undefined;
      const currentWebhook =
        sameDir && s.currentWebhook && webhooks[s.currentWebhook]
          ? s.currentWebhook
          : reopened?.kind === 'webhook'
            ? reopened.key
            : webhookOrder[0];
      set({
        dir: snap.dir,
        name: snap.name,
        profile: snap.profile,
        fields: snap.fields,
        problems: snap.problems,
        secrets: snap.secrets,
        ...(sameDir ? {} : { secretSources: [], secretBackend: undefined }),
        triggers: snap.triggers ?? [],
        webhooks,
        webhookOrder,
        contexts,
        contextOrder,
        selected,
        currentWebhook,
        activeContext: pickContext(),
        ...(sameDir ? {} : { exchanges: {}, history: {}, sends: {}, staleExchanges: {} }),
      });
      // The webhook opened on load (or kept across a refresh) shows its history without being selected again.
      const shown = get().currentWebhook;
      if (shown && get().webhooks[shown]?.path && !get().history[shown]) void get().loadHistory(shown);
    }

    function rememberRecent(dir: string): void {
      const recent = [dir, ...get().recent.filter((d) => d !== dir)].slice(0, 8);
      set({ recent });
      try {
        globalThis.localStorage?.setItem(RECENT_KEY, JSON.stringify(recent));
      } catch {
        // Storage can be unavailable (private mode); the list then lives for this session only.
      }
    }

    listenNow = (): void => {
      for (const u of unsubscribe) u();
      unsubscribe = [
        api.on('collection:changed', (p) => {
          if (p.dir === get().dir) void get().refresh();
        }),
        api.on('collection:opened', (p) => {
          if (p.dir !== get().dir) void get().openCollection(p.dir);
        }),
        api.on('send:progress', (p) => {
          const s = get();
          for (const [key, send] of Object.entries(s.sends)) {
            if (send?.sendId === p.sendId) {
              set({
                sends: { ...s.sends, [key]: { ...send, phases: [...send.phases, { phase: p.phase, atMs: p.atMs }] } },
              });
            }
          }
        }),
      ];
    };

    async function loadSnapshot(snapPromise: Promise<CollectionSnapshot | null>): Promise<void> {
      set({ loading: true });
      try {
        const snap = await snapPromise;
        if (snap) {
          applySnapshot(snap);
          void get().loadSecrets();
          rememberRecent(snap.dir);
          for (const p of snap.problems) notify('error', `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
        }
      } catch (e) {
        notify('error', describe(e));
      } finally {
        set({ loading: false });
      }
    }

    function docOf(kind: DocKind, key: string): Doc<Webhook> | Doc<TokenContext> | undefined {
      return kind === 'webhook' ? get().webhooks[key] : get().contexts[key];
    }

    function rekey(kind: DocKind, from: string, to: string, doc: Doc<Webhook | TokenContext>): void {
      const s = get();
      const moveKey = (k: string | undefined) => (k === from ? to : k);
      if (kind === 'webhook') {
        const webhooks = { ...s.webhooks };
        delete webhooks[from];
        webhooks[to] = doc as WebhookDoc;
        const order = s.webhookOrder.filter((k) => k !== to).map((k) => (k === from ? to : k));
        const { [from]: ex, ...exchanges } = s.exchanges;
        const { [from]: hist, ...history } = s.history;
        set({
          webhooks,
          webhookOrder: order,
          currentWebhook: moveKey(s.currentWebhook),
          selected: s.selected?.key === from ? { kind, key: to } : s.selected,
          exchanges: ex ? { ...exchanges, [to]: ex } : exchanges,
          history: hist ? { ...history, [to]: hist } : history,
        });
      } else {
        const contexts = { ...s.contexts };
        delete contexts[from];
        contexts[to] = doc as ContextDoc;
        set({
          contexts,
          contextOrder: s.contextOrder.filter((k) => k !== to).map((k) => (k === from ? to : k)),
          activeContext: moveKey(s.activeContext),
          selected: s.selected?.key === from ? { kind, key: to } : s.selected,
        });
      }
    }

    return {
      profile: defaultProfile,
      fields: [],
      problems: [],
      secrets: [],
      secretSources: [],
      triggers: [],
      recent: readRecent(),
      loading: false,
      webhooks: {},
      webhookOrder: [],
      contexts: {},
      contextOrder: [],
      target: 'url',
      sends: {},
      exchanges: {},
      history: {},
      staleExchanges: {},
      notices: [],

      async boot() {
        try {
          const info = await api.app.info({});
          set({ shell: info.shell });
          const dir = info.collectionDir ?? get().recent[0];
          if (dir) await get().openCollection(dir);
          const recent = await api.collection.recent({}).catch(() => ({ dirs: [] as string[] }));
          if (recent.dirs.length) set((s) => ({ recent: [...new Set([...s.recent, ...recent.dirs])].slice(0, 8) }));
        } catch (e) {
          notify('error', describe(e));
        }
      },
      openCollection: (dir) => loadSnapshot(api.collection.open({ dir })),
      initCollection: (dir) => loadSnapshot(api.collection.init({ dir })),
      pickCollection: () => loadSnapshot(api.collection.pick({})),
      async refresh() {
        const dir = get().dir;
        if (!dir) return;
        // Snapshots can come back out of order (an outside change and a local save race); only the
        // latest refresh is applied, so an older snapshot never brings back what was just deleted.
        const mine = ++refreshGen;
        try {
          const snap = await api.collection.open({ dir });
          if (mine === refreshGen && get().dir === dir) applySnapshot(snap);
        } catch (e) {
          notify('error', describe(e));
        }
      },

      select(kind, key) {
        set(kind === 'webhook' ? { selected: { kind, key }, currentWebhook: key } : { selected: { kind, key } });
        if (kind === 'webhook' && get().webhooks[key]?.path && !get().history[key]) void get().loadHistory(key);
      },
      updateWebhook(key, change) {
        const doc = get().webhooks[key];
        if (!doc) return;
        const value = { ...doc.value, ...change };
        set((s) => ({
          webhooks: { ...s.webhooks, [key]: { ...doc, value, dirty: !doc.saved || !sameJson(value, doc.saved) } },
        }));
      },
      updateContext(key, context) {
        const doc = get().contexts[key];
        if (!doc) return;
        set((s) => ({
          contexts: {
            ...s.contexts,
            [key]: { ...doc, value: context, dirty: !doc.saved || !sameJson(context, doc.saved) },
          },
        }));
      },

      async save(key, opts = {}) {
        const s = get();
        const k = key ?? s.selected?.key;
        const kind: DocKind | undefined = key
          ? s.webhooks[key]
            ? 'webhook'
            : s.contexts[key]
              ? 'context'
              : undefined
          : s.selected?.kind;
        const dir = s.dir;
        if (!k || !kind || !dir) return false;
        const doc = docOf(kind, k);
        if (!doc) return false;
        // Overwriting after a conflict is the user's explicit choice: send no base version.
        const baseVersion = opts.overwrite ? undefined : doc.version;
        try {
          const out =
            kind === 'webhook'
              ? await api.collection.saveWebhook({
                  dir,
                  path: doc.path,
                  folder: doc.folder || undefined,
                  webhook: doc.value as Webhook,
                  baseVersion,
                })
              : await api.collection.saveContext({
                  dir,
                  path: doc.path,
                  context: doc.value as TokenContext,
                  baseVersion,
                });
          const cur: Doc<Webhook | TokenContext> = docOf(kind, k) ?? doc;
          const savedDoc: Doc<Webhook | TokenContext> = {
            ...cur,
            key: out.path,
            path: out.path,
            version: out.version,
            saved: doc.value,
            dirty: !sameJson(cur.value, doc.value),
            conflict: undefined,
          };
          if (out.path !== k) rekey(kind, k, out.path, savedDoc);
          else if (kind === 'webhook') set((st) => ({ webhooks: { ...st.webhooks, [k]: savedDoc as WebhookDoc } }));
          else set((st) => ({ contexts: { ...st.contexts, [k]: savedDoc as ContextDoc } }));
          void get().refresh();
          return true;
        } catch (e) {
          if (e instanceof StudioError && e.code === 'conflict') {
            const conflict = `Not saved: ${e.message} Your edits are kept here; choose to overwrite the file or to load it from disk.`;
            if (kind === 'webhook')
              set((st) => ({ webhooks: { ...st.webhooks, [k]: { ...(st.webhooks[k] as WebhookDoc), conflict } } }));
            else set((st) => ({ contexts: { ...st.contexts, [k]: { ...(st.contexts[k] as ContextDoc), conflict } } }));
          } else {
            notify('error', `Not saved: ${describe(e)}`);
          }
          return false;
        }
      },
      discard(key) {
        const s = get();
        const w = s.webhooks[key];
        if (w?.saved)
          set({ webhooks: { ...s.webhooks, [key]: { ...w, value: w.saved, dirty: false, conflict: undefined } } });
        const c = s.contexts[key];
        if (c?.saved)
          set({ contexts: { ...s.contexts, [key]: { ...c, value: c.saved, dirty: false, conflict: undefined } } });
        // The disk copy may be newer than what was opened: reload it.
        void get().refresh();
      },

      newWebhook(folder = '') {
        const key = `draft:webhook:${++draftSeq}`;
        const doc: WebhookDoc = { key, folder, value: blankWebhook('New webhook'), dirty: true };
        set((s) => ({
          webhooks: { ...s.webhooks, [key]: doc },
          webhookOrder: [...s.webhookOrder, key],
          selected: { kind: 'webhook', key },
          currentWebhook: key,
        }));
        return key;
      },
      newContext() {
        const key = `draft:context:${++draftSeq}`;
        const doc: ContextDoc = { key, folder: '', value: { ...emptyContext, name: 'New context' }, dirty: true };
        set((s) => ({
          contexts: { ...s.contexts, [key]: doc },
          contextOrder: [...s.contextOrder, key],
          selected: { kind: 'context', key },
          activeContext: s.activeContext ?? key,
        }));
        return key;
      },
      async duplicate(kind, key) {
        const doc = docOf(kind, key);
        if (!doc) return;
        const copyName = `${doc.value.name} copy`;
        const newKey = kind === 'webhook' ? get().newWebhook(doc.folder) : get().newContext();
        if (kind === 'webhook') get().updateWebhook(newKey, { ...(doc.value as Webhook), name: copyName });
        else get().updateContext(newKey, { ...(doc.value as TokenContext), name: copyName });
        await get().save(newKey);
      },
      async rename(kind, key, name) {
        const trimmed = name.trim();
        if (!trimmed) {
          notify('error', 'A name cannot be empty.');
          return;
        }
        if (kind === 'webhook') get().updateWebhook(key, { name: trimmed });
        else {
          const c = get().contexts[key];
          if (c) get().updateContext(key, { ...c.value, name: trimmed });
        }
        if (docOf(kind, key)?.path) await get().save(key);
      },
      async move(key, folder) {
        const s = get();
        const doc = s.webhooks[key];
        const dir = s.dir;
        if (!doc || !dir) return;
        const cleanFolder = folder.trim().replace(/^\/+|\/+$/g, '');
        if (!doc.path) {
          set({ webhooks: { ...s.webhooks, [key]: { ...doc, folder: cleanFolder } } });
          return;
        }
        if (doc.dirty) {
          notify('error', `Save or discard the edits to “${doc.value.name}” before moving it.`);
          return;
        }
        try {
          const out = await api.collection.move({
            dir,
            from: doc.path,
            to: movedPath(doc.path, doc.folder, cleanFolder),
          });
          rekey('webhook', key, out.path, { ...doc, key: out.path, path: out.path, folder: cleanFolder });
          await get().refresh();
        } catch (e) {
          notify('error', `Not moved: ${describe(e)}`);
        }
      },
      async remove(kind, key) {
        const s = get();
        const doc = docOf(kind, key);
        if (!doc) return;
        if (doc.path && s.dir) {
          try {
            await api.collection.delete({ dir: s.dir, path: doc.path });
          } catch (e) {
            notify('error', `Not deleted: ${describe(e)}`);
            return;
          }
        }
        // Reloading after the delete supersedes any refresh that started before it.
        if (doc.path) void get().refresh();
        const st = get();
        if (kind === 'webhook') {
          const webhooks = { ...st.webhooks };
          delete webhooks[key];
          const order = st.webhookOrder.filter((k) => k !== key);
          set({
            webhooks,
            webhookOrder: order,
            currentWebhook: st.currentWebhook === key ? order[0] : st.currentWebhook,
            selected:
              st.selected?.key === key ? (order[0] ? { kind: 'webhook', key: order[0] } : undefined) : st.selected,
          });
        } else {
          const contexts = { ...st.contexts };
          delete contexts[key];
          const order = st.contextOrder.filter((k) => k !== key);
          set({
            contexts,
            contextOrder: order,
            activeContext: st.activeContext === key ? order[0] : st.activeContext,
            selected: st.selected?.key === key ? undefined : st.selected,
          });
        }
      },

      async saveProfile(change) {
        const dir = get().dir;
        const profile = { ...get().profile, ...change };
        set({ profile });
        if (!dir) return;
        try {
          await api.collection.saveSettings({ dir, profile: explicitProfile(profile) });
        } catch (e) {
          notify('error', `Settings not saved: ${describe(e)}`);
          await get().refresh();
        }
      },
      async saveTriggers(triggers) {
        const dir = get().dir;
        set({ triggers });
        if (!dir) return;
        try {
          await api.collection.saveTriggers({ dir, triggers });
        } catch (e) {
          notify('error', `Triggers not saved: ${describe(e)}`);
          await get().refresh();
        }
      },
      async setSecret(name, value) {
        const dir = get().dir;
        if (!dir) return false;
        try {
          await api.secrets.set({ dir, name, value });
          set((st) => ({ secrets: st.secrets.includes(name) ? st.secrets : [...st.secrets, name] }));
          await get().loadSecrets();
          notify(
            'info',
            get().secretBackend === 'private-file'
              ? `Secret “${name}” stored outside the collection, in a private file (not encrypted).`
              : `Secret “${name}” stored outside the collection.`,
          );
          return true;
        } catch (e) {
          notify('error', `Secret not stored: ${describe(e)}`);
          return false;
        }
      },
      async loadSecrets() {
        const dir = get().dir;
        if (!dir) return;
        try {
          const listed = await api.secrets.list({ dir });
          if (get().dir === dir) set({ secretSources: listed.secrets, secretBackend: listed.backend });
        } catch {
          // Where secrets come from is shown when known; a send still says what is missing.
        }
      },
      setActiveContext: (key) => set({ activeContext: key }),
      setTarget: (target) => set({ target }),

      async send() {
        const s = get();
        const key = s.currentWebhook;
        const doc = key ? s.webhooks[key] : undefined;
        if (!key || !doc || s.sends[key]) return;
        const context = (s.activeContext ? s.contexts[s.activeContext]?.value : undefined) ?? emptyContext;
        const sendId = newId();
        set((st) => ({ sends: { ...st.sends, [key]: { sendId, startedAt: Date.now(), phases: [] } } }));
        try {
          const exchange = await api.webhook.send({
            dir: s.dir,
            webhookPath: doc.path,
            webhook: doc.value,
            context,
            fields: s.fields,
            profile: explicitProfile(s.profile),
            target: s.target,
            sendId,
          });
          set((st) => ({
            exchanges: { ...st.exchanges, [key]: exchange },
            staleExchanges: { ...st.staleExchanges, [key]: undefined },
          }));
          if (doc.path) void get().loadHistory(key);
        } catch (e) {
          // The response still on screen is from an earlier send: say so, so it is not read as this one's.
          if (get().exchanges[key])
            set((st) => ({
              staleExchanges: {
                ...st.staleExchanges,
                [key]: `Not the latest: the last send failed (${e instanceof Error ? e.message : String(e)}). This response is from an earlier send.`,
              },
            }));
          notify('error', `Not sent: ${describe(e)}`);
        } finally {
          set((st) => ({ sends: { ...st.sends, [key]: undefined } }));
        }
      },
      async cancel() {
        const s = get();
        const key = s.currentWebhook;
        const send = key ? s.sends[key] : undefined;
        if (!send) return;
        try {
          await api.webhook.cancel({ sendId: send.sendId });
        } catch (e) {
          notify('error', `Not cancelled: ${describe(e)}`);
        }
      },
      async loadHistory(key) {
        const s = get();
        const path = s.webhooks[key]?.path;
        if (!path || !s.dir) return;
        try {
          const out = await api.history.list({ dir: s.dir, webhookPath: path });
          set((st) => ({ history: { ...st.history, [key]: out.entries } }));
        } catch (e) {
          notify('error', `History not loaded: ${describe(e)}`);
        }
      },
      async historyExchange(id) {
        const dir = get().dir;
        if (!dir) throw new Error('no collection is open');
        return api.history.get({ dir, id });
      },
      async showHistory(key, id) {
        const dir = get().dir;
        if (!dir) return;
        try {
          const exchange = await api.history.get({ dir, id });
          set((st) => ({
            exchanges: { ...st.exchanges, [key]: exchange },
            staleExchanges: { ...st.staleExchanges, [key]: undefined },
            currentWebhook: key,
          }));
        } catch (e) {
          notify('error', `History entry not loaded: ${describe(e)}`);
        }
      },
      async importFile({ fileName, content, overwrite }) {
        const dir = get().dir;
        if (!dir) {
          notify('error', 'Open a collection before importing into it.');
          return undefined;
        }
        try {
          const report = await api.import.run({ dir, fileName, content, format: 'auto', overwrite });
          await get().refresh();
          return report;
        } catch (e) {
          notify('error', `Not imported: ${describe(e)}`);
          return undefined;
        }
      },
      async exportRun(format, webhookKeys) {
        const s = get();
        if (!s.dir) return undefined;
        const paths = webhookKeys.map((k) => s.webhooks[k]?.path).filter((p): p is string => !!p);
        if (paths.length === 0) {
          notify('error', 'Save the webhook before exporting it.');
          return undefined;
        }
        const contextPath = s.activeContext ? s.contexts[s.activeContext]?.path : undefined;
        try {
          return await api.export.run({ dir: s.dir, format, webhookPaths: paths, contextPath });
        } catch (e) {
          notify('error', `Not exported: ${describe(e)}`);
          return undefined;
        }
      },
      notify,
      dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
    };
  });
  // The store follows outside events from birth, so changes on disk are never missed.
  listenNow();
  // Unsaved documents and the open one are kept in the browser per collection, so a reload restores them.
  store.subscribe((st, prev) => {
    const dir = st.dir;
    if (!dir) return;
    if (
      dir === prev.dir &&
      st.webhooks === prev.webhooks &&
      st.contexts === prev.contexts &&
      st.selected === prev.selected
    )
      return;
    const drafts: StoredDraft[] = [];
    for (const key of st.webhookOrder) {
      const d = st.webhooks[key];
      if (d?.dirty)
        drafts.push({ kind: 'webhook', key, path: d.path, folder: d.folder, version: d.version, value: d.value });
    }
    for (const key of st.contextOrder) {
      const d = st.contexts[key];
      if (d?.dirty)
        drafts.push({ kind: 'context', key, path: d.path, folder: d.folder, version: d.version, value: d.value });
    }
    writeSession(dir, { drafts, open: st.selected });
  });
  return store;
}
