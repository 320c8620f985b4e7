import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '@shared/model/error';
import type { ChannelOutput } from '@shared/contract';
import { readJournal, takeJournals, type JournalState } from './results-file';
import {
  beginRun,
  loadRunSources,
  runFolder,
  STUDIO_RUN_FILE,
  type ChannelInput,
  type RunnerChannelDeps,
  type StudioRunSettings,
} from './studio-run';
import type { RunHandle } from './types';

export const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A run name the view sent: refused unless it can only name a folder inside the runs folder. */
export function checkRunId(runId: string): void {
  if (!runIdPattern.test(runId))
    throw new StudioError({ code: 'bad-input', message: `'${runId}' is not a run name`, where: 'runId' });
}

/** Per resumed run, the removal of the journals it carried over, once it ends. */
export type Cleaning = Map<string, Promise<void>>;

/** Waits until the run may be resumed: not going, its summary written, an earlier resume's journals removed. */
async function settle(deps: RunnerChannelDeps, cleaning: Cleaning, runId: string): Promise<void> {
  const live = deps.runner.get(runId);
  if (live && (live.state() === 'running' || live.state() === 'paused')) {
    throw new StudioError({
      code: 'conflict',
      message: `run '${runId}' is still going; cancel it before resuming it`,
      where: 'runId',
    });
  }
  // Ended but maybe still writing its summary and reports: the journal is taken over only after.
  await live?.done.catch(() => undefined);
  // and an earlier resume's journals are removed before this one lists them.
  await cleaning.get(runId);
}

/** How the run was started and its leads, from its folder; only a studio run keeps them. */
async function keptRun(outDir: string, runId: string): Promise<{ settings: StudioRunSettings; content: string }> {
  try {
    const settings = JSON.parse(await readFile(join(outDir, STUDIO_RUN_FILE), 'utf8')) as StudioRunSettings;
    const content = await readFile(join(outDir, settings.leadsFile), 'utf8');
    return { settings, content };
  } catch {
    throw new StudioError({
      code: 'not-resumable',
      message: `run '${runId}' cannot be resumed from the studio: its folder keeps no leads file (a run from the CLI resumes with webhook-studio run --resume <folder>)`,
      where: 'runId',
    });
  }
}

/** What the earlier journals say, before they are moved aside: the leads sent without an answer. */
async function unansweredLines(outDir: string): Promise<number[]> {
  const resultsNames = (await readdir(outDir)).filter((n) => n === 'results.jsonl' || /^results\.\d+\.jsonl$/.test(n));
  const state: JournalState = { answered: new Set(), dispatched: new Set() };
  for (const name of resultsNames) await readJournal(join(outDir, name), state);
  return [...state.dispatched].filter((line) => !state.answered.has(line)).sort((a, b) => a - b);
}

/** Refuses a run that finished with every lead answered: there is nothing to resume. */
async function refuseFinished(outDir: string, runId: string, unanswered: number[]): Promise<void> {
  let summary: { state?: string; counts?: { notRun?: number } } | undefined;
  try {
    summary = JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8')) as typeof summary;
  } catch {
    // Killed before its summary: the journal says what is left.
  }
  if (summary?.state === 'done' && (summary.counts?.notRun ?? 0) === 0 && unanswered.length === 0) {
    throw new StudioError({
      code: 'nothing-to-resume',
      message: `run '${runId}' finished: every lead has its answer`,
      where: 'runId',
    });
  }
}

/** The new results.jsonl carries every answer of the earlier files over: they are removed once the run ends. */
function removeJournalsAfter(cleaning: Cleaning, run: RunHandle, journals: string[]): void {
  cleaning.set(
    run.id,
    run.done.then(
      async () => {
        for (const j of journals) await rm(j, { force: true });
      },
      () => undefined,
    ),
  );
}

/** runner:resume — continues a studio run that stopped, was cancelled or was killed. */
export async function resumeStudioRun(
  deps: RunnerChannelDeps,
  cleaning: Cleaning,
  input: ChannelInput<'runner:resume'>,
): Promise<ChannelOutput<'runner:resume'>> {
  checkRunId(input.runId);
  await settle(deps, cleaning, input.runId);
  const outDir = runFolder(deps, input.dir, input.runId);
  const { settings, content } = await keptRun(outDir, input.runId);
  const unanswered = await unansweredLines(outDir);
  await refuseFinished(outDir, input.runId, unanswered);
  const sources = await loadRunSources(input.dir, settings.webhookPath, settings.contextPath);
  const journals = await takeJournals(outDir);
  const run = beginRun(deps, {
    dir: input.dir,
    runId: input.runId,
    outDir,
    settings,
    sources,
    content,
    previous: { journals, resendUnanswered: input.resendUnanswered },
  });
  removeJournalsAfter(cleaning, run, journals);
  return { runId: run.id, unanswered, resent: input.resendUnanswered };
}
