import type { ResultsWriter } from './results-file';

/**
 * When the next lead may start: at most `concurrency` in flight, at most `rate` started a second,
 * not while paused, and never further ahead of the results file than the write window.
 *
 * Hand-written on purpose: p-queue (the usual choice) needs Node 22 from its current major on, and
 * this project runs on Node 20 (package.json engines); an older major would pin a stale dependency.
 * The scheduler also has to know the write window and the writer's backlog, which a generic queue does not.
 * Speed: docs/performance.md#runner
 */
export interface Scheduler {
  /** Tasks are numbered in file order: the number the next lead or bad row gets. */
  nextSeq: number;
  /** The first task whose record is not yet written. */
  nextWrite: number;
  /** Sends started (or about to start) and not yet finished. */
  inFlight: number;
  /** A send may start at once: the usual case mid-run, decided without an async round trip. */
  slotFree(): boolean;
  /** Waits until a new send may start: not paused, a free slot, room in the write window, the rate allows. */
  slot(): Promise<boolean>;
  /** Wakes whoever waits for a change (a finished lead, a resume, a stop). */
  poke(): void;
  waitForChange(): Promise<void>;
}

/** What the scheduler reads of the run at each decision. */
export interface SchedulerGate {
  stopRequested(): boolean;
  paused(): boolean;
  writer(): ResultsWriter | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createScheduler(limits: { concurrency: number; rate?: number }, gate: SchedulerGate): Scheduler {
  const { concurrency, rate } = limits;
  // Results are written in file order; a lead may finish ahead of a slow one by at most this many.
  const window = Math.max(64, concurrency * 8);
  let wake: (() => void) | undefined;
  let wakeQueued = false;
  let nextSlotAt = 0;
  /*
   * A finished lead does not wake the dispatcher at once: the wake waits for the end of this turn of the
   * event loop, so every answer that arrived in the turn frees its slot first, and the leads that take
   * those slots leave together behind ONE dispatched line in the journal (one write, not one a lead).
   * Speed: docs/performance.md#runner
   */
  const wakeNow = (): void => {
    wakeQueued = false;
    const w = wake;
    wake = undefined;
    w?.();
  };

  const roomFor = (s: Scheduler): boolean =>
    !gate.paused() && s.inFlight < concurrency && s.nextSeq - s.nextWrite < window;

  /** Waits for the rate's next start time; false when the run stopped meanwhile. */
  async function rateSlot(perSecond: number): Promise<boolean> {
    const now = performance.now();
    const at = Math.max(now, nextSlotAt);
    nextSlotAt = at + 1000 / perSecond;
    // A timer may fire up to a millisecond before its time on this clock: wait until the slot has truly come.
    for (let left = at - now; left > 0; left = at - performance.now()) await sleep(Math.ceil(left));
    return !gate.stopRequested();
  }

  const scheduler: Scheduler = {
    nextSeq: 0,
    nextWrite: 0,
    inFlight: 0,
    slotFree() {
      return !gate.stopRequested() && rate === undefined && roomFor(scheduler) && !gate.writer()?.backlogged();
    },
    async slot() {
      for (;;) {
        if (gate.stopRequested()) return false;
        const writer = gate.writer();
        if (writer?.backlogged()) {
          await writer.drained();
          continue;
        }
        if (roomFor(scheduler)) break;
        await scheduler.waitForChange();
      }
      if (rate !== undefined && rate > 0) return rateSlot(rate);
      return true;
    },
    poke() {
      if (wake === undefined || wakeQueued) return;
      wakeQueued = true;
      setImmediate(wakeNow);
    },
    waitForChange: () => new Promise((resolve) => (wake = resolve)),
  };
  return scheduler;
}
