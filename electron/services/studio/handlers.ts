import { profileOverrides } from '@shared/model/profile';
import path from 'node:path';
import type { ChannelName, ChannelOutput, CollectionSnapshot, EventName, EventPayload } from '@shared/contract';
import { stateDir } from '@shared/formats/collection-files';
import { maskCaughtRequest, startCatcher, type Catcher, type CatcherSecrets } from '../catcher/index';
import { searchedSecrets } from '../secrets/mask';
import type { Webhook } from '@shared/model';
import {
  deletePath,
  initCollection,
  movePath,
  openCollection,
  saveContext,
  saveFields,
  saveSettings,
  saveTriggers,
  saveWebhook,
  watchCollection,
} from '../collection/index';
import { aimsAtCatcher, sampleCatcherRules } from '../collection/sample';
import { createHistory, type HistoryStore } from '../history/index';
import { createRunner } from '../runner/index';
import { createRunnerChannels } from '../runner/channels';
import { createSecrets, type SecretStore } from '../secrets/index';
import { createSender, type Sender } from '../sender/index';
import { readSpilledBody } from './body-file';
import { exportCollection, importIntoCollection } from '../transfer/index';
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

  // Desktop: values encrypted with the OS keychain. Browser host: the per-user private file the CLI reads
  // too. In both, the environment and the collection's .env override what is stored.
  const secretsFor = perCollection<SecretStore>((dir) =>
    createSecrets({
      dir,
      env: deps.env,
      userDataDir: deps.userDataDir,
      ...(deps.safeStorage ? { safeStorage: deps.safeStorage } : {}),
    }),
  );
  const historyFor = perCollection<HistoryStore>((dir) => createHistory(dir));

  // The catcher starts on the first request aimed at it, and stays up (on 127.0.0.1) until the studio
  // closes, answering the sample webhooks like the services they stand for.
  let catcher: Catcher | undefined;
  let catcherStarting: Promise<Catcher> | undefined;
  const ensureCatcher = (): Promise<Catcher> =>
    (catcherStarting ??= startCatcher({ rules: sampleCatcherRules() }).then(
      (c) => (catcher = c),
      (e: unknown) => {
        catcherStarting = undefined;
        throw e;
      },
    ));

  // What went to the catcher that is secret: the names of secret headers (and Authorization made of URL
  // credentials) and the collections whose secret values are searched for in what it shows.
  const toCatcher = { headers: new Set<string>(), dirs: new Set<string>() };
  const noteCatcherSend = (webhook: Webhook, dir: string | undefined): void => {
    for (const h of webhook.headers) if (h.secret) toCatcher.headers.add(h.name.toLowerCase());
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(webhook.url)) toCatcher.headers.add('authorization');
    if (dir !== undefined) toCatcher.dirs.add(dir);
  };
  const catcherSecrets = (): CatcherSecrets => {
    const values: string[] = [];
    for (const dir of toCatcher.dirs) {
      try {
        const store = secretsFor(dir);
        for (const { name } of store.list()) values.push(store.get(name) ?? '');
      } catch {
        // A store that cannot be read has nothing to add.
      }
    }
    return { headers: toCatcher.headers, values: searchedSecrets(values) };
  };

  let sender: Sender | undefined;
  const getSender = (): Sender =>
    (sender ??= createSender({ env: deps.env, catcherUrl: async () => (await ensureCatcher()).url }));
  const secretResolver = (dir: string | undefined) =>
    dir === undefined
      ? undefined
      : (name: string, host: string) => {
          const got = secretsFor(dir).resolveFor(name, host);
          return 'value' in got ? got.value : got;
        };

  const runner = createRunner({
    sender: {
      send: (input) => {
        if (aimsAtCatcher(input.webhook.url) || input.target === 'catcher') noteCatcherSend(input.webhook, undefined);
        return getSender().send({
          ...input,
          ...(aimsAtCatcher(input.webhook.url) ? { target: 'catcher' as const } : {}),
        });
      },
      cancel: (sendId) => getSender().cancel(sendId),
    },
  });
  // A run sends with its collection's secrets. The runner channels name a run's folder from its
  // collection, so that folder leads back to the collection when the run starts.
  const collectionOfRun = new Map<string, string>();
  const runnerChannels = createRunnerChannels({
    runner: {
      start: (input) => {
        const runDir = collectionOfRun.get(input.outDir);
        if (runDir !== undefined) toCatcher.dirs.add(runDir);
        const resolveSecret = secretResolver(runDir);
        collectionOfRun.delete(input.outDir);
        return runner.start(resolveSecret ? { ...input, resolveSecret } : input);
      },
      get: (runId) => runner.get(runId),
      attach: (runId, outDir) => runner.attach(runId, outDir),
    },
    emit: (event, payload) => ctx.emit(event, payload),
    runsDir: (dir, runId) => {
      const outDir = path.join(dir, stateDir, 'runs', runId);
      collectionOfRun.set(outDir, dir);
      return outDir;
    },
  });

  /**
   * Remembers the collection, watches it for outside edits, and tells every window it is open. Every
   * window shows the collection last opened, so the one it replaces is no longer watched.
   */
  async function opened(snapshot: CollectionSnapshot): Promise<CollectionSnapshot> {
    const dir = snapshot.dir;
    // Every secret with a value, from whichever source: the editor shows them as set.
    try {
      snapshot.secrets = secretsFor(dir).names();
    } catch {
      // An unreadable store or .env shows nothing as set; a send then says what is wrong.
    }
    await ctx.recent.add(dir);
    for (const [other, stop] of watchers) {
      if (other === dir) continue;
      stop();
      watchers.delete(other);
    }
    if (!watchers.has(dir)) {
      try {
        watchers.set(
          dir,
          watchCollection(dir, (paths) => ctx.emit('collection:changed', { dir, paths })),
        );
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
      return {
        version: deps.version ?? '0.0.0',
        shell: deps.shell,
        platform: process.platform,
        ...(collectionDir ? { collectionDir } : {}),
      };
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
    'collection:saveTriggers': async ({ dir, triggers }) => saveTriggers(abs(dir), triggers),
    'collection:delete': async ({ dir, path: rel }) => deletePath(abs(dir), rel),
    'collection:move': async ({ dir, from, to }) => movePath(abs(dir), from, to),
    'webhook:send': async (input) => {
      const dir = input.dir === undefined ? undefined : abs(input.dir);
      let { fields, profile } = input;
      if (dir !== undefined && (fields === undefined || profile === undefined)) {
        // What the renderer leaves out comes from the collection, as Marketo takes it from the instance.
        const snapshot = await openCollection(dir);
        fields ??= snapshot.fields;
        profile = { ...profileOverrides(snapshot.profile), ...profile };
      }
      const resolveSecret = secretResolver(dir);
      if (aimsAtCatcher(input.webhook.url) || input.target === 'catcher') noteCatcherSend(input.webhook, dir);
      const exchange = await getSender().send({
        sendId: input.sendId,
        webhook: input.webhook,
        webhookName: input.webhook.name,
        contextName: input.context.name,
        context: input.context,
        ...(fields ? { fields } : {}),
        ...(profile ? { profile } : {}),
        target: aimsAtCatcher(input.webhook.url) ? 'catcher' : input.target,
        onProgress: (p) => ctx.emit('send:progress', { sendId: input.sendId, phase: p.phase, atMs: p.atMs }),
        ...(resolveSecret ? { resolveSecret } : {}),
      });
      if (dir !== undefined && input.webhookPath !== undefined) {
        try {
          await historyFor(dir).record(input.webhookPath, exchange);
        } catch {
          // The exchange is the answer the user waits for; a history that cannot be written must not eat it.
        }
      }
      return exchange;
    },
    'webhook:cancel': async ({ sendId }) => ({ cancelled: sender?.cancel(sendId) ?? false }),
    'response:body': async ({ file }) => ({ response: await readSpilledBody(file) }),
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
    'secrets:list': async ({ dir }) => {
      const store = secretsFor(abs(dir));
      return { backend: store.backend, secrets: store.list() };
    },
    'catcher:status': async () => (catcher ? { running: true, url: catcher.url } : { running: false }),
    'catcher:requests': async ({ since }) => {
      if (!catcher) return { requests: [] };
      const secrets = catcherSecrets();
      return { requests: catcher.requests(since).map((r) => maskCaughtRequest(r, secrets)) };
    },
    'import:run': async ({ dir, ...options }) => importIntoCollection(abs(dir), options),
    'export:run': async ({ dir, ...options }) => exportCollection(abs(dir), options),
    'runner:start': async (input) => runnerChannels['runner:start']({ ...input, dir: abs(input.dir) }),
    'runner:control': async (input) => runnerChannels['runner:control'](input),
    'runner:rows': async (input) => runnerChannels['runner:rows'](input),
    'runner:exchange': async (input) => runnerChannels['runner:exchange'](input),
    'runner:runs': async (input) => runnerChannels['runner:runs']({ ...input, dir: abs(input.dir) }),
    'runner:open': async (input) => runnerChannels['runner:open']({ ...input, dir: abs(input.dir) }),
    'runner:resume': async (input) => runnerChannels['runner:resume']({ ...input, dir: abs(input.dir) }),
    'runner:report': async (input) => runnerChannels['runner:report']({ ...input, dir: abs(input.dir) }),
  };

  return {
    handlers,
    async close() {
      for (const stop of watchers.values()) stop();
      watchers.clear();
      await sender?.close();
      await (await catcherStarting?.catch(() => undefined))?.close();
    },
  };
}
