import type { StudioErrorShape } from '../model/error';
import { isEventName, type EventName } from './api';

/** What crosses Electron IPC: Electron keeps only the message of a thrown error, so failures travel as values. */
export type IpcReply = { ok: true; value: unknown } | { ok: false; error: StudioErrorShape };

/** The one IPC channel main pushes every contract event on, as an {@link EventMessage}; the preload fans them out. */
export const studioEventChannel = 'studio:event';

export type EventMessage = { event: EventName; payload: unknown };

/** A message on the event channel, if it names a contract event; anything else is ignored. */
export function eventMessageOf(message: unknown): EventMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { event, payload } = message as { event?: unknown; payload?: unknown };
  return typeof event === 'string' && isEventName(event) ? { event, payload } : undefined;
}

/**
 * The reply's value, or a rejection with the StudioError shape `{ name, code, message, where, issues }`
 * as a plain object: contextBridge keeps only the message of a real Error, so the page revives it
 * (see reviveStudioApi).
 */
export function unwrapIpcReply(reply: IpcReply): Promise<unknown> {
  if (reply.ok) return Promise.resolve(reply.value);
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- contextBridge would strip an Error to its message; the page revives this shape
  return Promise.reject({ name: 'StudioError', ...reply.error });
}
