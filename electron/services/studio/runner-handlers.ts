import path from 'node:path';
import { aimsAtCatcher } from '../collection/sample';
import { createRunner, type Runner } from '../runner/index';
import { createRunnerChannels } from '../runner/channels';
import { exportCollection, importIntoCollection } from '../transfer/index';
import { secretResolver, type StudioState } from './state';
import type { HandlerGroup } from './types';

const abs = (dir: string): string => path.resolve(dir);

/** The runner, sending through the studio's sender (and its catcher) like a single send does. */
function studioRunner(state: StudioState): Runner {
  return createRunner({
    sender: {
      send: (input) => {
        if (aimsAtCatcher(input.webhook.url) || input.target === 'catcher')
          state.catcher.noteSend(input.webhook, undefined);
        return state.sender().send({
          ...input,
          ...(aimsAtCatcher(input.webhook.url) ? { target: 'catcher' as const } : {}),
        });
      },
      cancel: (sendId) => state.sender().cancel(sendId),
    },
  });
}

export function runnerHandlers(state: StudioState): HandlerGroup<'runner'> {
  const channels = createRunnerChannels({
    runner: studioRunner(state),
    emit: (event, payload) => {
      state.emit(event, payload);
    },
    // A run sends with its collection's secrets, and those secrets are masked in what the catcher shows.
    extra: (dir) => {
      state.catcher.noteDir(dir);
      void state.catcher.reloadRules(dir);
      const resolveSecret = secretResolver(state, dir);
      return resolveSecret ? { resolveSecret } : {};
    },
  });
  return {
    'runner:start': async (input) => channels['runner:start']({ ...input, dir: abs(input.dir) }),
    'runner:control': async (input) => channels['runner:control'](input),
    'runner:rows': async (input) => channels['runner:rows'](input),
    'runner:exchange': async (input) => channels['runner:exchange'](input),
    'runner:runs': async (input) => channels['runner:runs']({ ...input, dir: abs(input.dir) }),
    'runner:open': async (input) => channels['runner:open']({ ...input, dir: abs(input.dir) }),
    'runner:resume': async (input) => channels['runner:resume']({ ...input, dir: abs(input.dir) }),
    'runner:report': async (input) => channels['runner:report']({ ...input, dir: abs(input.dir) }),
  };
}

export function transferHandlers(): HandlerGroup<'import' | 'export'> {
  return {
    'import:run': async ({ dir, ...options }) => importIntoCollection(abs(dir), options),
    'export:run': async ({ dir, ...options }) => exportCollection(abs(dir), options),
  };
}
