import { performance } from 'node:perf_hooks';
import { Links } from './links';

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
  private readonly entries = new Links<Entry>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  /** Calls `onExpire` once `ms` have passed since `from` (default: now), unless the returned function is called first. */
  add(ms: number, onExpire: () => void, from = performance.now()): () => void {
    const entry: Entry = { at: from + ms, onExpire };
    const link = this.entries.push(entry);
    if (entry.at < this.timerAt) this.schedule(entry.at);
    return () => this.entries.remove(link);
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
    const expired: Entry[] = [];
    for (const link of this.entries.links()) {
      const entry = link.value;
      if (entry.at <= now) {
        this.entries.remove(link);
        expired.push(entry);
      } else if (entry.at < next) next = entry.at;
    }
    if (next < Number.POSITIVE_INFINITY) this.schedule(next);
    // Called once the walk is over: what they do may add or drop deadlines.
    for (const entry of expired) entry.onExpire();
  }
}
