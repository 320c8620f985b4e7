import {
  bindStudioApi,
  createEmitter,
  type ChannelName,
  type EventName,
  type EventPayloads,
} from '../../shared/contract';

type Handler = (input: unknown) => unknown;

/**
 * A StudioApi whose channels answer from handlers given by the test; unhandled channels reject, so
 * a test sees every call the code under test makes. Events are emitted by the test.
 */
export function fakeApi(handlers: Partial<Record<ChannelName, Handler>>) {
  const calls: { channel: ChannelName; input: unknown }[] = [];
  const emitter = createEmitter<EventPayloads>();
  const api = bindStudioApi({
    async invoke(channel, input) {
      calls.push({ channel, input });
      const h = handlers[channel];
      if (!h) throw new Error(`unexpected call ${channel}`);
      return h(input);
    },
    on: (event, listener) => emitter.on(event, listener),
  });
  return {
    api,
    calls,
    emit<E extends EventName>(event: E, payload: EventPayloads[E]) {
      emitter.emit(event, payload);
    },
  };
}
