import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunnerRow } from '@shared/contract';
import type { TokenContext } from '@shared/model/context';
import type { Exchange } from '@shared/model/exchange';
import type { FieldCatalog } from '@shared/model/field-catalog';
import type { Profile } from '@shared/model/profile';
import type { Webhook } from '@shared/model/webhook';
import type { Trigger } from '@shared/model/trigger';
import {
  createLeadCounter,
  createLeadReader,
  leadContext,
  leadFormatOf,
  type LeadFormat,
  type LeadProblem,
  type LeadRow,
} from '@shared/runner/leads';
import {
  accountingText,
  createSummaryBuilder,
  formatDuration,
  type RunCounts,
  type RunRecord,
  type RunSummary,
} from '@shared/runner/summary';
import { mappedFields, type ReporterName } from '@shared/runner/reports';
import {
  recordFromError,
  recordFromExchange,
  recordFromProblem,
  recordNotRun,
  recordUnanswered,
  withoutBodyFile,
} from './record';
import { releaseBodyFile } from '../sender/spill';
import {
  CHECKPOINT_EVERY,
  createJournalCursor,
  createResultsFile,
  indexResults,
  readJournal,
  scanResults,
  type JournalState,
  type ResultsIndex,
} from './results-file';
import { writeReports } from './write-reports';
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

export const recordSettings = ['all', 'failures', 'none'] as const;
export type RecordSetting = (typeof recordSettings)[number];

/**
 * The compact line: line, key, email, status, outcome, latency, message and the fields written —
 * everything the summary, JUnit and lead-updates.csv read; the exchange (about 1.4 KB a lead) is left out.
 */
function compactRecord(record: RunRecord): RunRecord {
  if (!record.exchange) return record;
  const { exchange: _exchange, leadAfter: _after, requestBody: _body, ...rest } = record;
  return rest;
}

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
  /** Rows already written to results.jsonl, in file order. */
  rows(offset: number, limit: number): Promise<{ rows: RunnerRow[]; total: number }>;
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

/** Rows of a results file from `offset`, found through its sparse index. */
async function readRows(
  resultsPath: string,
  index: ResultsIndex,
  offset: number,
  limit: number,
): Promise<{ rows: RunnerRow[]; total: number }> {
  const totalRows = index.committed();
  const end = Math.min(totalRows, offset + limit);
  if (offset >= end) return { rows: [], total: totalRows };
  const cp = index.checkpoint(offset);
  if (!cp) return { rows: [], total: totalRows };
  const rows: RunnerRow[] = [];
  let at = offset - (offset % CHECKPOINT_EVERY);
  await scanResults(resultsPath, cp.byte, index.committedBytes(), (record) => {
    if (at >= offset) rows.push(toRow(record));
    at++;
    return at < end;
  });
  return { rows, total: totalRows };
}

async function readRecord(resultsPath: string, index: ResultsIndex, line: number): Promise<RunRecord | undefined> {
  const cp = index.checkpointForLine(line);
  if (!cp) return undefined;
  let found: RunRecord | undefined;
  await scanResults(resultsPath, cp.byte, index.committedBytes(), (record) => {
    if (record.line === line) found = record;
    return record.line < line;
  });
  return found;
}

export const RESULTS_FILE = 'results.jsonl';
export const SUMMARY_FILE = 'summary.json';
const PROGRESS_INTERVAL_MS = 100;
const defaultReporters: ReporterName[] = ['json', 'junit', 'html', 'csv'];

/** A failure of the run as a whole (unreadable leads file, unknown format), as opposed to a failed lead. */
export class RunInputError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RunInputError';
    this.code = code;
  }
}

function toRow(record: RunRecord): RunnerRow {
  const row: RunnerRow = {
    line: record.line,
    leadKey: record.leadKey,
    outcome: record.outcome,
    totalMs: record.totalMs,
    notWritten: record.notWritten.map((n) => ({ field: n.field, reason: n.reason })),
  };
  if (record.status !== undefined) row.status = record.status;
  if (record.exchange) row.exchangeId = record.exchange.id;
  return row;
}

