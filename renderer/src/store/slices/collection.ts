import type { CollectionSnapshot } from '@shared/contract';
import { defaultProfile, type Profile } from '@shared/model';
import { describe } from '../describe';
import { readRecent, writeRecent } from '../session';
import { snapshotPatch } from '../snapshot';
import type { CollectionActions, CollectionState, DocKind, SliceContext } from '../types';

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

function applySnapshot({ set, get }: SliceContext, snap: CollectionSnapshot): void {
  set(snapshotPatch(get(), snap));
  // The webhook opened on load (or kept across a refresh) shows its history without being selected again.
  const shown = get().currentWebhook;
  if (shown && get().webhooks[shown]?.path && !get().history[shown]) void get().loadHistory(shown);
}

function rememberRecent({ set, get }: SliceContext, dir: string): void {
  const recent = [dir, ...get().recent.filter((d) => d !== dir)].slice(0, 8);
  set({ recent });
  writeRecent(recent);
}

async function loadSnapshot(ctx: SliceContext, snapPromise: Promise<CollectionSnapshot | null>): Promise<void> {
  const { set, get } = ctx;
  set({ loading: true });
  try {
    const snap = await snapPromise;
    if (snap) {
      applySnapshot(ctx, snap);
      void get().loadSecrets();
      rememberRecent(ctx, snap.dir);
      for (const p of snap.problems) get().notify('error', `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    }
  } catch (e) {
    get().notify('error', describe(e));
  } finally {
    set({ loading: false });
  }
}

/** Saves one collection-wide setting; when that fails the store reloads what is on disk. */
async function saveSetting(ctx: SliceContext, what: string, write: (dir: string) => Promise<unknown>) {
  const dir = ctx.get().dir;
  if (!dir) return;
  try {
    await write(dir);
  } catch (e) {
    ctx.get().notify('error', `${what} not saved: ${describe(e)}`);
    await ctx.get().refresh();
  }
}

function secretActions(ctx: SliceContext): Pick<CollectionActions, 'setSecret' | 'loadSecrets'> {
  const { api, set, get } = ctx;
  return {
    setSecret: async (name, value) => {
      const dir = get().dir;
      if (!dir) return false;
      try {
        await api.secrets.set({ dir, name, value });
        set((st) => ({ secrets: st.secrets.includes(name) ? st.secrets : [...st.secrets, name] }));
        await get().loadSecrets();
        get().notify(
          'info',
          get().secretBackend === 'private-file'
            ? `Secret “${name}” stored outside the collection, in a private file (not encrypted).`
            : `Secret “${name}” stored outside the collection.`,
        );
        return true;
      } catch (e) {
        get().notify('error', `Secret not stored: ${describe(e)}`);
        return false;
      }
    },
    loadSecrets: async () => {
      const dir = get().dir;
      if (!dir) return;
      try {
        const listed = await api.secrets.list({ dir });
        if (get().dir === dir) set({ secretSources: listed.secrets, secretBackend: listed.backend });
      } catch {
        // Where secrets come from is shown when known; a send still says what is missing.
      }
    },
  };
}

/** Undoes a delete: the file comes back from the trash, and the collection is reloaded with it open. */
async function restoreDeleted(ctx: SliceContext, kind: DocKind, trashId: string): Promise<void> {
  const { api, get } = ctx;
  const dir = get().dir;
  if (!dir) return;
  try {
    const { path } = await api.collection.restore({ dir, trashId });
    await get().refresh();
    const s = get();
    if ((kind === 'webhook' ? s.webhooks : s.contexts)[path]) s.select(kind, path);
  } catch (e) {
    get().notify('error', `Not restored: ${describe(e)}`);
  }
}

/** The open collection: opening, reloading from disk, and its collection-wide settings and secrets. */
export function collectionSlice(ctx: SliceContext): CollectionState & CollectionActions {
  const { api, set, get } = ctx;
  let refreshGen = 0;
  return {
    profile: defaultProfile,
    fields: [],
    problems: [],
    secrets: [],
    secretSources: [],
    triggers: [],
    catcherRules: [],
    recent: readRecent(),
    loading: false,
    boot: async () => {
      try {
        const info = await api.app.info({});
        set({ shell: info.shell });
        const dir = info.collectionDir ?? get().recent[0];
        if (dir) await get().openCollection(dir);
        const recent = await api.collection.recent({}).catch(() => ({ dirs: [] as string[] }));
        if (recent.dirs.length) set((s) => ({ recent: [...new Set([...s.recent, ...recent.dirs])].slice(0, 8) }));
      } catch (e) {
        get().notify('error', describe(e));
      }
    },
    openCollection: (dir) => loadSnapshot(ctx, api.collection.open({ dir })),
    initCollection: (dir) => loadSnapshot(ctx, api.collection.init({ dir })),
    pickCollection: () => loadSnapshot(ctx, api.collection.pick({})),
    refresh: async () => {
      const dir = get().dir;
      if (!dir) return;
      // Snapshots can come back out of order (an outside change and a local save race); only the
      // latest refresh is applied, so an older snapshot never brings back what was just deleted.
      const mine = ++refreshGen;
      try {
        const snap = await api.collection.open({ dir });
        if (mine === refreshGen && get().dir === dir) applySnapshot(ctx, snap);
      } catch (e) {
        get().notify('error', describe(e));
      }
    },
    saveProfile: async (change) => {
      const profile = { ...get().profile, ...change };
      set({ profile });
      await saveSetting(ctx, 'Settings', (dir) =>
        api.collection.saveSettings({ dir, profile: explicitProfile(profile) }),
      );
    },
    saveTriggers: async (triggers) => {
      set({ triggers });
      await saveSetting(ctx, 'Triggers', (dir) => api.collection.saveTriggers({ dir, triggers }));
    },
    saveCatcherRules: async (rules) => {
      const dir = get().dir;
      if (!dir) return false;
      try {
        await api.collection.saveCatcherRules({ dir, rules });
        set({ catcherRules: rules });
        get().notify('info', `Catcher answers saved to catcher.yaml (${String(rules.length)} rule(s)).`);
        return true;
      } catch (e) {
        get().notify('error', `Catcher answers not saved: ${describe(e)}`);
        return false;
      }
    },
    ...secretActions(ctx),
    restoreDeleted: (kind, trashId) => restoreDeleted(ctx, kind, trashId),
  };
}
