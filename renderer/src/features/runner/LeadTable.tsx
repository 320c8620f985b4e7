import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { RunnerRow } from '@shared/contract';
import { failedOutcomes } from '@shared/runner/summary';

export const ROW_HEIGHT = 28;
const PAGE = 100;
const OVERSCAN = 10;
const MAX_PAGES = 40;
/** Used when layout gives no height (tests, a hidden panel). */
const FALLBACK_HEIGHT = 360;

export interface LeadTableProps {
  /** What the table lists, for those who cannot see the toggle above it. */
  label: string;
  /** Rows written so far; grows while the run goes on. */
  total: number;
  loadRows: (offset: number, limit: number) => Promise<{ rows: RunnerRow[]; total: number }>;
  selectedLine?: number;
  onSelect: (row: RunnerRow) => void;
}

type LoadRows = LeadTableProps['loadRows'];

/** Keeps at most MAX_PAGES pages, dropping the ones fetched longest ago. */
function withPage(prev: Map<number, RunnerRow[]>, page: number, rows: RunnerRow[]): Map<number, RunnerRow[]> {
  const next = new Map(prev);
  next.delete(page);
  next.set(page, rows);
  while (next.size > MAX_PAGES) {
    const oldest = next.keys().next().value;
    if (oldest === undefined) break;
    next.delete(oldest);
  }
  return next;
}

/**
 * The rows from `first` to `last`, fetched page by page from the run's results file as they come into view.
 * Pages belong to the `loadRows` that fetched them: another run or another filter starts afresh, and an
 * answer for the one before is dropped. An answer is not dropped for anything else (a re-render, the range
 * or the total moving while it was on its way): its page is marked as loading, so nothing would ask again.
 */
function usePagedRows(total: number, loadRows: LoadRows, range: { first: number; last: number }) {
  const { first, last } = range;
  const [pages, setPages] = useState<Map<number, RunnerRow[]>>(() => new Map());
  const loading = useRef(new Set<number>());
  const source = useRef(loadRows);
  source.current = loadRows;

  useEffect(() => {
    setPages(new Map());
    loading.current.clear();
  }, [loadRows]);

  useEffect(() => {
    if (last <= first) return;
    for (let page = Math.floor(first / PAGE); page * PAGE < last; page++) {
      const have = pages.get(page);
      // A full page never changes; a partial one (the run's tail) is fetched again as rows arrive.
      const complete = have !== undefined && (have.length === PAGE || page * PAGE + have.length >= total);
      if (complete || loading.current.has(page)) continue;
      loading.current.add(page);
      const current = () => source.current === loadRows;
      loadRows(page * PAGE, PAGE)
        .then((result) => {
          if (current()) setPages((prev) => withPage(prev, page, result.rows));
        })
        .catch(() => undefined)
        .finally(() => {
          if (current()) loading.current.delete(page);
        });
    }
  }, [first, last, total, pages, loadRows]);

  const rows: Array<{ index: number; row: RunnerRow | undefined }> = [];
  for (let i = first; i < last; i++) rows.push({ index: i, row: pages.get(Math.floor(i / PAGE))?.[i % PAGE] });
  return rows;
}

const rowBox = (index: number) =>
  ({ position: 'absolute', top: index * ROW_HEIGHT, height: ROW_HEIGHT, left: 0, right: 0 }) as const;

/** One lead's line: what it was, how it went; Enter, Space or a click opens its exchange. */
function LeadRow({
  index,
  row,
  selected,
  onSelect,
}: {
  index: number;
  row: RunnerRow;
  selected: boolean;
  onSelect: (row: RunnerRow) => void;
}) {
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(row);
    }
  };
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={0}
      className={`runner-row ${isFailure(row) ? 'fail' : 'ok'}`}
      style={rowBox(index)}
      onClick={() => onSelect(row)}
      onKeyDown={onKey}
    >
      <span role="cell">{row.line}</span>
      <span role="cell" className="lead">
        {row.leadKey}
      </span>
      <span role="cell">{row.outcome}</span>
      <span role="cell">{row.status ?? ''}</span>
      <span role="cell">{Math.round(row.totalMs)}</span>
      <span role="cell">{row.notWritten.map((n) => `${n.field} (${n.reason})`).join(', ')}</span>
    </div>
  );
}

/**
 * The leads of a run, virtualised: only the rows in view (plus a margin) are in the DOM, and they are
 * fetched page by page from the results file, so a run of 100,000 leads scrolls like one of 100.
 */
export function LeadTable({ label, total, loadRows, selectedLine, onSelect }: LeadTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const height = scroller.current?.clientHeight || FALLBACK_HEIGHT;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows = usePagedRows(total, loadRows, { first, last });

  return (
    <div className="runner-table" role="table" aria-label={label} aria-rowcount={total + 1}>
      <div className="runner-row runner-head" role="row" aria-rowindex={1}>
        <span role="columnheader">Line</span>
        <span role="columnheader">Lead</span>
        <span role="columnheader">Outcome</span>
        <span role="columnheader">Status</span>
        <span role="columnheader">ms</span>
        <span role="columnheader">Not written</span>
      </div>
      <div ref={scroller} className="runner-scroll" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div style={{ height: total * ROW_HEIGHT, position: 'relative' }} role="rowgroup">
          {rows.map(({ index, row }) =>
            row ? (
              <LeadRow key={index} index={index} row={row} selected={row.line === selectedLine} onSelect={onSelect} />
            ) : (
              <div
                key={index}
                role="row"
                aria-rowindex={index + 2}
                className="runner-row loading"
                style={rowBox(index)}
              >
                <span role="cell">…</span>
              </div>
            ),
          )}
        </div>
      </div>
    </div>
  );
}

/** The same verdict as the reports (one list of failed outcomes): non-2xx, no answer, or a mapping not written. */
export function isFailure(row: RunnerRow): boolean {
  if (failedOutcomes.has(row.outcome)) return true;
  if (row.status === undefined || row.status < 200 || row.status > 299) return true;
  return row.notWritten.length > 0;
}
