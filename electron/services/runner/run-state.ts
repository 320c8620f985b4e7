import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { leadFormatOf, type LeadFormat } from '@shared/runner/leads';
import { createSummaryBuilder, type RunRecord, type SummaryBuilder } from '@shared/runner/summary';
import { RunInputError } from './leads-file';
import { createProgress, type Progress } from './progress';
import type { createJournalCursor, createResultsFile, JournalState } from './results-file';
import type { ReportStream } from './write-reports';
import { createScheduler, type Scheduler } from './scheduler';
import {
  RESULTS_FILE,
  type RecordSetting,
  type RunInput,
  type RunnerSender,
  type RunOptions,
  type RunProgress,
  type RunState,
} from './types';

/** What a resumed run knows of the runs before it, and what it carried over. */
export interface Resumed {
  state: JournalState;
  cursor: ReturnType<typeof createJournalCursor>;
  /** Leads answered earlier and carried over as they were. */
  carried: number;
  /** Lines sent earlier without a recorded answer. */
  unanswered: number[];
}

/**
 * Everything one run holds while it goes: its settings, where it stands, and its parts (scheduler,
 * progress, results file). One object, passed to the functions that make up a run.
 */
export interface Run {
  readonly id: string;
  readonly options: RunOptions;
  readonly sender: RunnerSender;
  readonly format: LeadFormat;
  readonly resultsPath: string;
  readonly recordSetting: RecordSetting;
  /** Extra attempts for a lead that timed out or hit a network error. */
  readonly retries: number;
  /** performance.now() at the start, for the wall time. */
  readonly started: number;
  readonly summary: SummaryBuilder;
  readonly scheduler: Scheduler;
  readonly progress: Progress;
  state: RunState;
  /** Why the run stopped, or its headline once done. */
  message: string | undefined;
  /** Leads in the file, once known. */
  total: number | null;
  /** No new lead starts (a bad row with stop, a write failure, a signal or a cancel). */
  stopRequested: boolean;
  cancelled: boolean;
  /** Stopped from outside (a signal): leads in flight finish, the run ends as cancelled. */
  stopped: boolean;
  writeFailure: Error | undefined;
  results: ReturnType<typeof createResultsFile> | undefined;
  /** The reports, fed each record as results.jsonl gets it. */
  reports: ReportStream | undefined;
  /** Send ids of the requests in flight, so a cancel can stop them. */
  readonly inFlightIds: Set<string>;
  /** Records finished ahead of `scheduler.nextWrite`, by task number, waiting for their turn in the file. */
  readonly finished: Map<number, RunRecord>;
  resumed: Resumed | undefined;
}

function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}

function formatOf(leads: RunInput['leads']): LeadFormat {
  const format = leads.format ?? leadFormatOf(leads.fileName);
  if (!format)
    throw new RunInputError(
      'unknown-lead-format',
      `${leads.fileName}: the leads file must end in .csv, .json, .jsonl or .ndjson`,
    );
  return format;
}

export function progressOf(run: Run): RunProgress {
  const p: RunProgress = { runId: run.id, counts: run.summary.counts(run.total), state: run.state };
  if (run.message !== undefined) p.message = run.message;
  return p;
}

/** A run about to start; throws a RunInputError for a leads file of no known format. */
export function createRun(options: RunOptions, leads: RunInput['leads'], sender: RunnerSender): Run {
  const id = options.runId ?? newRunId();
  const format = formatOf(leads);
  const startedAt = new Date();
  const summary = createSummaryBuilder({
    runId: id,
    webhook: options.webhookName,
    context: options.context.name,
    leadsFile: leads.fileName,
    startedAt: startedAt.toISOString(),
    triggers: options.triggers,
    profile: options.profile,
  });
  const limits = {
    concurrency: Math.max(1, Math.floor(options.concurrency ?? 1)),
    ...(options.rate !== undefined ? { rate: options.rate } : {}),
  };
  const run: Run = {
    id,
    options,
    sender,
    format,
    resultsPath: join(options.outDir, RESULTS_FILE),
    recordSetting: options.record ?? 'failures',
    retries: Math.max(0, Math.floor(options.retries ?? 0)),
    started: performance.now(),
    summary,
    scheduler: createScheduler(limits, {
      stopRequested: () => run.stopRequested,
      paused: () => run.state === 'paused',
      writer: () => run.results?.writer,
    }),
    progress: createProgress(() => progressOf(run)),
    state: 'running',
    message: undefined,
    total: options.total ?? null,
    stopRequested: false,
    cancelled: false,
    stopped: false,
    writeFailure: undefined,
    results: undefined,
    reports: undefined,
    inFlightIds: new Set(),
    finished: new Map(),
    resumed: undefined,
  };
  return run;
}
