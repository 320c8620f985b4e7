import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { ResponseMapping } from '@shared/model';
import { openBody, openSharedBody, sourceText, type BodyClient, type BodyInfo, type BodySource } from './body-client';
import { CopyButton } from '../../components/CopyButton';
import type { BodyKind, LineMode, TreeRow } from './body-index';
import { VirtualList } from './VirtualList';
import { formatBytes } from './outcome';
import { api } from '../../api';
import { detachedBodyBytes } from '../../lib/detached-body';

/** Lines shown before "Load all": enough to read a normal answer, little enough to open instantly. */
export const FIRST_PART_LINES = 2000;

export type BodyHandle = { client: BodyClient; info: BodyInfo | null; error?: string };

/** Opens a body for the lifetime of the component that shows it (the worker is ended on change). */
/** `owner` (the exchange's response) lets views of one large detached body share its worker. */
export function useBody(
  source: BodySource | undefined,
  kind: BodyKind,
  key: string,
  partial = false,
  owner?: object,
): BodyHandle | null {
  const [handle, setHandle] = useState<BodyHandle | null>(null);
  useEffect(() => {
    if (source === undefined) {
      setHandle(null);
      return;
    }
    const client =
      owner && 'bytes' in source ? openSharedBody(owner, source.bytes, kind, partial) : openBody(source, kind, partial);
    let live = true;
    setHandle({ client, info: null });
    client.ready.then(
      (info) => live && setHandle({ client, info }),
      (e: unknown) => live && setHandle({ client, info: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
      client.dispose();
    };
  }, [key, kind]);
  return handle;
}

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

/** What a search covered when only the first part of the body is loaded. */
function partNote(partOf: string | undefined): string {
  return partOf ? ` in the first ${partOf} (only that part is loaded; open the whole body to search all of it)` : '';
}

function LinesView({
  body,
  mode,
  query,
  partOf,
}: {
  body: BodyHandle;
  mode: LineMode;
  query: string;
  partOf?: string;
}) {
  const [count, setCount] = useState(0);
  const [all, setAll] = useState(false);
  const [hits, setHits] = useState<{ lines: number[]; total: number }>({ lines: [], total: 0 });
  const [cursor, setCursor] = useState(0);
  const [jump, setJump] = useState<{ index: number; nonce: number } | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void body.client.lineCount(mode).then((n) => live && setCount(n));
    return () => {
      live = false;
    };
  }, [body.client, mode]);
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      void body.client.search(mode, query).then((h) => {
        if (!live) return;
        setHits(h);
        setCursor(0);
        const first = h.lines[0];
        if (first !== undefined) {
          if (first >= FIRST_PART_LINES) setAll(true);
          setJump({ index: first, nonce: Date.now() });
        }
      });
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [body.client, mode, query]);
  const shown = all ? count : Math.min(count, FIRST_PART_LINES);
  const hitSet = useMemo(() => new Set(hits.lines), [hits]);
  const current = hits.lines[cursor];
  const load = useCallback(
    (offset: number, limit: number) => body.client.lines(mode, offset, limit),
    [body.client, mode],
  );
  const step = (d: number) => {
    if (hits.lines.length === 0) return;
    const next = (cursor + d + hits.lines.length) % hits.lines.length;
    setCursor(next);
    const line = hits.lines[next] as number;
    if (line >= FIRST_PART_LINES) setAll(true);
    setJump({ index: line, nonce: Date.now() });
  };
  return (
    <>
      {query && (
        <div className="load-all" role="status">
          {hits.total === 0
            ? `No match${partNote(partOf)}`
            : `${hits.total.toLocaleString()} matching line${hits.total > 1 ? 's' : ''}${partNote(partOf)}`}
          <button
            type="button"
            className="btn small"
            onClick={() => step(-1)}
            disabled={hits.lines.length === 0}
            aria-label="Previous match"
          >
            ↑
          </button>
          <button
            type="button"
            className="btn small"
            onClick={() => step(1)}
            disabled={hits.lines.length === 0}
            aria-label="Next match"
          >
            ↓
          </button>
        </div>
      )}
      <VirtualList
        label={`${mode === 'pretty' ? 'Pretty' : 'Raw'} response body`}
        count={shown}
        version={`${mode}`}
        load={load}
        scrollToIndex={jump}
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
          <button type="button" className="btn small" onClick={() => setAll(true)}>
            Load all
          </button>
        </div>
      )}
    </>
  );
}

export type TreeMapping = { mapping: ResponseMapping; index: number };