async function* textChunks(source: AsyncIterable<string | Uint8Array> | string): AsyncGenerator<string> {
  if (typeof source === 'string') {
    // Hand a big string over in slices, so that leads start going out before the whole text is parsed.
    const size = 64 * 1024;
    for (let at = 0; at < source.length; at += size) yield source.slice(at, at + size);
    return;
  }
  // Invalid UTF-8 becomes U+FFFD, which the readers report as a bad encoding on that row.
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for await (const chunk of source) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * Refuses a leads file that is not text before anything is sent: a NUL character never appears in
 * a CSV or JSON export, and a header that is not UTF-8 means every row would be misread.
 */
function checkText(chunk: string, first: boolean): void {
  if (chunk.includes('\u0000'))
    throw new RunInputError(
      'not-text',
      'the leads file is not text (it holds NUL bytes): pick a CSV, JSON or JSON Lines export',
    );
  if (first) {
    const nl = chunk.indexOf('\n');
    const head = nl >= 0 ? chunk.slice(0, nl) : chunk;
    if (head.includes('\uFFFD'))
      throw new RunInputError(
        'not-text',
        'the first line of the leads file is not UTF-8 text: save the export as UTF-8',
      );
  }
}

/** The chunks of a leads file, refused at the first sign that it is not text. */
async function* checkedChunks(source: AsyncIterable<string | Uint8Array> | string): AsyncGenerator<string> {
  let first = true;
  for await (const chunk of textChunks(source)) {
    if (chunk === '') continue;
    checkText(chunk, first);
    first = false;
    yield chunk;
  }
}

/**
 * Counts the leads (and bad rows) of a lead file without keeping them: one streaming pass. Refuses,
 * with a RunInputError, a file that is not text or holds no leads at all (an empty export).
 */
export async function countLeads(
  format: LeadFormat,
  fields: FieldCatalog,
  source: AsyncIterable<string | Uint8Array> | string,
): Promise<number> {
  const counter = createLeadCounter(format, fields);
  for await (const chunk of checkedChunks(source)) counter.push(chunk);
  const n = counter.end();
  if (n === 0)
    throw new RunInputError('no-leads', 'the leads file holds no leads (it is empty, or has a header and no rows)');
  return n;
}

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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createRunner(deps: { sender: RunnerSender }): Runner {
  const runs = new Map<string, RunHandle>();

  function start(input: RunInput): RunHandle {
    // The leads text is let go once read: a finished run kept for its rows must not hold a large upload.
    const { leads, ...options } = input;
    const leadsFileName = leads.fileName;
    const leadsFormat = leads.format;
    let source: RunInput['leads']['stream'] | undefined = leads.stream;
    const runId =
      options.runId ??
      `run-${new Date().toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
    // Results are written in file order; a lead may finish ahead of a slow one by at most this many.
    const window = Math.max(64, concurrency * 8);
    const retries = Math.max(0, Math.floor(options.retries ?? 0));
    const recordSetting: RecordSetting = options.record ?? 'failures';
    const knownFormat = leadsFormat ?? leadFormatOf(leadsFileName);
    if (!knownFormat)
      throw new RunInputError(
        'unknown-lead-format',
        `${leadsFileName}: the leads file must end in .csv, .json, .jsonl or .ndjson`,
      );
    const format: LeadFormat = knownFormat;
    const resultsPath = join(options.outDir, RESULTS_FILE);
    const startedAt = new Date();
    const started = performance.now();
    const summary = createSummaryBuilder({
      runId,
      webhook: options.webhookName,
      context: options.context.name,
      leadsFile: leadsFileName,
      startedAt: startedAt.toISOString(),
      triggers: options.triggers,
      profile: options.profile,
    });
    const listeners = new Set<(p: RunProgress) => void>();

    let state: RunState = 'running';
    let message: string | undefined;
    let total: number | null = options.total ?? null;
    let stopRequested = false;
    let cancelled = false;
    /** Stopped from outside (a signal): leads in flight finish, the run ends as cancelled. */
    let stopped = false;
    let results: ReturnType<typeof createResultsFile> | undefined;
    let lastProgress = 0;
    let progressTimer: NodeJS.Timeout | undefined;

    // Scheduling state: tasks are numbered in file order; `nextWrite` is the first not yet written.
    let nextSeq = 0;
    let nextWrite = 0;
    let inFlight = 0;
    const inFlightIds = new Set<string>();
    const finished = new Map<number, RunRecord>();
    let wake: (() => void) | undefined;
    let writeFailure: Error | undefined;
    let nextSlotAt = 0;
    let journal: { state: JournalState; cursor: ReturnType<typeof createJournalCursor> } | undefined;
    let carried = 0;
    const unanswered: number[] = [];

    const progress = (): RunProgress => {
      const p: RunProgress = { runId, counts: summary.counts(total), state };
      if (message !== undefined) p.message = message;
      return p;
    };
    const emitNow = (): void => {
      lastProgress = performance.now();
      if (progressTimer) {
        clearTimeout(progressTimer);
        progressTimer = undefined;
      }
      const p = progress();
      for (const l of listeners) {
        try {
          l(p);
        } catch {
          // One broken listener (a closed window) must not stop the run or the others.
        }
      }
    };
    const emitSoon = (): void => {
      if (progressTimer) return;
      const due = PROGRESS_INTERVAL_MS - (performance.now() - lastProgress);
      if (due <= 0) emitNow();
      else progressTimer = setTimeout(emitNow, due);
    };
    const poke = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const waitForChange = (): Promise<void> => new Promise((resolve) => (wake = resolve));

    const flushFinished = (): void => {
      while (finished.has(nextWrite)) {
        const record = finished.get(nextWrite);
        finished.delete(nextWrite);
        nextWrite++;
        if (!record || !results) continue;
        try {
          const shaped =
            recordSetting === 'all' || (recordSetting === 'failures' && !record.succeeded)
              ? record
              : compactRecord(record);
          const kept = results.writer.append(shaped);
          // The summary sees the whole record (its lint diagnostics), unless it could not be written at all.
          summary.add(kept === shaped ? record : kept);
        } catch (e) {
          writeFailure ??= e instanceof Error ? e : new Error(String(e));
          stopBecause(`results.jsonl could not be written: ${writeFailure.message}`);
        }
      }
      emitSoon();
      poke();
    };

    const complete = (seq: number, record: RunRecord): void => {
      finished.set(seq, record);
      flushFinished();
    };

    async function sendLead(lead: LeadRow, seq: number): Promise<void> {
      let attempts = 0;
      let record: RunRecord;
      for (;;) {
        attempts++;
        const sendId = `${runId}:${lead.line}${attempts > 1 ? `:${attempts}` : ''}`;
        inFlightIds.add(sendId);
        try {
          const exchange = await deps.sender.send({
            sendId,
            webhook: options.webhook,
            webhookName: options.webhookName,
            contextName: options.context.name,
            context: leadContext(options.context, lead),
            fields: options.fields,
            ...(options.profile ? { profile: options.profile } : {}),
            target: options.target ?? 'url',
            ...(options.resolveSecret ? { resolveSecret: options.resolveSecret } : {}),
          });
          const { exchange: kept, file } = withoutBodyFile(exchange);
          record = recordFromExchange(lead, kept, attempts);
          // The record holds what is kept of the body; nothing reads the whole again.
          await releaseBodyFile(file);
        } catch (e) {
          record = recordFromError(lead, e, attempts);
        } finally {
          inFlightIds.delete(sendId);
        }
        const transient = record.outcome === 'timeout' || record.outcome === 'network-error';
        if (!transient || attempts > retries || cancelled) break;
      }
      inFlight--;
      complete(seq, record);
    }

    /** A send may start at once: the usual case mid-run, decided without an async round trip. */
    function slotFree(): boolean {
      return (
        !stopRequested &&
        options.rate === undefined &&
        state !== 'paused' &&
        inFlight < concurrency &&
        nextSeq - nextWrite < window &&
        !results?.writer.backlogged()
      );
    }

    /** Waits until a new send may start: not paused, a free slot, room in the write window, the rate allows. */
    async function slot(): Promise<boolean> {
      for (;;) {
        if (stopRequested) return false;
        if (results?.writer.backlogged()) {
          await results.writer.drained();
          continue;
        }
        if (state !== 'paused' && inFlight < concurrency && nextSeq - nextWrite < window) break;
        await waitForChange();
      }
      if (options.rate !== undefined && options.rate > 0) {
        const now = performance.now();
        const at = Math.max(now, nextSlotAt);
        nextSlotAt = at + 1000 / options.rate;
        // A timer may fire up to a millisecond before its time on this clock: wait until the slot has truly come.
        for (let left = at - now; left > 0; left = at - performance.now()) await sleep(Math.ceil(left));
        if (stopRequested) return false;
      }
      return true;
    }

    async function execute(): Promise<RunSummary> {
      // A text given whole is counted (and refused when empty or not text) before anything is written or sent.
      if (typeof source === 'string') total = await countLeads(format, options.fields, source);
      await mkdir(options.outDir, { recursive: true });
      if (options.previous) {
        const state: JournalState = { answered: new Set(), dispatched: new Set() };
        for (const path of options.previous.journals) await readJournal(path, state);
        journal = { state, cursor: createJournalCursor(options.previous.journals) };
      }
      results = createResultsFile(resultsPath);

      const queue: Array<{ lead: LeadRow } | { problem: LeadProblem }> = [];
      let refused: RunInputError | undefined;
      const reader = createLeadReader(format, options.fields, {
        onLead: (lead) => queue.push({ lead }),
        onProblem: (problem) => queue.push({ problem }),
        onNote: (note) => summary.note(`line ${note.line}: ${note.message}`),
        onHeaderProblem: (problem) => {
          if (/not valid UTF-8/.test(problem.message))
            refused ??= new RunInputError(
              'not-text',
              `line ${problem.line}: ${problem.message.replace(/^header: /, 'header ')}: save the export as UTF-8`,
            );
          summary.problem(problem);
          summary.note(`line ${problem.line}: ${problem.message}`);
          if (options.onBadRow === 'stop') stopBecause(`line ${problem.line}: ${problem.message}`);
        },
      });

      // After a stop the rest of the file is still read, without sending: each lead left is recorded as
      // not run and each bad row as a bad row, so the counts add up to the file's lines.
      // Leads about to start are noted as dispatched in one journal line, then sent.
      const starting: Array<{ lead: LeadRow; seq: number }> = [];
      const launch = (): void => {
        if (starting.length === 0) return;
        if (stopRequested) {
          // Stopped (a bad row with --on-bad-row stop) before these left: they are not run.
          for (const { lead, seq } of starting) {
            inFlight--;
            complete(seq, recordNotRun(lead, `the run stopped first (${message ?? 'stopped'})`));
          }
          starting.length = 0;
          return;
        }
        try {
          results?.writer.dispatched(starting.map((s) => s.lead.line));
        } catch (e) {
          writeFailure ??= e instanceof Error ? e : new Error(String(e));
          stopBecause(`results.jsonl could not be written: ${writeFailure.message}`);
        }
        for (const { lead, seq } of starting) void sendLead(lead, seq);
        starting.length = 0;
      };
      const drain = async (): Promise<void> => {
        while (queue.length > 0) {
          const item = queue.shift();
          if (!item) break;
          if ('problem' in item) {
            // Leads read before this row leave first, as they would have without it.
            launch();
            summary.problem(item.problem);
            complete(nextSeq++, recordFromProblem(item.problem));
            if (options.onBadRow === 'stop') stopBecause(`line ${item.problem.line}: ${item.problem.message}`);
            continue;
          }
          if (journal) {
            const prior = await journal.cursor.seek(item.lead.line);
            if (prior) {
              // Answered in an earlier run: carried over as it was, never sent again.
              carried++;
              complete(nextSeq++, prior);
              continue;
            }
            if (journal.state.dispatched.has(item.lead.line)) {
              unanswered.push(item.lead.line);
              if (!options.previous?.resendUnanswered) {
                results?.writer.dispatched([item.lead.line]);
                complete(nextSeq++, recordUnanswered(item.lead));
                continue;
              }
            }
          }
          if (!stopRequested && slotFree()) {
            inFlight++;
            starting.push({ lead: item.lead, seq: nextSeq++ });
            continue;
          }
          launch();
          if (stopRequested || !(await slot())) {
            // Leads in flight finish first, so the not-run records do not pile up behind them.
            while (inFlight > 0) await waitForChange();
            complete(
              nextSeq++,
              recordNotRun(
                item.lead,
                cancelled
                  ? 'the run was cancelled first'
                  : stopped
                    ? `the run was stopped first (${message ?? 'stopped'})`
                    : `the run stopped first (${message ?? 'stopped'})`,
              ),
            );
            continue;
          }
          inFlight++;
          starting.push({ lead: item.lead, seq: nextSeq++ });
        }
        launch();
      };

      emitNow();
      const chunks = checkedChunks(source ?? '');
      source = undefined;
      for await (const chunk of chunks) {
        if (writeFailure) break;
        reader.push(chunk);
        // A header that is not text (checked on the first chunk) refuses the file before any request.
        if (refused) throw refused;
        await drain();
      }
      if (!writeFailure) {
        reader.end();
        await drain();
      }
      while (inFlight > 0) await waitForChange();
      await results.writer.close();
      await journal?.cursor.close();
      if (writeFailure) throw writeFailure;
      if (journal) {
        const shown = unanswered.slice(0, 20).join(', ');
        summary.note(
          `resumed: ${carried} lead(s) answered earlier carried over` +
            (unanswered.length > 0
              ? `; ${unanswered.length} lead(s) were sent earlier without a recorded answer (lines ${shown}${unanswered.length > 20 ? ', …' : ''}), ${options.previous?.resendUnanswered ? 'sent again' : 'not sent again (--resend-unanswered sends them)'}`
              : ''),
        );
      }

      // The run's state changes only once summary.json is on disk: a listener that sees 'done' (the view,
      // a past-runs list in another session) must find the summary there.
      const endState: RunState = cancelled || stopped ? 'cancelled' : stopRequested ? 'failed' : 'done';
      // At the end the total is what the run accounted for: every row when done, what it got to otherwise.
      total = summary.counts(null).done;
      const files: Record<string, string> = { results: RESULTS_FILE, summary: SUMMARY_FILE };
      const wallMs = performance.now() - started;
      const finishing = {
        state: endState,
        finishedAt: new Date().toISOString(),
        wallMs,
        files,
        ...(message !== undefined ? { message } : {}),
      } as const;
      const written = await writeReports({
        outDir: options.outDir,
        resultsPath,
        reporters: options.reporters ?? defaultReporters,
        updateFields: mappedFields(options.webhook.mappings, options.fields),
        summary: summary.finish(finishing),
      });
      const final = summary.finish({ ...finishing, files: { ...files, ...written } });
      await writeFile(join(options.outDir, SUMMARY_FILE), `${JSON.stringify(final, null, 2)}\n`);
      state = endState;
      // The last progress event carries the headline figures, so the view can show them without a summary channel.
      if (state === 'done') message = headline(final);
      emitNow();
      return final;
    }

    function stopBecause(reason: string): void {
      if (stopRequested) return;
      stopRequested = true;
      message = reason;
      poke();
    }

    const done = execute().catch(async (e: unknown) => {
      state = 'failed';
      message = e instanceof Error ? e.message : String(e);
      await results?.writer.close().catch(() => undefined);
      emitNow();
      throw e;
    });
    // The caller may only read `handle.done` later; an unobserved rejection must not crash the process.
    done.catch(() => undefined);

    const handle: RunHandle = {
      id: runId,
      outDir: options.outDir,
      pause() {
        if (state !== 'running') return;
        state = 'paused';
        emitNow();
      },
      resume() {
        if (state !== 'paused') return;
        state = 'running';
        poke();
        emitNow();
      },
      stop(reason) {
        if (state !== 'running' && state !== 'paused') return;
        stopped = true;
        if (state === 'paused') state = 'running';
        stopBecause(reason);
        emitNow();
      },
      cancel() {
        if (state !== 'running' && state !== 'paused') return;
        cancelled = true;
        if (state === 'paused') state = 'running';
        stopBecause('cancelled');
        for (const sendId of inFlightIds) deps.sender.cancel?.(sendId);
        emitNow();
      },
      state: () => state,
      counts: () => summary.counts(total),
      done,
      onProgress(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async rows(offset, limit) {
        const index = results?.index;
        if (!index) return { rows: [], total: 0 };
        return readRows(resultsPath, index, offset, limit);
      },
      async exchange(line) {
        return (await handle.record(line))?.exchange;
      },
      async record(line) {
        const index = results?.index;
        if (!index) return undefined;
        return readRecord(resultsPath, index, line);
      },
    };
    runs.set(runId, handle);
    return handle;
  }

  async function attach(runId: string, outDir: string): Promise<{ handle: RunHandle; summary: RunSummary }> {
    const existing = runs.get(runId);
    const summary = JSON.parse(await readFile(join(outDir, SUMMARY_FILE), 'utf8')) as RunSummary;
    if (existing) return { handle: existing, summary };
    const resultsPath = join(outDir, RESULTS_FILE);
    const index = await indexResults(resultsPath);
    const c = summary.counts;
    const counts: RunCounts = {
      total: c.leads,
      done: c.leads,
      byOutcome: { ...c.byOutcome },
      skipped: c.skipped,
      failed: c.failed ?? 0,
      succeeded: c.succeeded,
      partlyMapped: c.partlyMapped ?? 0,
      notRun: c.notRun ?? 0,
    };
    const handle: RunHandle = {
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
      rows: (offset, limit) => readRows(resultsPath, index, offset, limit),
      exchange: async (line) => (await readRecord(resultsPath, index, line))?.exchange,
      record: (line) => readRecord(resultsPath, index, line),
    };
    runs.set(runId, handle);
    return { handle, summary };
  }

  return { start, get: (runId) => runs.get(runId), attach };
}
