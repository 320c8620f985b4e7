import {
  channelNames,
  splitChannel,
  type ChannelName,
  type EventName,
  type EventPayload,
  type StudioApi,
} from '../../shared/contract';

type Handler = (input: unknown) => unknown;

/**
 * A StudioApi whose channels answer from handlers given by the test; unhandled channels reject, so
 * a test sees every call the code under test makes. Events are emitted by the test.
 */
export function fakeApi(handlers: Partial<Record<ChannelName, Handler>>) {
  const calls: { channel: ChannelName; input: unknown }[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api: Record<string, unknown> = {
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
  for (const channel of channelNames) {
    const { domain, verb } = splitChannel(channel);
    const bucket = (api[domain] ??= {}) as Record<string, (input: unknown) => Promise<unknown>>;
    bucket[verb] = async (input: unknown) => {
      calls.push({ channel, input });
      const h = handlers[channel];
      if (!h) throw new Error(`unexpected call ${channel}`);
      return h(input);
    };
  }
  return {
    api: api as unknown as StudioApi,
    calls,
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
  };
}
