import { performance } from 'node:perf_hooks';
import { Links, type Link } from './links';

/** What a deadline calls when it passes. Speed: docs/performance.md#sender */
export interface Expiring {
  expire(): void;
}

interface Entry {
  at: number;
  target: Expiring;
}

/** A deadline that has been added, to be dropped when its send ends first. */
export type Deadline = Link<Entry>;

/**
 * The send timeouts of one sender under a single timer: it moves only when a new deadline is earlier
 * than the one it waits for, and an ended send just leaves the list. Speed: docs/performance.md#sender
 */
export class Deadlines {
  private readonly entries = new Links<Entry>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  /** Calls `target.expire()` once `ms` have passed since `from` (default: now), unless dropped first. */
  add(ms: number, target: Expiring, from = performance.now()): Deadline {
    const entry: Entry = { at: from + ms, target };
    const link = this.entries.push(entry);
    if (entry.at < this.timerAt) this.schedule(entry.at);
    return link;
  }

  drop(deadline: Deadline): void {
    this.entries.remove(deadline);
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
    for (const entry of expired) entry.target.expire();
  }
}
