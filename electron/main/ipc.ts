import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { StudioError } from '@shared/model/error';
import { channelNames, eventNames, studioEventChannel, type EventMessage, type IpcReply } from '@shared/contract';
import type { Studio } from '../services/studio/index';
import { isAppUrl } from './security';

/** Only the studio's own window, showing the studio's own page, may call a channel. */
export function isTrustedSender(event: IpcMainInvokeEvent, trustedWebContentsId: number | undefined): boolean {
  if (trustedWebContentsId === undefined || event.sender.id !== trustedWebContentsId) return false;
  const frame = event.senderFrame;
  // The trust gate: a frame that is gone (null, or undefined in older typings) is never trusted.
  return frame != null && isAppUrl(frame.url);
}

/**
 * The one place that calls ipcMain.handle: exactly the contract's channels, each checking the sender,
 * then handing the raw input to the studio, which parses it with the channel's schema before any
 * service runs.
 */
export function registerIpc(
  ipcMain: IpcMain,
  studio: Studio,
  trustedWebContentsId: () => number | undefined,
): () => void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, input: unknown): Promise<IpcReply> => {
      if (!isTrustedSender(event, trustedWebContentsId())) {
        return {
          ok: false,
          error: {
            code: 'forbidden',
            message: `${channel}: refused a call from outside the studio window`,
            where: channel,
          },
        };
      }
      try {
        return { ok: true, value: await studio.handle(channel, input) };
      } catch (e) {
        const error =
          e instanceof StudioError ? e.toJSON() : { code: 'failed', message: `${channel} failed`, where: channel };
        return { ok: false, error };
      }
    });
  }
  return () => {
    for (const channel of channelNames) ipcMain.removeHandler(channel);
  };
}

/** Pushes every contract event to the window on one channel; the preload fans them out by name. */
export function forwardEvents(studio: Studio, target: () => WebContents | undefined): () => void {
  const offs = eventNames.map((name) =>
    studio.on(name, (payload) => {
      const contents = target();
      if (contents && !contents.isDestroyed()) {
        const message: EventMessage = { event: name, payload };
        contents.send(studioEventChannel, message);
      }
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}
