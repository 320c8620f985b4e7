import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '@shared/model/error';
import type { ChannelOutput } from '@shared/contract';
import { accountingText, type RunSummary } from '@shared/runner/summary';
import {
  runsBase,
  STUDIO_RUN_FILE,
  type ChannelInput,
  type RunnerChannelDeps,
  type StudioRunSettings,
} from './studio-run';
import type { StoredRunSummary } from './types';

type PastRun = ChannelOutput<'runner:runs'>['runs'][number];

const fileExists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

/** An older summary.json lacks some counts: they read as 0. */
function countsOf(c: StoredRunSummary['counts']): RunSummary['counts'] {
  return { ...c, failed: c.failed ?? 0, partlyMapped: c.partlyMapped ?? 0, notRun: c.notRun ?? 0 };
}

/** A run with a summary; resumable when started from the studio (its leads kept) and some lead has no answer yet. */
async function finishedRun(folder: string, name: string, summary: StoredRunSummary): Promise<PastRun> {
  const counts = countsOf(summary.counts);
  const left = summary.state !== 'done' || counts.notRun > 0 || (counts.byOutcome.cancelled ?? 0) > 0;
  const kept = left && (await fileExists(join(folder, STUDIO_RUN_FILE)));
  return {
    runId: name,
    webhook: summary.webhook,
    state: summary.state,
    startedAt: summary.startedAt,
    accounting: accountingText(counts),
    files: summary.files,
    resumable: kept,
  };
}

/**
 * A run with no summary: one still going (not listed), or one the studio stopped during (a crash, a
 * kill): a studio run that kept its leads is listed so it can be resumed; a CLI run resumes with --resume.
 */
async function interruptedRun(deps: RunnerChannelDeps, folder: string, name: string): Promise<PastRun | undefined> {
  const live = deps.runner.get(name)?.state();
  if (live === 'running' || live === 'paused') return undefined;
  try {
    const settings = JSON.parse(await readFile(join(folder, STUDIO_RUN_FILE), 'utf8')) as StudioRunSettings;
    return {
      runId: name,
      webhook: settings.webhookName ?? settings.webhookPath,
      state: 'interrupted',
      startedAt: settings.startedAt ?? '',
      accounting: 'stopped before its summary was written (the studio closed during the run)',
      files: {},
      resumable: true,
    };
  } catch {
    // Not a studio run, or not a run at all.
    return undefined;
  }
}

async function pastRun(deps: RunnerChannelDeps, base: string, name: string): Promise<PastRun | undefined> {
  // A run of this session that has ended may still be writing its summary: listed once it is written.
  const ended = deps.runner.get(name);
  if (ended && ended.state() !== 'running' && ended.state() !== 'paused') await ended.done.catch(() => undefined);
  const folder = join(base, name);
  let summary: StoredRunSummary;
  try {
    summary = JSON.parse(await readFile(join(folder, 'summary.json'), 'utf8')) as StoredRunSummary;
  } catch {
    return interruptedRun(deps, folder, name);
  }
  return finishedRun(folder, name, summary);
}

/** runner:runs — the collection's past runs, newest first (at most 100). */
export async function listPastRuns(
  deps: RunnerChannelDeps,
  input: ChannelInput<'runner:runs'>,
): Promise<ChannelOutput<'runner:runs'>> {
  const base = runsBase(input.dir);
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return { runs: [] };
  }
  const runs: PastRun[] = [];
  for (const name of names) {
    const run = await pastRun(deps, base, name);
    if (run) runs.push(run);
  }
  runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return { runs: runs.slice(0, 100) };
}

/** runner:open — reopens a finished run of the collection in this session, to read its rows. */
export async function openPastRun(
  deps: RunnerChannelDeps,
  input: ChannelInput<'runner:open'>,
): Promise<ChannelOutput<'runner:open'>> {
  const outDir = join(runsBase(input.dir), input.runId);
  let opened;
  try {
    opened = await deps.runner.attach(input.runId, outDir);
  } catch {
    throw new StudioError({
      code: 'not-found',
      message: `no finished run '${input.runId}' in ${input.dir}`,
      where: 'runId',
    });
  }
  const out: ChannelOutput<'runner:open'> = {
    runId: input.runId,
    counts: opened.handle.counts(),
    state: opened.summary.state,
  };
  if (opened.summary.message !== undefined) out.message = opened.summary.message;
  return out;
}
