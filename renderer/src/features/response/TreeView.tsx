import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import type { ResponseMapping } from '@shared/model';
import type { TreeRow } from './body-index';
import { matchText, useDebouncedSearch, type BodyHandle } from './use-body';
import { VirtualList } from './VirtualList';

export type TreeMapping = { mapping: ResponseMapping; index: number };

type Jump = { index: number; nonce: number };

/** How far a key moves the selection, for the keys that move it. */
const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 };

/** The tree's rows as the worker has them now: expanding, revealing mapped nodes and searching change them. */
function useTreeRows(body: BodyHandle, mapped: Map<string, TreeMapping[]> | undefined) {
  const [count, setCount] = useState(body.info?.treeRows ?? 0);
  const [version, setVersion] = useState(0);
  const changed = useCallback((n: number) => {
    setCount(n);
    setVersion((v) => v + 1);
  }, []);
  const mappedKey = mapped ? [...mapped.keys()].join('|') : '';
  useEffect(() => {
    if (!mapped || mapped.size === 0) return;
    let live = true;
    void body.client.reveal([...mapped.keys()]).then((n) => {
      if (live) changed(n);
    });
    return () => {
      live = false;
    };
    // The mapped paths, not the map's identity: a new map of the same paths reveals nothing new.
  }, [body.client, mappedKey]);
  const load = useCallback(
    (offset: number, limit: number) => body.client.treeRows(offset, limit),
    // A new version is new rows at the same offsets: the list loads them again.
    [body.client, version],
  );
  const toggle = async (row: TreeRow, open?: boolean) => {
    if (row.kind === 'value') return;
    changed(await body.client.toggle(row.id, open));
  };
  return { count, version, changed, load, toggle };
}

/** The selected row, by index and as the worker has it. */
function useSelection(body: BodyHandle, version: number) {
  const [selected, setSelected] = useState(0);
  const [selectedRow, setSelectedRow] = useState<TreeRow | null>(null);
  const [jump, setJump] = useState<Jump | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void body.client.treeRows(selected, 1).then((r) => live && setSelectedRow(r[0] ?? null));
    return () => {
      live = false;
    };
  }, [body.client, selected, version]);
  const moveTo = (index: number) => {
    setSelected(index);
    setJump({ index, nonce: Date.now() });
  };
  return { selected, setSelected, selectedRow, jump, moveTo };
}

type RowProps = {
  row: TreeRow;
  selected: boolean;
  hit: boolean;
  maps: TreeMapping[] | undefined;
  onSelect: () => void;
  onToggle: () => void;
  onMap?: (row: TreeRow) => void;
  onOpenMapping?: (index: number) => void;
};

/** One node: its twisty, key and value, the mappings reading it, and "Map to lead field…" when selected. */
function TreeRowView({ row, selected, hit, maps, onSelect, onToggle, onMap, onOpenMapping }: RowProps) {
  return (
    <div
      className={`vrow tree-row${selected ? ' selected' : ''}${maps ? ' mapped' : ''}${hit ? ' hit' : ''}`}
      style={{ paddingLeft: 8 + row.depth * 14 }}
      onClick={onSelect}
      data-path={row.path}
    >
      {row.kind !== 'value' ? (
        <button
          type="button"
          tabIndex={-1}
          className="twisty"
          aria-label={`${row.expanded ? 'Collapse' : 'Expand'} ${row.key ?? 'document'}`}
          onClick={onToggle}
        >
          {row.expanded ? '▾' : '▸'}
        </button>
      ) : (
        <span className="twisty" />
      )}
      {row.key !== null && <span className="k">{typeof row.key === 'number' ? `[${row.key}]` : row.key}:</span>}
      <span className={`v-${row.valueType}`}>{row.preview}</span>
      {maps?.map((m) => (
        <button
          key={m.index}
          type="button"
          tabIndex={-1}
          className="btn ghost small map-link"
          onClick={() => onOpenMapping?.(m.index)}
          title="Open this mapping"
        >
          → {m.mapping.field}
        </button>
      ))}
      {!row.reachable && (
        <span className="unreach" title={row.unreachable}>
          unreachable
        </span>
      )}
      {onMap && selected && row.path && (
        <button
          type="button"
          className="btn small"
          onClick={() => onMap(row)}
          style={{ marginLeft: 'auto', marginRight: 8 }}
        >
          Map to lead field…
        </button>
      )}
    </div>
  );
}

export type TreeViewProps = {
  body: BodyHandle;
  query: string;
  mapped?: Map<string, TreeMapping[]>;
  onMap?: (row: TreeRow) => void;
  onOpenMapping?: (index: number) => void;
  partOf?: string;
};

/** The body as a tree: arrow keys move and open nodes, Enter maps the selected node; a search opens to its hits. */
export function TreeView({ body, query, mapped, onMap, onOpenMapping, partOf }: TreeViewProps) {
  const tree = useTreeRows(body, mapped);
  const { count, version, toggle } = tree;
  const sel = useSelection(body, version);
  const { selected, selectedRow } = sel;
  const [hits, setHits] = useState<{ rows: number[]; total: number } | null>(null);
  useEffect(() => {
    if (!query) setHits(null);
  }, [query]);
  useDebouncedSearch(
    query ? () => body.client.searchTree(query) : undefined,
    (h) => {
      setHits(h);
      tree.changed(h.count);
      const first = h.rows[0];
      if (first !== undefined) sel.moveTo(first);
    },
    { ms: 200, deps: [body.client, query] },
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const by = moves[e.key];
    if (by !== undefined) {
      e.preventDefault();
      sel.moveTo(Math.max(0, Math.min(count - 1, selected + by)));
    } else if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && selectedRow) {
      e.preventDefault();
      void toggle(selectedRow, e.key === 'ArrowRight');
    } else if (e.key === 'Enter' && selectedRow && onMap && selectedRow.path) {
      e.preventDefault();
      onMap(selectedRow);
    }
  };

  const hitSet = new Set(hits?.rows ?? []);
  return (
    <>
      {hits && (
        <div className="load-all" role="status">
          {matchText(hits.total, 'node', partOf)}
        </div>
      )}
      <VirtualList
        label={onMap ? 'Response tree: arrow keys move, Enter maps the selected node to a lead field' : 'Response tree'}
        count={count}
        version={version}
        load={tree.load}
        scrollToIndex={sel.jump}
        onKeyDown={onKeyDown}
        renderRow={(row: TreeRow, i) => (
          <TreeRowView
            row={row}
            selected={i === selected}
            hit={hitSet.has(i)}
            maps={row.path ? mapped?.get(row.path) : undefined}
            onSelect={() => sel.setSelected(i)}
            onToggle={() => void toggle(row)}
            onMap={onMap}
            onOpenMapping={onOpenMapping}
          />
        )}
      />
    </>
  );
}
