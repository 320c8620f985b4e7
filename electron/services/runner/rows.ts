import type { LeadsShown, RunnerRow } from '@shared/contract';
import type { RunRecord } from '@shared/runner/summary';
import { CHECKPOINT_EVERY, scanRecordLines, scanResults, type ResultsIndex } from './results-file';

/** Why a line has no exchange to show, in the words of the row's own record. */
export function noExchangeReason(record: RunRecord | undefined): string {
  if (!record) return 'not finished yet';
  if (record.problem !== undefined) return `a bad row, not sent: ${record.problem}`;
  if (record.notRun) return record.message;
  if (record.succeeded)
    return `succeeded (HTTP ${record.status ?? '?'}, ${record.outcome}); its exchange is not kept when the run records only failures`;
  return record.message;
}

/** A record as the runs table shows it: no exchange, only its id (or why it has none). */
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
  else row.noExchange = noExchangeReason(record);
  return row;
}

/** How many of the ascending `positions` are below `bound`: a binary search. */
function countBelow(positions: readonly number[], bound: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((positions[mid] ?? bound) < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Rows of the records that did not succeed, from the `offset`-th of them, found through the index's
 * list of their record numbers. The wanted records are grouped by checkpoint: each 256-record stretch
 * holding some is scanned once from its checkpoint, and only the wanted lines are parsed.
 */
async function readNotSucceeded(
  resultsPath: string,
  index: ResultsIndex,
  offset: number,
  limit: number,
): Promise<{ rows: RunnerRow[]; total: number }> {
  const positions = index.notSucceeded();
  // The writer lists a record when it is appended; only those whose bytes reached the file are read.
  const total = countBelow(positions, index.committed());
  const end = Math.min(total, offset + limit);
  const rows: RunnerRow[] = [];
  for (let next = offset; next < end;) {
    const first = positions[next] ?? 0;
    const cp = index.checkpoint(first);
    if (!cp) break;
    const stretchStart = first - (first % CHECKPOINT_EVERY);
    const stretchEnd = stretchStart + CHECKPOINT_EVERY;
    const before = next;
    let at = stretchStart;
    await scanRecordLines(resultsPath, cp.byte, index.committedBytes(), (read) => {
      if (at === positions[next]) {
        rows.push(toRow(read()));
        next++;
      }
      at++;
      return next < end && at < stretchEnd;
    });
    // A file shorter than its index (cut outside the runner) yields what it has rather than looping.
    if (next === before || (next < end && (positions[next] ?? 0) < stretchEnd)) break;
  }
  return { rows, total };
}

/**
 * Rows of a results file from `offset`, found through its sparse index: of every record, or with
 * `show` 'not-succeeded' of those that did not succeed (`total` then counts only them).
 */
export async function readRows(
  resultsPath: string,
  index: ResultsIndex,
  offset: number,
  limit: number,
  show: LeadsShown = 'all',
): Promise<{ rows: RunnerRow[]; total: number }> {
  if (show === 'not-succeeded') return readNotSucceeded(resultsPath, index, offset, limit);
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

/** The record of one line of the leads file, found through the sparse index. */
export async function readRecord(
  resultsPath: string,
  index: ResultsIndex,
  line: number,
): Promise<RunRecord | undefined> {
  const cp = index.checkpointForLine(line);
  if (!cp) return undefined;
  let found: RunRecord | undefined;
  await scanResults(resultsPath, cp.byte, index.committedBytes(), (record) => {
    if (record.line === line) found = record;
    return record.line < line;
  });
  return found;
}
