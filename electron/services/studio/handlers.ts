import { existsSync } from 'node:fs';
import path from 'node:path';
import { StudioError, type ChannelName, type ChannelOutput, type CollectionSnapshot, type EventName, type EventPayload } from '../../../shared/contract';
import { deletePath, initCollection, movePath, openCollection, saveContext, saveFields, saveSettings, saveWebhook, watchCollection } from '../collection/index';
import { createHistory, type HistoryStore } from '../history/index';
import { createSecrets, type SecretStore } from '../secrets/index';
import type { ParsedInput, StudioDeps } from './index';

export type Handlers = { [C in ChannelName]: (input: ParsedInput<C>) => Promise<ChannelOutput<C>> };

export interface StudioServices {
  handlers: Handlers;
  close(): Promise<void>;
}

interface HandlerContext {
  deps: StudioDeps;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  recent: { list(): Promise<string[]>; add(dir: string): Promise<string[]> };
}

function unavailable(channel: ChannelName, service: string): never {
  throw new StudioError({ code: 'unavailable', message: `${channel}: the ${service} service is not part of this build yet`, where: channel });
}

/** Per-collection services, made once per folder and kept while the studio runs. */
function perCollection<T>(make: (dir: string) => T): (dir: string) => T {
  const made = new Map<string, T>();
  return (dir) => {
    let value = made.get(dir);
    if (value === undefined) made.set(dir, (value = make(dir)));
    return value;
  };
}

export function createHandlers(ctx: HandlerContext): StudioServices {
  const { deps } = ctx;
  const watchers = new Map<string, () => void>();
  const abs = (dir: string) => path.resolve(dir);

  // Desktop: values encrypted with the OS keychain. Browser host: read-only, from the environment or the collection's .env file.
  const secretsFor = perCollection<SecretStore>((dir) => {
    const envFile = path.join(dir, '.env');
    return createSecrets({ dir, env: deps.env, ...(deps.safeStorage ? { safeStorage: deps.safeStorage } : {}), ...(!deps.safeStorage && existsSync(envFile) ? { envFile } : {}) });
  });
  const historyFor = perCollection<HistoryStore>((dir) => createHistory(dir));

  /** Remembers the collection, watches it for outside edits, and tells every window it is open. */
  async function opened(snapshot: CollectionSnapshot): Promise<CollectionSnapshot> {
    const dir = snapshot.dir;
    await ctx.recent.add(dir);
    if (!watchers.has(dir)) {
      try {
        watchers.set(dir, watchCollection(dir, (paths) => ctx.emit('collection:changed', { dir, paths })));
      } catch {
        // Without a watcher the studio still works; outside edits show on the next open.
      }
    }
    ctx.emit('collection:opened', { dir });
    return snapshot;
  }

  const handlers: Handlers = {
    'app:info': async () => {
      const [latest] = await ctx.recent.list();
      const collectionDir = deps.initialCollection ?? latest;
      return { version: deps.version ?? '0.0.0', shell: deps.shell, platform: process.platform, ...(collectionDir ? { collectionDir } : {}) };
    },
    'collection:open': async ({ dir }) => opened(await openCollection(abs(dir))),
    'collection:pick': async () => {
      if (!deps.pickFolder) return null;
      const dir = await deps.pickFolder();
      return dir === null ? null : opened(await openCollection(abs(dir)));
    },
    'collection:recent': async () => ({ dirs: await ctx.recent.list() }),
    'collection:init': async ({ dir }) => opened(await initCollection(abs(dir))),
    'collection:saveWebhook': async ({ dir, ...input }) => saveWebhook(abs(dir), input),
    'collection:saveContext': async ({ dir, ...input }) => saveContext(abs(dir), input),
    'collection:saveSettings': async ({ dir, ...input }) => saveSettings(abs(dir), input),
    'collection:saveFields': async ({ dir, fields }) => saveFields(abs(dir), fields),
    'collection:delete': async ({ dir, path: rel }) => deletePath(abs(dir), rel),
    'collection:move': async ({ dir, from, to }) => movePath(abs(dir), from, to),
    'webhook:send': async () => unavailable('webhook:send', 'sender'),
    'webhook:cancel': async () => unavailable('webhook:cancel', 'sender'),
    'history:list': async ({ dir, webhookPath }) => ({ entries: await historyFor(abs(dir)).list(webhookPath) }),
    'history:get': async ({ dir, id }) => historyFor(abs(dir)).get(id),
    'secrets:set': async ({ dir, name, value, allowedHosts }) => {
      await secretsFor(abs(dir)).set(name, value, allowedHosts);
      return { ok: true as const };
    },
    'secrets:delete': async ({ dir, name }) => {
      await secretsFor(abs(dir)).delete(name);
      return { ok: true as const };
    },
    'catcher:status': async () => unavailable('catcher:status', 'catcher'),
    'catcher:requests': async () => unavailable('catcher:requests', 'catcher'),
    'import:run': async () => unavailable('import:run', 'transfer'),
    'export:run': async () => unavailable('export:run', 'transfer'),
    'runner:start': async () => unavailable('runner:start', 'runner'),
    'runner:control': async () => unavailable('runner:control', 'runner'),
    'runner:rows': async () => unavailable('runner:rows', 'runner'),
    'runner:exchange': async () => unavailable('runner:exchange', 'runner'),
  };

  return {
    handlers,
    async close() {
      for (const stop of watchers.values()) stop();
      watchers.clear();
    },
  };
}
