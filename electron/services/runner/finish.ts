import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { accountingText, formatDuration, type RunSummary } from '@shared/runner/summary';
import type { Run } from './run-state';
import { RESULTS_FILE, SUMMARY_FILE } from './types';

/** "980 of 1000 leads succeeded · p50 12 ms, p95 40 ms · Marketo, one lead after another: 12.0 s" */
export function headline(summary: RunSummary): string {
  const c = summary.counts;
  const parts = [`${c.succeeded} of ${c.leads} leads succeeded`];
  if (summary.latency) {
    parts.push(`p50 ${summary.latency.p50Ms} ms, p95 ${summary.latency.p95Ms} ms`);
    parts.push(`Marketo, one lead after another: ${formatDuration(summary.sequentialMs)}`);
  }
  parts.push(accountingText(c));
  return parts.join(' · ');
}

function endStateOf(run: Run): RunSummary['state'] {
  if (run.cancelled || run.stopped) return 'cancelled';
  return run.stopRequested ? 'failed' : 'done';
}

/**
 * Writes the reports and summary.json of a run whose leads are all accounted for, then changes its
 * state. The state changes only once summary.json is on disk: a listener that sees 'done' (the view,
 * a past-runs list in another session) must find the summary there.
 */
export async function finishRun(run: Run): Promise<RunSummary> {
  const { options, summary } = run;
  const endState = endStateOf(run);
  // At the end the total is what the run accounted for: every row when done, what it got to otherwise.
  run.total = summary.counts(null).done;
  const files: Record<string, string> = { results: RESULTS_FILE, summary: SUMMARY_FILE };
  const finishing = {
    state: endState,
    finishedAt: new Date().toISOString(),
    wallMs: performance.now() - run.started,
    files,
    ...(run.message !== undefined ? { message: run.message } : {}),
  } as const;
  const written = (await run.reports?.finish(summary.finish(finishing))) ?? {};
  const final = summary.finish({ ...finishing, files: { ...files, ...written } });
  await writeFile(join(options.outDir, SUMMARY_FILE), `${JSON.stringify(final, null, 2)}\n`);
  run.state = endState;
  // The last progress event carries the headline figures, so the view can show them without a summary channel.
  if (endState === 'done') run.message = headline(final);
  run.progress.emitNow();
  return final;
}
