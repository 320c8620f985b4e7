import { contextBridge, ipcRenderer, type IpcRenderer } from 'electron';
import {
  bindStudioApi,
  createEmitter,
  eventMessageOf,
  studioEventChannel,
  unwrapIpcReply,
  type EventPayloads,
  type IpcReply,
  type StudioApi,
} from '@shared/contract';

/**
 * `window.studio`: the contract bound over Electron IPC (see shared/contract/binder.ts). A failure
 * rejects with the StudioError shape ({ name, code, message, where, issues }) because contextBridge
 * keeps only the message of a real Error; the page revives it.
 */
export function buildStudioApi(ipc: Pick<IpcRenderer, 'invoke' | 'on'>): StudioApi {
  const emitter = createEmitter<EventPayloads>();
  ipc.on(studioEventChannel, (_event, message: unknown) => {
    const known = eventMessageOf(message);
    // The main process sends only contract-shaped payloads (the studio checks each event's schema).
    if (known) emitter.emit(known.event, known.payload as EventPayloads[typeof known.event]);
  });
  return bindStudioApi({
    invoke: async (channel, input) => unwrapIpcReply((await ipc.invoke(channel, input)) as IpcReply),
    on: (event, listener) => emitter.on(event, listener),
  });
}

contextBridge.exposeInMainWorld('studio', buildStudioApi(ipcRenderer));
