import { reviveStudioApi, type StudioApi } from '../../shared/contract';
import { createHttpApi, createOffThreadJsonParser } from './api-http';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a browser, where the HTTP host answers instead. */
    studio?: StudioApi;
  }
}

function browserApi(): StudioApi {
  const canWork = typeof Worker !== 'undefined';
  return createHttpApi({
    fetch: (input, init) => fetch(input, init),
    EventSource: typeof EventSource !== 'undefined' ? EventSource : undefined,
    parseJson: canWork ? createOffThreadJsonParser(() => new Worker(new URL('./workers/json-parse.worker.ts', import.meta.url), { type: 'module' })) : undefined,
  });
}

/**
 * The renderer's only door to the world. The Electron bridge can only reject with plain objects, so
 * its errors are revived into StudioError (the save-conflict handling relies on `instanceof`).
 */
export const api: StudioApi = typeof window !== 'undefined' && window.studio ? reviveStudioApi(window.studio) : browserApi();
