import { reviveStudioApi, type StudioApi } from '@shared/contract';
import { createHttpApi } from './api-http';
import { createOffThreadJsonParser } from './workers/off-thread-json';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a browser, where the HTTP host answers instead. */
    studio?: StudioApi;
  }
}

/** Whether this browser can hand a ReadableStream to a worker (Chromium can; older engines cannot). */
function streamsTransfer(): boolean {
  try {
    const stream = new ReadableStream();
    new MessageChannel().port1.postMessage(stream, [stream]);
    return true;
  } catch {
    return false;
  }
}

function browserApi(): StudioApi {
  const canWork = typeof Worker !== 'undefined';
  const parser = canWork
    ? createOffThreadJsonParser(
        () => new Worker(new URL('./workers/json-parse.worker.ts', import.meta.url), { type: 'module' }),
      )
    : undefined;
  return createHttpApi({
    fetch: (input, init) => fetch(input, init),
    EventSource: typeof EventSource !== 'undefined' ? EventSource : undefined,
    parseJson: parser,
    parseJsonStream: parser && streamsTransfer() ? parser.stream : undefined,
  });
}

/**
 * The renderer's only door to the world. The Electron bridge can only reject with plain objects, so
 * its errors are revived into StudioError (the save-conflict handling relies on `instanceof`).
 */
export const api: StudioApi =
  typeof window !== 'undefined' && window.studio ? reviveStudioApi(window.studio) : browserApi();
