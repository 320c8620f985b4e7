import type { z } from 'zod';
import { channels } from './channels';
import { events } from './events';

export type ChannelName = keyof typeof channels;
export type EventName = keyof typeof events;
export type ChannelInput<C extends ChannelName> = z.input<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<(typeof channels)[C]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

type DomainOf<C> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C, D extends string> = C extends `${D}:${infer V}` ? V : never;
export type Domain = DomainOf<ChannelName>;

/** The renderer's whole view of the world: `api.collection.open({ dir })`, `api.webhook.send(...)`, `api.on(...)`. */
export type StudioApi = {
  [D in Domain]: {
    [V in VerbOf<ChannelName, D>]: (
      input: ChannelInput<`${D}:${V}` & ChannelName>,
    ) => Promise<ChannelOutput<`${D}:${V}` & ChannelName>>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

/** The payload type of every event, for a typed emitter: `createEmitter<EventPayloads>()`. */
export type EventPayloads = { [E in EventName]: EventPayload<E> };

export function splitChannel(name: ChannelName): { domain: Domain; verb: string } {
  const [domain, verb] = name.split(':') as [Domain, string];
  return { domain, verb };
}