export function TreeView({
  body,
  query,
  mapped,
  onMap,
  onOpenMapping,
  partOf,
}: {
  body: BodyHandle;
  query: string;
  mapped?: Map<string, TreeMapping[]>;
  onMap?: (row: TreeRow) => void;
  onOpenMapping?: (index: number) => void;
  partOf?: string;
}) {
  const [count, setCount] = useState(body.info?.treeRows ?? 0);
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState(0);
  const [selectedRow, setSelectedRow] = useState<TreeRow | null>(null);
  const [jump, setJump] = useState<{ index: number; nonce: number } | undefined>(undefined);
  const [hits, setHits] = useState<{ rows: number[]; total: number } | null>(null);
  const mappedKey = mapped ? [...mapped.keys()].join('|') : '';

  useEffect(() => {
    if (!mapped || mapped.size === 0) return;
    let live = true;
    void body.client.reveal([...mapped.keys()]).then((n) => {
      if (!live) return;
      setCount(n);
      setVersion((v) => v + 1);
    });
    return () => {
      live = false;
    };
  }, [body.client, mappedKey]);

  useEffect(() => {
    if (!query) {
      setHits(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      void body.client.searchTree(query).then((h) => {
        if (!live) return;
        setHits(h);
        setCount(h.count);
        setVersion((v) => v + 1);
        const first = h.rows[0];
        if (first !== undefined) {
          setSelected(first);
          setJump({ index: first, nonce: Date.now() });
        }
      });
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [body.client, query]);

  const load = useCallback(
    (offset: number, limit: number) => body.client.treeRows(offset, limit),
    [body.client, version],
  );

  useEffect(() => {
    let live = true;
    void body.client.treeRows(selected, 1).then((r) => live && setSelectedRow(r[0] ?? null));
    return () => {
      live = false;
    };
  }, [body.client, selected, version]);

  const toggle = async (row: TreeRow, open?: boolean) => {
    if (row.kind === 'value') return;
    const n = await body.client.toggle(row.id, open);
    setCount(n);
    setVersion((v) => v + 1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    let next: number | undefined;
    if (e.key === 'ArrowDown') next = Math.min(count - 1, selected + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, selected - 1);
    else if (e.key === 'PageDown') next = Math.min(count - 1, selected + 20);
    else if (e.key === 'PageUp') next = Math.max(0, selected - 20);
    else if (e.key === 'ArrowRight' && selectedRow) {
      e.preventDefault();
      void toggle(selectedRow, true);
      return;
    } else if (e.key === 'ArrowLeft' && selectedRow) {
      e.preventDefault();
      void toggle(selectedRow, false);
      return;
    } else if (e.key === 'Enter' && selectedRow && onMap && selectedRow.path) {
      e.preventDefault();
      onMap(selectedRow);
      return;
    }
    if (next === undefined) return;
    e.preventDefault();
    setSelected(next);
    setJump({ index: next, nonce: Date.now() });
  };

  const hitSet = new Set(hits?.rows ?? []);
  return (
    <>
      {hits && (
        <div className="load-all" role="status">
          {hits.total === 0
            ? `No match${partNote(partOf)}`
            : `${hits.total.toLocaleString()} matching node${hits.total > 1 ? 's' : ''}${partNote(partOf)}`}
        </div>
      )}
      <VirtualList
        label={onMap ? 'Response tree: arrow keys move, Enter maps the selected node to a lead field' : 'Response tree'}
        count={count}
        version={version}
        load={load}
        scrollToIndex={jump}
        onKeyDown={onKeyDown}
        renderRow={(row: TreeRow, i) => {
          const maps = row.path ? mapped?.get(row.path) : undefined;
          return (
            <div
              className={`vrow tree-row${i === selected ? ' selected' : ''}${maps ? ' mapped' : ''}${hitSet.has(i) ? ' hit' : ''}`}
              style={{ paddingLeft: 8 + row.depth * 14 }}
              onClick={() => setSelected(i)}
              data-path={row.path}
            >
              {row.kind !== 'value' ? (
                <button
                  type="button"
                  tabIndex={-1}
                  className="twisty"
                  aria-label={`${row.expanded ? 'Collapse' : 'Expand'} ${row.key ?? 'document'}`}
                  onClick={() => void toggle(row)}
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
              {onMap && i === selected && row.path && (
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
        }}
      />
    </>
  );
}

/** `restNotKept`: the rest was saved once and let go (a runner lead's record keeps its first part only), not cut at the size limit. */
type BodyViewProps = {
  source: BodySource;
  kind: BodyKind;
  bodyKey: string;
  bytes: number;
  truncated: boolean;
  bodyFile?: string;
  restNotKept?: boolean;
  owner?: object;
};
type WholeBody =
  | { key: string; state: 'loading' }
  | { key: string; state: 'error'; message: string }
  | { key: string; state: 'loaded'; source: BodySource; owner: object };

/**
 * A response body. A body over 1 MiB arrives as its first part, the rest saved by the sender to a temp
 * file; "Open the whole body" reads that file through the studio and shows all of it.
 */
export function BodyView(props: BodyViewProps) {
  const [whole, setWhole] = useState<WholeBody | undefined>();
  const current = whole?.key === props.bodyKey ? whole : undefined;
  const file = props.bodyFile;
  const key = props.bodyKey;
  const openWhole = useCallback(() => {
    if (file === undefined) return;
    setWhole({ key, state: 'loading' });
    api.response.body({ file }).then(
      ({ response }) => {
        const bytes = detachedBodyBytes(response);
        setWhole({ key, state: 'loaded', source: bytes ? { bytes } : { text: response.body }, owner: response });
      },
      (e: unknown) => setWhole({ key, state: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
  }, [file, key]);
  if (current?.state === 'loaded') {
    return (
      <BodyPanel
        {...props}
        source={current.source}
        bodyKey={`${props.bodyKey}:whole`}
        bodyFile={undefined}
        owner={current.owner}
      />
    );
  }
  return (
    <BodyPanel
      {...props}
      whole={
        file === undefined
          ? undefined
          : {
              open: openWhole,
              loading: current?.state === 'loading',
              ...(current?.state === 'error' ? { error: current.message } : {}),
            }
      }
    />
  );
}

function BodyPanel({
  source,
  kind,
  bodyKey,
  bytes,
  truncated,
  bodyFile,
  restNotKept,
  owner,
  whole,
}: BodyViewProps & { whole?: { open: () => void; loading: boolean; error?: string } }) {
  // The sender keeps only the first part of a large body in memory; the tree then shows its complete part.
  const partial = truncated || !!bodyFile;
  const body = useBody(source, kind, bodyKey, partial, owner);
  const heldBytes = 'text' in source ? source.text.length : source.bytes.byteLength;
  const [mode, setMode] = useState<'pretty' | 'raw' | 'tree'>(partial ? 'tree' : 'pretty');
  const [query, setQuery] = useState('');
  const [wrap, setWrap] = useState(false);
  const info = body?.info;
  const partOf = partial ? formatBytes(heldBytes) : undefined;
  const canTree = info ? info.kind !== 'text' : kind !== 'text';
  const effective = mode === 'tree' && !canTree ? 'pretty' : mode;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <div className="body-tools">
        <div className="seg" role="group" aria-label="Body view">
          {(['pretty', 'raw', 'tree'] as const).map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={effective === m}
              onClick={() => setMode(m)}
              disabled={m === 'tree' && !canTree}
            >
              {m === 'pretty' ? 'Pretty' : m === 'raw' ? 'Raw' : 'Tree'}
            </button>
          ))}
        </div>
        {effective === 'raw' && (
          <label className="help" style={{ display: 'inline-flex', gap: 4, alignItems: 'center' }}>
            <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> Wrap lines
          </label>
        )}
        <input
          type="search"
          aria-label="Search the response body"
          placeholder="Search body"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <CopyButton
          label={partial ? `Copy the first ${formatBytes(heldBytes)}` : 'Copy body'}
          text={() => (body ? body.client.text() : sourceText(source))}
        />
        <span className="metric" style={{ marginLeft: 'auto' }}>
          <b>{formatBytes(bytes)}</b>
          {truncated && !restNotKept ? ' (cut at the size limit)' : ''}
        </span>
      </div>
      {partial && (
        <p className="banner neutral" style={{ margin: '8px 14px' }} role="note">
          <span className="title">
            Showing the first {formatBytes(heldBytes)} of {formatBytes(bytes)}.
          </span>{' '}
          <span className="detail">
            {bodyFile
              ? `The whole body was saved to ${bodyFile}.`
              : restNotKept
                ? 'The runner keeps the first part of a large answer in its record; the rest was not kept.'
                : 'The rest was cut at the profile’s maxResponseBytes.'}
            {info?.partialTree ? ' The tree shows every complete value of that part.' : ''}
          </span>
          {whole && (
            <button
              type="button"
              className="btn small"
              onClick={whole.open}
              disabled={whole.loading}
              style={{ marginLeft: 8 }}
            >
              {whole.loading ? 'Opening the whole body…' : `Open the whole ${formatBytes(bytes)}`}
            </button>
          )}
          {whole?.error && (
            <span className="detail" role="alert">
              {' '}
              {whole.error}
            </span>
          )}
        </p>
      )}
      {info?.empty && (
        <p className="banner neutral" style={{ margin: '8px 14px' }} data-testid="body-empty">
          The body is empty ({bytes === 0 ? '0 bytes' : 'only whitespace'}): there is nothing to parse or map.
        </p>
      )}
      {info?.parseError && !partial && !info.empty && (
        <p className="banner warn" style={{ margin: '8px 14px' }}>
          Not parsed as {kind.toUpperCase()}: {info.parseError}
        </p>
      )}
      {!body || (!info && !body.error) ? (
        <div className="empty-state" role="status">
          Parsing {formatBytes(bytes)}…
        </div>
      ) : body.error ? (
        <p className="banner bad">{body.error}</p>
      ) : info?.empty ? null : effective === 'tree' ? (
        <TreeView body={body} query={query} partOf={partOf} />
      ) : (
        <LinesView body={body} mode={effective === 'raw' && wrap ? 'wrap' : effective} query={query} partOf={partOf} />
      )}
    </div>
  );
}
