import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSummary } from '@shared/runner/summary';
import { executeRun, type LeadsHolder } from './execute';
import { pastRunHandle, runHandle } from './handle';
import { indexResults } from './results-index';
import { createRun } from './run-state';
import { RESULTS_FILE, SUMMARY_FILE, type RunHandle, type RunInput, type Runner, type RunnerSender } from './types';

export { countLeads, RunInputError } from './leads-file';
export { headline } from './finish';
export {
  RESULTS_FILE,
  SUMMARY_FILE,
  recordSettings,
  type RecordSetting,
  type RunHandle,
  type RunInput,
  type Runner,
  type RunnerSender,
  type RunnerSendInput,
  type RunProgress,
  type RunState,
} from './types';

/**
 * The runner: sends a webhook once per lead of a leads file and writes results.jsonl, the reports and
 * summary.json. A run is one state object (run-state.ts) that the scheduler, the dispatcher, the
 * file-order writer and the stop controls act on.
 */
export function createRunner(deps: { sender: RunnerSender }): Runner {
  const runs = new Map<string, RunHandle>();

  function start(input: RunInput): RunHandle {
    const { leads, ...options } = input;
    const run = createRun(options, leads, deps.sender);
    // The leads text is let go once read: a finished run kept for its rows must not hold a large upload.
    const holder: LeadsHolder = { source: leads.stream };
    const done = executeRun(run, holder).catch(async (e: unknown) => {
      run.state = 'failed';
      run.message = e instanceof Error ? e.message : String(e);
      await run.results?.writer.close().catch(() => undefined);
      run.progress.emitNow();
      throw e;
    });
    // The caller may only read `handle.done` later; an unobserved rejection must not crash the process.
    done.catch(() => undefined);
    const handle = runHandle(run, done);
    runs.set(run.id, handle);
    return handle;
  }

  async function attach(runId: string, outDir: string): Promise<{ handle: RunHandle; summary: RunSummary }> {
    const existing = runs.get(runId);
    const summary = JSON.parse(await readFile(join(outDir, SUMMARY_FILE), 'utf8')) as RunSummary;
    if (existing) return { handle: existing, summary };
    const index = await indexResults(join(outDir, RESULTS_FILE));
    const handle = pastRunHandle(runId, outDir, summary, index);
    runs.set(runId, handle);
    return { handle, summary };
  }

  return { start, get: (runId) => runs.get(runId), attach };
}
