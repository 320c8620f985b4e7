import { performance } from 'node:perf_hooks';

interface Entry {
  at: number;
  onExpire: () => void;
}

/**
 * The send timeouts of one sender under a single timer. A Node timer per send costs a libuv timer
 * restart on nearly every request; here the timer moves only when a new deadline is earlier than the
 * one it waits for, and an ended send just leaves the set.
 */
export class Deadlines {
  private readonly entries = new Set<Entry>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  /** Calls `onExpire` once `ms` have passed, unless the returned function is called first. */
  add(ms: number, onExpire: () => void): () => void {
    const entry: Entry = { at: performance.now() + ms, onExpire };
    this.entries.add(entry);
    if (entry.at < this.timerAt) this.schedule(entry.at);
    return () => {
      this.entries.delete(entry);
    };
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.entries.clear();
  }

  private schedule(at: number): void {
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, Math.ceil(at - performance.now())));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    // Node may fire a timer up to a millisecond before performance.now() reaches the deadline.
    const now = performance.now() + 1;
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.entries) {
      if (entry.at <= now) {
        this.entries.delete(entry);
        entry.onExpire();
      } else if (entry.at < next) next = entry.at;
    }
    if (next < Number.POSITIVE_INFINITY) this.schedule(next);
  }
}
