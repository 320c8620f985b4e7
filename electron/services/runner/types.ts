import type { LeadsShown, RunnerRow } from '@shared/contract';
import type { TokenContext } from '@shared/model/context';
import type { Exchange } from '@shared/model/exchange';
import type { FieldCatalog } from '@shared/model/field-catalog';
import type { Profile } from '@shared/model/profile';
import type { Webhook } from '@shared/model/webhook';
import type { Trigger } from '@shared/model/trigger';
import type { LeadFormat } from '@shared/runner/leads';
import type { RunCounts, RunRecord, RunSummary } from '@shared/runner/summary';
import type { ReporterName } from '@shared/runner/reports';
import type { SendInput } from '../sender/index';

/** What the runner hands the sender (electron/services/sender) for one lead: a send without progress events. */
export type RunnerSendInput = Omit<SendInput, 'onProgress'>;
export interface RunnerSender {
  send(input: RunnerSendInput): Promise<Exchange>;
  /** Stops one send; its exchange then answers with the outcome `cancelled`. */
  cancel?(sendId: string): boolean;
}

export type RunState = 'running' | 'paused' | 'done' | 'cancelled' | 'failed';

export interface RunProgress {
  runId: string;
  counts: RunCounts;
  state: RunState;
  message?: string;
}

export const recordSettings = ['all', 'failures', 'none'] as const;
export type RecordSetting = (typeof recordSettings)[number];

export interface RunInput {
  webhook: Webhook;
  webhookName: string;
  context: TokenContext;
  fields: FieldCatalog;
  profile?: Partial<Profile>;
  /** "Webhook is Called" triggers: the summary counts the leads each would fire for. */
  triggers?: Trigger[];
  leads: { fileName: string; stream: AsyncIterable<string | Uint8Array> | string; format?: LeadFormat };
  /** Leads in the file, when the caller knows (a progress bar); counted here when the leads are a string. */
  total?: number;
  /** Requests in flight at once (default 1, as Marketo calls one lead after another). */
  concurrency?: number;
  /** At most this many requests started per second. */
  rate?: number;
  /** Extra attempts for a lead that timed out or hit a network error (default 0: Marketo does not retry). */
  retries?: number;
  /** A malformed row is reported and skipped (default), or stops the run. */
  onBadRow?: 'skip' | 'stop';
  target?: 'url' | 'catcher';
  /** The value of a secret header for a host (the collection's secrets). */
  resolveSecret?: (name: string, host: string) => string | { refused: string };
  outDir: string;
  reporters?: ReporterName[];
  runId?: string;
  /**
   * Continue an earlier run that stopped, was cancelled or was killed: its results files (newest
   * first). A lead with an answer there is carried over, never sent again; a lead sent without a
   * recorded answer is listed, and sent again only with `resendUnanswered`.
   */
  previous?: { journals: string[]; resendUnanswered?: boolean };
  /**
   * What results.jsonl keeps per lead: `all` the whole exchange; `failures` (default) the whole
   * exchange for a lead that did not succeed and a compact line for the rest; `none` compact lines only.
   */
  record?: RecordSetting;
}

/** The run's options without the leads text, which is let go once read. */
export type RunOptions = Omit<RunInput, 'leads'>;

export interface RunHandle {
  id: string;
  outDir: string;
  pause(): void;
  resume(): void;
  cancel(): void;
  /** Stops starting leads but lets the ones in flight finish (a signal): the rest are not run. */
  stop(reason: string): void;
  state(): RunState;
  counts(): RunCounts;
  done: Promise<RunSummary>;
  onProgress(listener: (progress: RunProgress) => void): () => void;
  /** Rows already written to results.jsonl, in file order: of every lead, or of those that did not succeed. */
  rows(offset: number, limit: number, show?: LeadsShown): Promise<{ rows: RunnerRow[]; total: number }>;
  /** The exchange of the lead on this line of the leads file, once it is written. */
  exchange(line: number): Promise<Exchange | undefined>;
  /** The record of this line of the leads file, once it is written (a bad row's reason, a lead not run). */
  record(line: number): Promise<RunRecord | undefined>;
}

export interface Runner {
  start(input: RunInput): RunHandle;
  get(runId: string): RunHandle | undefined;
  /** Reopens a past run from its folder (its summary.json and results.jsonl), to read its rows again. */
  attach(runId: string, outDir: string): Promise<{ handle: RunHandle; summary: RunSummary }>;
}

export const RESULTS_FILE = 'results.jsonl';
export const SUMMARY_FILE = 'summary.json';

type SummaryCounts = RunSummary['counts'];
/**
 * A summary.json as read from disk: one written before the failed, partly-mapped and not-run
 * counts existed lacks them.
 */
export type StoredRunSummary = Omit<RunSummary, 'counts'> & {
  counts: Omit<SummaryCounts, 'failed' | 'partlyMapped' | 'notRun'> &
    Partial<Pick<SummaryCounts, 'failed' | 'partlyMapped' | 'notRun'>>;
};
