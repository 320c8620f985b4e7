import type { LeadRow } from '@shared/runner/leads';
import { complete } from './file-order';
import { recordUnanswered } from './record';
import { createJournalCursor, readJournal, type JournalState } from './results-file';
import type { Run } from './run-state';

/** Reads the earlier runs' journals, when this run continues one. */
export async function openEarlierRuns(run: Run): Promise<void> {
  const previous = run.options.previous;
  if (!previous) return;
  const state: JournalState = { answered: new Set(), dispatched: new Set() };
  for (const path of previous.journals) await readJournal(path, state);
  run.resumed = { state, cursor: createJournalCursor(previous.journals), carried: 0, unanswered: [] };
}

/**
 * A lead an earlier run took care of: answered there (carried over as it was, never sent again), or
 * sent there without a recorded answer (listed; sent again only with resendUnanswered). True when
 * the lead is settled and must not be sent.
 */
export async function settledEarlier(run: Run, lead: LeadRow): Promise<boolean> {
  const resumed = run.resumed;
  if (!resumed) return false;
  const prior = await resumed.cursor.seek(lead.line);
  if (prior) {
    resumed.carried++;
    complete(run, run.scheduler.nextSeq++, prior);
    return true;
  }
  if (!resumed.state.dispatched.has(lead.line)) return false;
  resumed.unanswered.push(lead.line);
  if (run.options.previous?.resendUnanswered) return false;
  run.results?.writer.dispatched([lead.line]);
  complete(run, run.scheduler.nextSeq++, recordUnanswered(lead));
  return true;
}

/** The summary's note on what a resumed run carried over and what it did with unanswered leads. */
export function resumeNote(run: Run): string | undefined {
  const resumed = run.resumed;
  if (!resumed) return undefined;
  const { carried, unanswered } = resumed;
  const shown = unanswered.slice(0, 20).join(', ');
  const again = run.options.previous?.resendUnanswered
    ? 'sent again'
    : 'not sent again (--resend-unanswered sends them)';
  return (
    `resumed: ${carried} lead(s) answered earlier carried over` +
    (unanswered.length > 0
      ? `; ${unanswered.length} lead(s) were sent earlier without a recorded answer (lines ${shown}${unanswered.length > 20 ? ', …' : ''}), ${again}`
      : '')
  );
}
