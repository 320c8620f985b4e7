import path from 'node:path';
import type { CollectionSnapshot } from '@shared/contract';
import { kindOfPath } from '@shared/formats/collection-files';
import {
  deletePath,
  initCollection,
  moveEntries,
  renameFile,
  type Moved,
  openCollection,
  restoreFromTrash,
  saveContext,
  saveFields,
  saveSettings,
  saveTriggers,
  saveCatcherRules,
  collectionCatcherRules,
  saveWebhook,
  sweepTrash,
  watchCollection,
} from '../collection/index';
import { catcherRulesFile } from '@shared/formats/catcher-rules-file';
import type { StudioState } from './state';
import type { HandlerGroup } from './types';

const abs = (dir: string): string => path.resolve(dir);

/** The collections open in the studio: the one each window shows is watched for outside edits. */
export interface Watched {
  /** Stop function per watched folder (only the last opened one is kept). */
  watchers: Map<string, () => void>;
}

/** Watches `dir` for outside edits, giving back the watch of the collection it replaces. */
function watchOnly(state: StudioState, watched: Watched, dir: string): void {
  for (const [other, stop] of watched.watchers) {
    if (other === dir) continue;
    stop();
    watched.watchers.delete(other);
  }
  if (watched.watchers.has(dir)) return;
  try {
    watched.watchers.set(
      dir,
      watchCollection(dir, (paths) => {
        state.emit('collection:changed', { dir, paths });
      }),
    );
  } catch {
    // Without a watcher the studio still works; outside edits show on the next open.
  }
}

/**
 * Remembers the collection, watches it for outside edits, and tells every window it is open. Every
 * window shows the collection last opened, so the one it replaces is no longer watched.
 */
async function opened(state: StudioState, watched: Watched, snapshot: CollectionSnapshot): Promise<CollectionSnapshot> {
  const dir = snapshot.dir;
  // Every secret with a value, from whichever source: the editor shows them as set.
  try {
    snapshot.secrets = state.secretsFor(dir).names();
  } catch {
    // An unreadable store or .env shows nothing as set; a send then says what is wrong.
  }
  // Deletes older than the trash keeps (or beyond its last few) go when the collection opens.
  await sweepTrash(dir);
  await state.recent.add(dir);
  watchOnly(state, watched, dir);
  // The catcher answers as the collection last opened says (a catcher.yaml that does not load keeps the last).
  if (!snapshot.problems.some((p) => p.file === catcherRulesFile)) state.catcher.useRules(snapshot.catcherRules ?? []);
  state.emit('collection:opened', { dir });
  return snapshot;
}

export function appHandlers(state: StudioState): HandlerGroup<'app'> {
  const { deps } = state;
  return {
    'app:info': async () => {
      const [latest] = await state.recent.list();
      const collectionDir = deps.initialCollection ?? latest;
      return {
        version: deps.version ?? '0.0.0',
        shell: deps.shell,
        platform: process.platform,
        ...(collectionDir ? { collectionDir } : {}),
      };
    },
  };
}

/**
 * A webhook's sends stay with it when its file is renamed or moved. The file has moved already: a history
 * that cannot follow is said in the log, never turned into a failed move.
 */
async function followWebhooks(state: StudioState, dir: string, moves: Moved['webhooks']): Promise<void> {
  for (const m of moves) {
    if (m.from === m.to || kindOfPath(m.from) !== 'webhook') continue;
    try {
      await state.historyFor(dir).move(m.from, m.to);
    } catch (e) {
      console.warn(`The history of ${m.from} did not follow it to ${m.to}: ${String(e)}`);
    }
  }
}

export function collectionHandlers(state: StudioState, watched: Watched): HandlerGroup<'collection'> {
  const open = async (dir: string): Promise<CollectionSnapshot> =>
    opened(state, watched, await openCollection(abs(dir)));
  return {
    'collection:open': async ({ dir }) => open(dir),
    'collection:pick': async () => {
      if (!state.deps.pickFolder) return null;
      const dir = await state.deps.pickFolder();
      return dir === null ? null : open(dir);
    },
    'collection:recent': async () => ({ dirs: await state.recent.list() }),
    'collection:init': async ({ dir }) => opened(state, watched, await initCollection(abs(dir))),
    'collection:saveWebhook': async ({ dir, ...input }) => saveWebhook(abs(dir), input),
    'collection:saveContext': async ({ dir, ...input }) => saveContext(abs(dir), input),
    'collection:saveSettings': async ({ dir, ...input }) => saveSettings(abs(dir), input),
    'collection:saveFields': async ({ dir, fields }) => saveFields(abs(dir), fields),
    'collection:saveTriggers': async ({ dir, triggers }) => saveTriggers(abs(dir), triggers),
    'collection:saveCatcherRules': async ({ dir, rules }) => {
      const result = await saveCatcherRules(abs(dir), rules);
      state.catcher.useRules(await collectionCatcherRules(abs(dir)));
      return result;
    },
    'collection:delete': async ({ dir, path: rel }) => deletePath(abs(dir), rel),
    'collection:restore': async ({ dir, trashId }) => restoreFromTrash(abs(dir), trashId),
    'collection:move': async ({ dir, from, to }) => {
      const moved = await moveEntries(abs(dir), from, to);
      await followWebhooks(state, abs(dir), moved.webhooks);
      return { path: moved.path };
    },
    'collection:rename': async ({ dir, ...input }) => {
      const renamed = await renameFile(abs(dir), input);
      await followWebhooks(state, abs(dir), [{ from: input.path, to: renamed.path }]);
      return renamed;
    },
  };
}
