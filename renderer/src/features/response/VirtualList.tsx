import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';

export const ROW_HEIGHT = 20;
/** Browsers cap element heights (~33 M px in Chromium); beyond this the scroll position is scaled. */
const MAX_SCROLL_PX = 8_000_000;

/** Which rows to show for a scroll position, scaling when the list is taller than a browser can draw. */
export function visibleWindow(
  scrollTop: number,
  viewport: number,
  count: number,
  rowHeight = ROW_HEIGHT,
): { first: number; last: number; offsetPx: number; totalPx: number } {
  const natural = count * rowHeight;
  const totalPx = Math.min(natural, MAX_SCROLL_PX);
  const visible = Math.ceil(viewport / rowHeight) + 1;
  let first: number;
  if (natural <= MAX_SCROLL_PX) first = Math.floor(scrollTop / rowHeight);
  else {
    const ratio = totalPx - viewport > 0 ? scrollTop / (totalPx - viewport) : 0;
    first = Math.floor(Math.min(1, Math.max(0, ratio)) * Math.max(0, count - visible + 1));
  }
  first = Math.max(0, Math.min(first, Math.max(0, count - 1)));
  const last = Math.min(count - 1, first + visible);
  const offsetPx = natural <= MAX_SCROLL_PX ? first * rowHeight : scrollTop;
  return { first, last, offsetPx, totalPx };
}

/** The height of the box, followed as it resizes. */
function useViewport(box: RefObject<HTMLDivElement | null>): number {
  const [viewport, setViewport] = useState(400);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro =
      typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => setViewport(el.clientHeight || 400)) : null;
    ro?.observe(el);
    setViewport(el.clientHeight || 400);
    return () => ro?.disconnect();
  }, [box]);
  return viewport;
}

type Loaded<T> = { first: number; items: T[]; version: unknown };

/** The rows around the window in view, loaded again when the window, the count or the version changes. */
function useWindowRows<T>(
  win: { first: number; last: number },
  list: Pick<VirtualListProps<T>, 'count' | 'version' | 'load'>,
) {
  const { count, version, load } = list;
  const [rows, setRows] = useState<Loaded<T> | null>(null);
  useEffect(() => {
    let live = true;
    if (count === 0) {
      setRows({ first: 0, items: [], version });
      return;
    }
    const first = Math.max(0, win.first - 20);
    const limit = win.last - first + 40;
    void load(first, limit).then((items) => {
      if (live) setRows({ first, items, version });
    });
    return () => {
      live = false;
    };
  }, [win.first, win.last, count, version, load]);
  return rows;
}

type VirtualListProps<T> = {
  count: number;
  load: (offset: number, limit: number) => Promise<T[]>;
  version: unknown;
  renderRow: (row: T, index: number) => ReactNode;
  label: string;
  scrollToIndex?: { index: number; nonce: number };
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
};

/**
 * A list that draws only the rows in view. Rows are loaded asynchronously (from the body worker) for
 * the window in view, so a list of millions of lines costs the page a few dozen DOM nodes.
 */
export function VirtualList<T>(props: VirtualListProps<T>) {
  const { count, renderRow, label, scrollToIndex, onKeyDown } = props;
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const viewport = useViewport(box);
  const win = visibleWindow(scrollTop, viewport, count);
  const rows = useWindowRows(win, props);

  useEffect(() => {
    const el = box.current;
    if (!el || !scrollToIndex) return;
    const natural = count * ROW_HEIGHT;
    const target =
      natural <= MAX_SCROLL_PX
        ? scrollToIndex.index * ROW_HEIGHT - viewport / 3
        : (scrollToIndex.index / Math.max(1, count)) * (MAX_SCROLL_PX - viewport);
    el.scrollTop = Math.max(0, target);
    setScrollTop(el.scrollTop);
    // Only a new request scrolls: the list's own scrolling must not be pulled back to the last one.
  }, [scrollToIndex?.nonce]);

  const items: ReactNode[] = [];
  if (rows) {
    for (let i = win.first; i <= win.last; i++) {
      const item = rows.items[i - rows.first];
      if (item === undefined) continue;
      items.push(
        <div
          key={i}
          className="vrow-wrap"
          style={{ position: 'absolute', top: win.offsetPx + (i - win.first) * ROW_HEIGHT, left: 0, right: 0 }}
        >
          {renderRow(item, i)}
        </div>,
      );
    }
  }
  return (
    <div
      ref={box}
      className="vlist"
      tabIndex={0}
      role="region"
      aria-label={label}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div style={{ height: win.totalPx, position: 'relative' }}>{items}</div>
    </div>
  );
}
