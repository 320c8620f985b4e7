/** A typed event emitter: listeners per event name, each removed by the function `on` returns. */
export interface Emitter<Events extends Record<string, unknown>> {
  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void;
  emit<K extends keyof Events>(event: K, payload: Events[K]): void;
  /** Drops every listener, for an owner that is closing. */
  clear(): void;
}

export interface EmitterOptions {
  /**
   * A listener that throws does not stop the others (a closed window, a dropped stream); its error is
   * swallowed. Without it the error reaches the one who emitted, as a plain call would.
   */
  isolateListeners?: boolean;
}

export function createEmitter<Events extends Record<string, unknown>>(options: EmitterOptions = {}): Emitter<Events> {
  const listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  const call = options.isolateListeners ? callIsolated : callPlain;
  return {
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) call(listener as (p: typeof payload) => void, payload);
    },
    clear() {
      listeners.clear();
    },
  };
}

function callPlain<P>(listener: (payload: P) => void, payload: P): void {
  listener(payload);
}

function callIsolated<P>(listener: (payload: P) => void, payload: P): void {
  try {
    listener(payload);
  } catch {
    // Swallowed on purpose: see EmitterOptions.isolateListeners.
  }
}
