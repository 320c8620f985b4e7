import { createEmitter } from '@shared/contract/emitter';
import type { RunProgress } from './types';

const PROGRESS_INTERVAL_MS = 100;

/** Progress events of one run: at most one every PROGRESS_INTERVAL_MS mid-run, at once on a change of state. */
export interface Progress {
  /** Sends the current progress now (a change of state: start, pause, end). */
  emitNow(): void;
  /** Sends it within the interval (a lead finished). */
  emitSoon(): void;
  listen(listener: (progress: RunProgress) => void): () => void;
}

export function createProgress(snapshot: () => RunProgress): Progress {
  // One broken listener (a closed window) must not stop the run or the others.
  const listeners = createEmitter<{ progress: RunProgress }>({ isolateListeners: true });
  let lastProgress = 0;
  let timer: NodeJS.Timeout | undefined;

  const emitNow = (): void => {
    lastProgress = performance.now();
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    listeners.emit('progress', snapshot());
  };
  return {
    emitNow,
    emitSoon() {
      if (timer) return;
      const due = PROGRESS_INTERVAL_MS - (performance.now() - lastProgress);
      if (due <= 0) emitNow();
      else timer = setTimeout(emitNow, due);
    },
    listen: (listener) => listeners.on('progress', listener),
  };
}
