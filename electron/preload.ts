import { contextBridge, ipcRenderer, type IpcRenderer } from 'electron';
import { type StudioErrorShape } from '@shared/model/error';
import { channelNames, eventNames, splitChannel, type EventName, type StudioApi } from '../shared/contract';
import type { IpcReply } from './main/ipc';

type Listener = (payload: unknown) => void;

/**
 * `window.studio`: one named method per contract channel (`studio.collection.open(input)`) and `on`
 * for events. No generic invoke, so the page can reach nothing the contract does not list. A failure
 * rejects with the StudioError shape ({ name, code, message, where, issues }) because contextBridge
 * keeps only the message of a real Error.
 */
export function buildStudioApi(ipc: Pick<IpcRenderer, 'invoke' | 'on'>): StudioApi {
  const api: Record<string, unknown> = {};
  for (const channel of channelNames) {
    const { domain, verb } = splitChannel(channel);
    const methods = (api[domain] ??= {}) as Record<string, (input: unknown) => Promise<unknown>>;
    methods[verb] = async (input: unknown) => {
      const reply = (await ipc.invoke(channel, input ?? {})) as IpcReply;
      if (reply.ok) return reply.value;
      const error: StudioErrorShape & { name: string } = { name: 'StudioError', ...reply.error };
      throw error;
    };
  }
  const listeners = new Map<string, Set<Listener>>();
  ipc.on('studio:event', (_event, message: { event?: unknown; payload?: unknown }) => {
    if (typeof message?.event !== 'string') return;
    for (const l of listeners.get(message.event) ?? []) l(message.payload);
  });
  api.on = (event: EventName, listener: Listener) => {
    if (!eventNames.includes(event)) throw new Error(`unknown studio event: ${String(event)}`);
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  };
  return api as StudioApi;
}

contextBridge.exposeInMainWorld('studio', buildStudioApi(ipcRenderer));
