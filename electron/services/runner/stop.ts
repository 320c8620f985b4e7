import type { Run } from './run-state';

/** Stops starting leads, for this reason; the first reason stays. */
export function stopBecause(run: Run, reason: string): void {
  if (run.stopRequested) return;
  run.stopRequested = true;
  run.message = reason;
  run.scheduler.poke();
}

/** Stops the run because results.jsonl (or a report) could not be written; the first failure is the one reported. */
export function stopOnWriteFailure(run: Run, e: unknown, what = 'results.jsonl'): void {
  const failure = (run.writeFailure ??= e instanceof Error ? e : new Error(String(e)));
  stopBecause(run, `${what} could not be written: ${failure.message}`);
}

/** Why a lead left after a stop was not run, as its record says. */
export function notRunReason(run: Run): string {
  if (run.cancelled) return 'the run was cancelled first';
  if (run.stopped) return `the run was stopped first (${run.message ?? 'stopped'})`;
  return `the run stopped first (${run.message ?? 'stopped'})`;
}

const live = (run: Run): boolean => run.state === 'running' || run.state === 'paused';

/** What the user (or a signal) can do to a run that is going: pause, resume, stop, cancel. */
export function runControls(run: Run): { pause(): void; resume(): void; stop(reason: string): void; cancel(): void } {
  return {
    pause() {
      if (run.state !== 'running') return;
      run.state = 'paused';
      run.progress.emitNow();
    },
    resume() {
      if (run.state !== 'paused') return;
      run.state = 'running';
      run.scheduler.poke();
      run.progress.emitNow();
    },
    stop(reason) {
      if (!live(run)) return;
      run.stopped = true;
      if (run.state === 'paused') run.state = 'running';
      stopBecause(run, reason);
      run.progress.emitNow();
    },
    cancel() {
      if (!live(run)) return;
      run.cancelled = true;
      if (run.state === 'paused') run.state = 'running';
      stopBecause(run, 'cancelled');
      for (const sendId of run.inFlightIds) run.sender.cancel?.(sendId);
      run.progress.emitNow();
    },
  };
}
