import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { RunnerRow } from '@shared/contract';

export const ROW_HEIGHT = 28;
const PAGE = 100;
const OVERSCAN = 10;
const MAX_PAGES = 40;
/** Used when layout gives no height (tests, a hidden panel). */
const FALLBACK_HEIGHT = 360;

export interface LeadTableProps {
  runId: string;
  /** Rows written so far; grows while the run goes on. */
  total: number;
  loadRows(offset: number, limit: number): Promise<{ rows: RunnerRow[]; total: number }>;
  selectedLine?: number;
  onSelect(line: number): void;
}

/**
 * The leads of a run, virtualised: only the rows in view (plus a margin) are in the DOM, and they are
 * fetched page by page from the results file, so a run of 100,000 leads scrolls like one of 100.
 */
export function LeadTable({ runId, total, loadRows, selectedLine, onSelect }: LeadTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [pages, setPages] = useState<Map<number, RunnerRow[]>>(() => new Map());
  const loading = useRef(new Set<number>());

  useEffect(() => {
    setPages(new Map());
    loading.current.clear();
  }, [runId]);

  const height = scroller.current?.clientHeight || FALLBACK_HEIGHT;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  useEffect(() => {
    if (last <= first) return;
    let alive = true;
    for (let page = Math.floor(first / PAGE); page * PAGE < last; page++) {
      const have = pages.get(page);
      // A full page never changes; a partial one (the run's tail) is fetched again as rows arrive.
      const complete = have !== undefined && (have.length === PAGE || page * PAGE + have.length >= total);
      if (complete || loading.current.has(page)) continue;
      loading.current.add(page);
      loadRows(page * PAGE, PAGE)
        .then((result) => {
          if (!alive) return;
          setPages((prev) => {
            const next = new Map(prev);
            next.delete(page);
            next.set(page, result.rows);
            while (next.size > MAX_PAGES) {
              const oldest = next.keys().next().value;
              if (oldest === undefined) break;
              next.delete(oldest);
            }
            return next;
          });
        })
        .catch(() => undefined)
        .finally(() => loading.current.delete(page));
    }
    return () => {
      alive = false;
    };
  }, [first, last, total, pages, loadRows]);

  const rows: Array<{ index: number; row: RunnerRow | undefined }> = [];
  for (let i = first; i < last; i++) rows.push({ index: i, row: pages.get(Math.floor(i / PAGE))?.[i % PAGE] });

  const onKey = (e: KeyboardEvent<HTMLDivElement>, line: number) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(line);
    }
  };

  return (
    <div className="runner-table" role="table" aria-label="Leads" aria-rowcount={total + 1}>
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
              <div
                key={index}
                role="row"
                aria-rowindex={index + 2}
                aria-selected={row.line === selectedLine}
                tabIndex={0}
                className={`runner-row ${isFailure(row) ? 'fail' : 'ok'}`}
                style={{ position: 'absolute', top: index * ROW_HEIGHT, height: ROW_HEIGHT, left: 0, right: 0 }}
                onClick={() => onSelect(row.line)}
                onKeyDown={(e) => onKey(e, row.line)}
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
            ) : (
              <div
                key={index}
                role="row"
                aria-rowindex={index + 2}
                className="runner-row loading"
                style={{ position: 'absolute', top: index * ROW_HEIGHT, height: ROW_HEIGHT, left: 0, right: 0 }}
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

const failedOutcomes = new Set(['timeout', 'network-error', 'not-sent', 'cancelled']);

/** The same verdict as the reports: non-2xx, timeout, network error, not sent, or a mapping not written. */
export function isFailure(row: RunnerRow): boolean {
  if (failedOutcomes.has(row.outcome)) return true;
  if (row.status === undefined || row.status < 200 || row.status > 299) return true;
  return row.notWritten.length > 0;
}
