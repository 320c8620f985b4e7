import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LineMode } from './body-index';
import { matchText, useDebouncedSearch, type BodyHandle } from './use-body';
import { VirtualList } from './VirtualList';

/** Lines shown before "Load all": enough to read a normal answer, little enough to open instantly. */
export const FIRST_PART_LINES = 2000;

function highlight(line: string, query: string) {
  if (!query) return line;
  const i = line.toLowerCase().indexOf(query.toLowerCase());
  if (i < 0) return line;
  return (
    <>
      {line.slice(0, i)}
      <mark>{line.slice(i, i + query.length)}</mark>
      {line.slice(i + query.length)}
    </>
  );
}

type Jump = { index: number; nonce: number };

/** The search over the lines: its hits, the one the cursor is on, and stepping through them (loading all lines when a hit is past the first part). */
function useLineSearch(body: BodyHandle, mode: LineMode, query: string) {
  const [all, setAll] = useState(false);
  const [hits, setHits] = useState<{ lines: number[]; total: number }>({ lines: [], total: 0 });
  const [cursor, setCursor] = useState(0);
  const [jump, setJump] = useState<Jump | undefined>(undefined);
  const goTo = (line: number) => {
    if (line >= FIRST_PART_LINES) setAll(true);
    setJump({ index: line, nonce: Date.now() });
  };
  useDebouncedSearch(
    () => body.client.search(mode, query),
    (h) => {
      setHits(h);
      setCursor(0);
      const first = h.lines[0];
      if (first !== undefined) goTo(first);
    },
    { ms: 150, deps: [body.client, mode, query] },
  );
  const step = (d: number) => {
    const n = hits.lines.length;
    if (n === 0) return;
    const next = (cursor + d + n) % n;
    setCursor(next);
    const line = hits.lines[next];
    if (line !== undefined) goTo(line);
  };
  return { all, setAll, hits, current: hits.lines[cursor], jump, step };
}

/** The number of matches, and stepping to the previous or next one. */
function MatchNav(props: { text: string; any: boolean; step: (d: number) => void }) {
  const { text, any, step } = props;
  return (
    <div className="load-all" role="status">
      {text}
      <button type="button" className="btn small" onClick={() => step(-1)} disabled={!any} aria-label="Previous match">
        ↑
      </button>
      <button type="button" className="btn small" onClick={() => step(1)} disabled={!any} aria-label="Next match">
        ↓
      </button>
    </div>
  );
}

/** The body as lines (pretty, raw or wrapped), searched, the first part shown until "Load all". */
export function LinesView(props: { body: BodyHandle; mode: LineMode; query: string; partOf?: string }) {
  const { body, mode, query, partOf } = props;
  const [count, setCount] = useState(0);
  const search = useLineSearch(body, mode, query);
  const { all, hits, current } = search;
  useEffect(() => {
    let live = true;
    void body.client.lineCount(mode).then((n) => live && setCount(n));
    return () => {
      live = false;
    };
  }, [body.client, mode]);
  const shown = all ? count : Math.min(count, FIRST_PART_LINES);
  const hitSet = useMemo(() => new Set(hits.lines), [hits]);
  const load = useCallback(
    (offset: number, limit: number) => body.client.lines(mode, offset, limit),
    [body.client, mode],
  );
  return (
    <>
      {query && (
        <MatchNav text={matchText(hits.total, 'line', partOf)} any={hits.lines.length > 0} step={search.step} />
      )}
      <VirtualList
        label={`${mode === 'pretty' ? 'Pretty' : 'Raw'} response body`}
        count={shown}
        version={mode}
        load={load}
        scrollToIndex={search.jump}
        renderRow={(line: string, i) => (
          <div className={`vrow${i === current ? ' current' : hitSet.has(i) ? ' hit' : ''}`}>
            <span className="ln">{i + 1}</span>
            <span>{highlight(line, query)}</span>
          </div>
        )}
      />
      {!all && count > FIRST_PART_LINES && (
        <div className="load-all">
          Showing the first {FIRST_PART_LINES.toLocaleString()} of {count.toLocaleString()} lines.
          <button type="button" className="btn small" onClick={() => search.setAll(true)}>
            Load all
          </button>
        </div>
      )}
    </>
  );
}
