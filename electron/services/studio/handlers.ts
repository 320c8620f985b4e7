import { appHandlers, collectionHandlers, type Watched } from './collection-handlers';
import { networkHandlers } from './network-handlers';
import { runnerHandlers, transferHandlers } from './runner-handlers';
import { catcherHandlers, secretsHandlers, sendHandlers } from './send-handlers';
import { createStudioState } from './state';
import type { Emit, Handlers, RecentList, StudioDeps } from './types';

export type { Handlers } from './types';

export interface StudioServices {
  handlers: Handlers;
  close(): Promise<void>;
}

interface HandlerContext {
  deps: StudioDeps;
  emit: Emit;
  recent: RecentList;
}

/** Every contract channel's handler, in groups by what they serve, over one shared state. */
export function createHandlers(ctx: HandlerContext): StudioServices {
  const state = createStudioState(ctx.deps, ctx.emit, ctx.recent);
  const watched: Watched = { watchers: new Map() };
  const handlers: Handlers = {
    ...appHandlers(state),
    ...collectionHandlers(state, watched),
    ...sendHandlers(state),
    ...secretsHandlers(state),
    ...catcherHandlers(state),
    ...transferHandlers(),
    ...runnerHandlers(state),
    ...networkHandlers(),
  };
  return {
    handlers,
    async close() {
      for (const stop of watched.watchers.values()) stop();
      watched.watchers.clear();
      await state.madeSender()?.close();
      await state.network.close();
      await state.catcher.close();
    },
  };
}
