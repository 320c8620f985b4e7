import { StudioError, type ChannelName, type ChannelOutput, type EventName, type EventPayload } from '../../../shared/contract';
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

export function createHandlers(ctx: HandlerContext): StudioServices {
  const { deps } = ctx;

  const handlers: Handlers = {
    'app:info': async () => {
      const [latest] = await ctx.recent.list();
      const collectionDir = deps.initialCollection ?? latest;
      return { version: deps.version ?? '0.0.0', shell: deps.shell, platform: process.platform, ...(collectionDir ? { collectionDir } : {}) };
    },
    'collection:open': async () => unavailable('collection:open', 'collection'),
    'collection:pick': async () => unavailable('collection:pick', 'collection'),
    'collection:recent': async () => ({ dirs: await ctx.recent.list() }),
    'collection:init': async () => unavailable('collection:init', 'collection'),
    'collection:saveWebhook': async () => unavailable('collection:saveWebhook', 'collection'),
    'collection:saveContext': async () => unavailable('collection:saveContext', 'collection'),
    'collection:saveSettings': async () => unavailable('collection:saveSettings', 'collection'),
    'collection:saveFields': async () => unavailable('collection:saveFields', 'collection'),
    'collection:delete': async () => unavailable('collection:delete', 'collection'),
    'collection:move': async () => unavailable('collection:move', 'collection'),
    'webhook:send': async () => unavailable('webhook:send', 'sender'),
    'webhook:cancel': async () => unavailable('webhook:cancel', 'sender'),
    'history:list': async () => unavailable('history:list', 'history'),
    'history:get': async () => unavailable('history:get', 'history'),
    'secrets:set': async () => unavailable('secrets:set', 'secrets'),
    'secrets:delete': async () => unavailable('secrets:delete', 'secrets'),
    'catcher:status': async () => unavailable('catcher:status', 'catcher'),
    'catcher:requests': async () => unavailable('catcher:requests', 'catcher'),
    'import:run': async () => unavailable('import:run', 'transfer'),
    'export:run': async () => unavailable('export:run', 'transfer'),
    'runner:start': async () => unavailable('runner:start', 'runner'),
    'runner:control': async () => unavailable('runner:control', 'runner'),
    'runner:rows': async () => unavailable('runner:rows', 'runner'),
    'runner:exchange': async () => unavailable('runner:exchange', 'runner'),
  };

  return { handlers, async close() {} };
}
