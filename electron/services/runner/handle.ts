import { join } from 'node:path';
import type { RunCounts, RunSummary } from '@shared/runner/summary';
import type { ResultsIndex } from './results-file';
import { readRecord, readRows } from './rows';
import type { Run } from './run-state';
import { runControls } from './stop';
import { RESULTS_FILE, type RunHandle, type StoredRunSummary } from './types';

/** The handle of a run that is going: its controls, progress and rows. */
export function runHandle(run: Run, done: Promise<RunSummary>): RunHandle {
  const { resultsPath } = run;
  const handle: RunHandle = {
    id: run.id,
    outDir: run.options.outDir,
    ...runControls(run),
    state: () => run.state,
    counts: () => run.summary.counts(run.total),
    done,
    onProgress: (listener) => run.progress.listen(listener),
    async rows(offset, limit, show) {
      const index = run.results?.index;
      if (!index) return { rows: [], total: 0 };
      return readRows(resultsPath, index, offset, limit, show);
    },
    async exchange(line) {
      return (await handle.record(line))?.exchange;
    },
    async record(line) {
      const index = run.results?.index;
      if (!index) return undefined;
      return readRecord(resultsPath, index, line);
    },
  };
  return handle;
}

/** The counts of a past run, as its summary.json has them (an older one lacks some). */
function countsOf(c: StoredRunSummary['counts']): RunCounts {
  return {
    total: c.leads,
    done: c.leads,
    byOutcome: { ...c.byOutcome },
    skipped: c.skipped,
    failed: c.failed ?? 0,
    succeeded: c.succeeded,
    partlyMapped: c.partlyMapped ?? 0,
    notRun: c.notRun ?? 0,
  };
}

/** The handle of a past run reopened from its folder: its rows can be read, nothing else changes. */
export function pastRunHandle(runId: string, outDir: string, summary: RunSummary, index: ResultsIndex): RunHandle {
  const resultsPath = join(outDir, RESULTS_FILE);
  const counts = countsOf(summary.counts);
  return {
    id: runId,
    outDir,
    pause: () => undefined,
    resume: () => undefined,
    cancel: () => undefined,
    stop: () => undefined,
    state: () => summary.state,
    counts: () => counts,
    done: Promise.resolve(summary),
    onProgress: () => () => undefined,
    rows: (offset, limit, show) => readRows(resultsPath, index, offset, limit, show),
    exchange: async (line) => (await readRecord(resultsPath, index, line))?.exchange,
    record: (line) => readRecord(resultsPath, index, line),
  };
}
