import { StudioError } from '@shared/model/error';
import {
  channels,
  createEmitter,
  events,
  schemaError,
  type ChannelName,
  type ChannelOutput,
  type EventName,
  type EventPayload,
  type EventPayloads,
} from '@shared/contract';
import { toStudioError } from './errors';
import { createRecentList } from './recent';
import { createHandlers, type StudioServices } from './handlers';
import type { ParsedInput, Studio, StudioDeps } from './types';

export type { ParsedInput, SafeStorageLike, Studio, StudioDeps } from './types';

export function isChannelName(name: string): name is ChannelName {
  return Object.hasOwn(channels, name);
}

export function createStudio(deps: StudioDeps): Studio {
  // A failing listener (a closed window, a dropped SSE stream) must not stop the others.
  const emitter = createEmitter<EventPayloads>({ isolateListeners: true });
  const recent = createRecentList(deps.userDataDir);

  function emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    // Events are checked like channel outputs so that both shells forward only contract-shaped payloads.
    const parsed = events[event].safeParse(payload);
    if (parsed.success) emitter.emit(event, parsed.data as EventPayloads[E]);
  }

  const services: StudioServices = createHandlers({ deps, emit, recent });

  return {
    async handle<C extends ChannelName>(channel: C, input: unknown): Promise<ChannelOutput<C>> {
      if (!isChannelName(channel)) {
        throw new StudioError({
          code: 'unknown-channel',
          message: `no such channel: ${String(channel)}`,
          where: String(channel),
        });
      }
      const parsed = channels[channel].input.safeParse(input ?? {});
      if (!parsed.success) throw schemaError(channel, parsed.error);
      const handler = services.handlers[channel] as (i: ParsedInput<C>) => Promise<ChannelOutput<C>>;
      let output: ChannelOutput<C>;
      try {
        output = await handler(parsed.data as ParsedInput<C>);
      } catch (e) {
        throw toStudioError(e, channel);
      }
      // The contract binds both directions: an output that drifts from its schema is our bug, reported as such.
      const checked = channels[channel].output.safeParse(output);
      if (!checked.success) {
        const issues = checked.error.issues.map((i) => ({
          path: i.path.map(String).join('.') || '(output)',
          message: i.message,
        }));
        throw new StudioError({
          code: 'internal',
          message: `${channel} produced an answer outside the contract: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          where: channel,
          issues,
        });
      }
      return checked.data as ChannelOutput<C>;
    },
    on: (event, listener) => emitter.on(event, listener),
    async close() {
      emitter.clear();
      await services.close();
    },
  };
}
