import type { RunnerRow } from '@shared/contract';
import type { RunRecord } from '@shared/runner/summary';
import { CHECKPOINT_EVERY, scanResults, type ResultsIndex } from './results-file';

/** A record as the runs table shows it: no exchange, only its id. */
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

/** Rows of a results file from `offset`, found through its sparse index. */
export async function readRows(
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
