import { StudioError } from '../model/error';
import { channelNames, isEventName, splitChannel, type ChannelName, type EventName, type StudioApi } from './api';
import { reviveStudioError } from './errors';

/**
 * How an API reaches the world. The preload's is Electron IPC, the browser's is HTTP with server-sent
 * events, the page's revived API is the preload's bridge; each is turned into a StudioApi by
 * {@link bindStudioApi}, the one place that walks the contract table.
 */
export interface StudioTransport {
  /** Resolves with the channel's output; rejects with what the transport makes of a failure. */
  invoke(channel: ChannelName, input: unknown): Promise<unknown>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

type Method = (input: unknown) => Promise<unknown>;

/**
 * One named method per contract channel (`api.collection.open(input)`) and `on` for events; no
 * generic invoke, so a caller reaches nothing the contract does not list.
 */
export function bindStudioApi(transport: StudioTransport): StudioApi {
  const api: Record<string, Record<string, Method>> = {};
  for (const channel of channelNames) {
    const { domain, verb } = splitChannel(channel);
    const methods = (api[domain] ??= {});
    methods[verb] = async (input) => transport.invoke(channel, input ?? {});
  }
  const on = (event: string, listener: (payload: unknown) => void): (() => void) => {
    if (!isEventName(event)) throw new Error(`unknown studio event: ${event}`);
    return transport.on(event, listener);
  };
  // The table walk builds exactly the mapped type StudioApi describes; TypeScript cannot follow it.
  return { ...api, on } as unknown as StudioApi;
}

type BridgeMethods = Partial<Record<string, Partial<Record<string, Method>>>>;

/**
 * The Electron preload can only reject with a plain `{ name: 'StudioError', code, message, where, issues }`
 * (contextBridge keeps no class across worlds). This wraps such an API so every failure is a real
 * StudioError again, as from the HTTP transport; use it on `window.studio`.
 */
export function reviveStudioApi(bridge: StudioApi): StudioApi {
  const methods = bridge as unknown as BridgeMethods;
  return bindStudioApi({
    invoke(channel, input) {
      const { domain, verb } = splitChannel(channel);
      // Looked up at call time, so the wrapper always calls what the bridge holds now.
      const method = methods[domain]?.[verb];
      if (!method) {
        const error = new StudioError({
          code: 'unknown-channel',
          message: `${channel} is not available`,
          where: channel,
        });
        return Promise.reject(error);
      }
      return method(input).catch((e: unknown) => {
        throw reviveStudioError(e);
      });
    },
    on: (event, listener) => bridge.on(event, listener),
  });
}
