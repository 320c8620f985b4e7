import { describe, expect, it } from 'vitest';
import {
  bindStudioApi,
  channelNames,
  createEmitter,
  eventMessageOf,
  splitChannel,
  StudioError,
  unwrapIpcReply,
  type ChannelName,
  type EventPayloads,
  type StudioTransport,
} from '@shared/contract';

function recordingTransport(answer: (channel: ChannelName, input: unknown) => Promise<unknown>) {
  const calls: { channel: ChannelName; input: unknown }[] = [];
  const emitter = createEmitter<EventPayloads>();
  const transport: StudioTransport = {
    invoke: (channel, input) => {
      calls.push({ channel, input });
      return answer(channel, input);
    },
    on: (event, listener) => emitter.on(event, listener),
  };
  return { transport, calls, emitter };
}

describe('the contract binder', () => {
  it('gives every channel one method that invokes it, with {} for a missing input', async () => {
    const { transport, calls } = recordingTransport((channel) => Promise.resolve(channel));
    const api = bindStudioApi(transport) as unknown as Record<string, Record<string, (i?: unknown) => unknown>>;
    for (const channel of channelNames) {
      const { domain, verb } = splitChannel(channel);
      await expect(api[domain]?.[verb]?.()).resolves.toBe(channel);
    }
    expect(calls.map((c) => c.channel)).toEqual(channelNames);
    expect(calls.every((c) => typeof c.input === 'object' && c.input !== null)).toBe(true);
  });

  it('passes failures through as the transport made them', async () => {
    const failure = new StudioError({ code: 'conflict', message: 'changed on disk' });
    const { transport } = recordingTransport(() => Promise.reject(failure));
    await expect(bindStudioApi(transport).collection.recent({})).rejects.toBe(failure);
  });

  it('subscribes to contract events only', () => {
    const { transport, emitter } = recordingTransport(() => Promise.resolve(undefined));
    const api = bindStudioApi(transport);
    const got: unknown[] = [];
    const off = api.on('collection:opened', (p) => got.push(p.dir));
    emitter.emit('collection:opened', { dir: '/a' });
    emitter.emit('collection:changed', { dir: '/b', paths: [] });
    off();
    emitter.emit('collection:opened', { dir: '/c' });
    expect(got).toEqual(['/a']);
    expect(() => (api.on as (e: string, l: () => void) => void)('evil:event', () => undefined)).toThrow(
      /unknown studio event/,
    );
  });
});

describe('the IPC envelope', () => {
  it('unwraps a value, and rejects with the plain StudioError shape', async () => {
    await expect(unwrapIpcReply({ ok: true, value: 1 })).resolves.toBe(1);
    await expect(unwrapIpcReply({ ok: false, error: { code: 'x', message: 'm' } })).rejects.toEqual({
      name: 'StudioError',
      code: 'x',
      message: 'm',
    });
  });

  it('reads only messages that name a contract event', () => {
    expect(eventMessageOf({ event: 'runner:progress', payload: 1 })).toEqual({ event: 'runner:progress', payload: 1 });
    expect(eventMessageOf({ event: 'evil:event', payload: 1 })).toBeUndefined();
    expect(eventMessageOf('runner:progress')).toBeUndefined();
    expect(eventMessageOf(null)).toBeUndefined();
  });
});
