import path from 'node:path';
import { aimsAtCatcher } from '../collection/sample';
import { createRunner, type Runner } from '../runner/index';
import { createRunnerChannels } from '../runner/channels';
import { exportCollection, importIntoCollection } from '../transfer/index';
import { networkNotes } from '../net/collection-network';
import type { CollectionSender } from './network-senders';
import { cancelAnywhere } from './send-handlers';
import { secretResolver, type StudioState } from './state';
import type { HandlerGroup } from './types';

const abs = (dir: string): string => path.resolve(dir);

/**
 * Which collection sender each run uses. A run reaches the sender only with its send inputs, which carry
 * the run's own secrets resolver (made for it in `extra`); that resolver is the key to its collection's
 * sender, prepared when the run was started (the network settings read then, refused then if bad).
 */
interface RunNetworks {
  /** The collection sender of the run being started in each collection folder. */
  starting: Map<string, CollectionSender>;
  byResolver: WeakMap<object, CollectionSender>;
}

/** The runner, sending through the studio's senders (and its catcher) like a single send does. */
function studioRunner(state: StudioState, networks: RunNetworks): Runner {
  return createRunner({
    sender: {
      send: async (input) => {
        const toCatcher = aimsAtCatcher(input.webhook.url) || input.target === 'catcher';
        if (toCatcher) state.catcher.noteSend(input.webhook, undefined);
        const via = toCatcher || !input.resolveSecret ? undefined : networks.byResolver.get(input.resolveSecret);
        const exchange = await (via?.sender ?? state.sender()).send({
          ...input,
          ...(aimsAtCatcher(input.webhook.url) ? { target: 'catcher' as const } : {}),
        });
        if (via) exchange.diagnostics.push(...networkNotes(exchange, via.applied.options, state.deps.env));
        return exchange;
      },
      cancel: (sendId) => cancelAnywhere(state, sendId),
    },
  });
}

/** Reads the collection's network settings before a run starts, so a bad one refuses the run with its reason. */
async function prepareNetwork(state: StudioState, networks: RunNetworks, dir: string): Promise<void> {
  networks.starting.set(dir, await state.network.forCollection(dir));
}

export function runnerHandlers(state: StudioState): HandlerGroup<'runner'> {
  const networks: RunNetworks = { starting: new Map(), byResolver: new WeakMap() };
  const channels = createRunnerChannels({
    runner: studioRunner(state, networks),
    emit: (event, payload) => {
      state.emit(event, payload);
    },
    // A run sends with its collection's secrets and network settings; its secrets are masked in what the catcher shows.
    extra: (dir) => {
      state.catcher.noteDir(dir);
      void state.catcher.reloadRules(dir);
      const resolveSecret = secretResolver(state, dir);
      const via = networks.starting.get(dir);
      if (resolveSecret && via) networks.byResolver.set(resolveSecret, via);
      return resolveSecret ? { resolveSecret } : {};
    },
  });
  return {
    'runner:start': async (input) => {
      await prepareNetwork(state, networks, abs(input.dir));
      return channels['runner:start']({ ...input, dir: abs(input.dir) });
    },
    'runner:control': async (input) => channels['runner:control'](input),
    'runner:rows': async (input) => channels['runner:rows'](input),
    'runner:exchange': async (input) => channels['runner:exchange'](input),
    'runner:runs': async (input) => channels['runner:runs']({ ...input, dir: abs(input.dir) }),
    'runner:open': async (input) => channels['runner:open']({ ...input, dir: abs(input.dir) }),
    'runner:resume': async (input) => {
      await prepareNetwork(state, networks, abs(input.dir));
      return channels['runner:resume']({ ...input, dir: abs(input.dir) });
    },
    'runner:report': async (input) => channels['runner:report']({ ...input, dir: abs(input.dir) }),
  };
}

export function transferHandlers(): HandlerGroup<'import' | 'export'> {
  return {
    'import:run': async ({ dir, ...options }) => importIntoCollection(abs(dir), options),
    'export:run': async ({ dir, ...options }) => exportCollection(abs(dir), options),
  };
}
