import type { RunRecord } from '@shared/runner/summary';
import type { Run } from './run-state';
import { stopOnWriteFailure } from './stop';

/**
 * Whether results.jsonl keeps this record whole, by the run's record setting; otherwise its compact
 * line: line, key, email, status, outcome, latency, message and the fields written — everything the
 * summary, JUnit and lead-updates.csv read; the exchange (about 1.4 KB a lead) is left out.
 */
function keptWhole(run: Run, record: RunRecord): boolean {
  return (
    record.exchange === undefined ||
    run.recordSetting === 'all' ||
    (run.recordSetting === 'failures' && !record.succeeded)
  );
}

/** Writes every record whose turn has come (results.jsonl is in file order), then tells the run. */
function flushFinished(run: Run): void {
  const { scheduler, finished } = run;
  while (finished.has(scheduler.nextWrite)) {
    const record = finished.get(scheduler.nextWrite);
    finished.delete(scheduler.nextWrite);
    scheduler.nextWrite++;
    if (!record || !run.results) continue;
    let counted: RunRecord;
    try {
      // The summary sees the whole record (its lint diagnostics), unless it could not be written at all.
      counted = run.results.writer.append(record, keptWhole(run, record));
    } catch (e) {
      stopOnWriteFailure(run, e);
      continue;
    }
    run.summary.add(counted);
    try {
      // The reports read only the compact fields, the same in the whole record and in what was written.
      run.reports?.record(counted);
    } catch (e) {
      stopOnWriteFailure(run, e, 'the reports');
    }
  }
  run.progress.emitSoon();
  scheduler.poke();
}

/** Task `seq` is finished with this record: it is written once every task before it is. */
export function complete(run: Run, seq: number, record: RunRecord): void {
  run.finished.set(seq, record);
  flushFinished(run);
}
