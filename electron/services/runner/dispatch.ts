import { leadContext, type LeadProblem, type LeadRow } from '@shared/runner/leads';
import type { RunRecord } from '@shared/runner/summary';
import { releaseBodyFile } from '../sender/spill';
import { complete } from './file-order';
import { recordFromError, recordFromExchange, recordFromProblem, recordNotRun, withoutBodyFile } from './record';
import { settledEarlier } from './resume';
import type { Run } from './run-state';
import type { RunnerSendInput } from './types';
import { notRunReason, stopBecause, stopOnWriteFailure } from './stop';

/** What the sender gets for one lead: the run's webhook with this lead in the context. */
function sendInput(run: Run, lead: LeadRow, sendId: string): RunnerSendInput {
  const { options } = run;
  return {
    sendId,
    webhook: options.webhook,
    webhookName: options.webhookName,
    contextName: options.context.name,
    context: leadContext(options.context, lead),
    fields: options.fields,
    ...(options.profile ? { profile: options.profile } : {}),
    target: options.target ?? 'url',
    ...(options.resolveSecret ? { resolveSecret: options.resolveSecret } : {}),
  };
}

/**
 * Sends one lead, again after a timeout or network error while retries are left, and records it.
 * The attempts stay in this one async function: no extra promise per lead. Speed: docs/performance.md#runner
 */
async function sendLead(run: Run, lead: LeadRow, seq: number): Promise<void> {
  let attempts = 0;
  let record: RunRecord;
  for (;;) {
    attempts++;
    const sendId = `${run.id}:${lead.line}${attempts > 1 ? `:${attempts}` : ''}`;
    run.inFlightIds.add(sendId);
    try {
      const exchange = await run.sender.send(sendInput(run, lead, sendId));
      const { exchange: kept, file } = withoutBodyFile(exchange);
      record = recordFromExchange(lead, kept, attempts);
      // The record holds what is kept of the body; nothing reads the whole again. (Most answers have no
      // body file: no await for them.)
      if (file !== undefined) await releaseBodyFile(file);
    } catch (e) {
      record = recordFromError(lead, e, attempts);
    } finally {
      run.inFlightIds.delete(sendId);
    }
    const transient = record.outcome === 'timeout' || record.outcome === 'network-error';
    if (!transient || attempts > run.retries || run.cancelled) break;
  }
  run.scheduler.inFlight--;
  complete(run, seq, record);
}

type Item = { lead: LeadRow } | { problem: LeadProblem };

/**
 * Takes the leads and bad rows the reader finds, in file order, and starts each lead when the
 * scheduler allows. After a stop the rest of the file is still read, without sending: each lead left
 * is recorded as not run and each bad row as a bad row, so the counts add up to the file's lines.
 */
export interface Dispatcher {
  add(item: Item): void;
  /** Handles everything added so far (waiting for slots as needed). */
  drain(): Promise<void>;
}

export function createDispatcher(run: Run): Dispatcher {
  const queue: Item[] = [];
  // Leads about to start are noted as dispatched in one journal line, then sent.
  const starting: Array<{ lead: LeadRow; seq: number }> = [];
  const { scheduler } = run;

  const launch = (): void => {
    if (starting.length === 0) return;
    if (run.stopRequested) {
      // Stopped (a bad row with --on-bad-row stop) before these left: they are not run.
      for (const { lead, seq } of starting) {
        scheduler.inFlight--;
        complete(run, seq, recordNotRun(lead, `the run stopped first (${run.message ?? 'stopped'})`));
      }
      starting.length = 0;
      return;
    }
    try {
      run.results?.writer.dispatched(starting.map((s) => s.lead.line));
    } catch (e) {
      stopOnWriteFailure(run, e);
    }
    for (const { lead, seq } of starting) void sendLead(run, lead, seq);
    starting.length = 0;
  };
  const queueStart = (lead: LeadRow): void => {
    scheduler.inFlight++;
    starting.push({ lead, seq: scheduler.nextSeq++ });
  };
  const badRow = (problem: LeadProblem): void => {
    // Leads read before this row leave first, as they would have without it.
    launch();
    run.summary.problem(problem);
    complete(run, scheduler.nextSeq++, recordFromProblem(problem));
    if (run.options.onBadRow === 'stop') stopBecause(run, `line ${problem.line}: ${problem.message}`);
  };
  const lead = async (row: LeadRow): Promise<void> => {
    if (await settledEarlier(run, row)) return;
    if (!run.stopRequested && scheduler.slotFree()) {
      queueStart(row);
      return;
    }
    launch();
    if (run.stopRequested || !(await scheduler.slot())) {
      // Leads in flight finish first, so the not-run records do not pile up behind them.
      while (scheduler.inFlight > 0) await scheduler.waitForChange();
      complete(run, scheduler.nextSeq++, recordNotRun(row, notRunReason(run)));
      return;
    }
    queueStart(row);
  };

  return {
    add: (item) => queue.push(item),
    async drain() {
      for (let item = queue.shift(); item; item = queue.shift()) {
        if ('problem' in item) badRow(item.problem);
        // The usual case mid-run starts the lead without an await. Speed: docs/performance.md#runner
        else if (!run.resumed && !run.stopRequested && scheduler.slotFree()) queueStart(item.lead);
        else await lead(item.lead);
      }
      launch();
    },
  };
}
