import { useCallback, useState } from 'react';
import { sourceText, type BodySource } from './body-client';
import { CopyButton } from '../../components/CopyButton';
import type { BodyKind } from './body-index';
import { formatBytes } from './outcome';
import { api } from '../../api';
import { detachedBodyBytes } from '../../lib/detached-body';
import { LinesView } from './LinesView';
import { TreeView } from './TreeView';
import { useBody, type BodyHandle } from './use-body';
import { fillColumn } from './pane-parts';

export { FIRST_PART_LINES } from './LinesView';
export { TreeView, type TreeMapping } from './TreeView';
export { useBody, type BodyHandle } from './use-body';

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

type Mode = 'pretty' | 'raw' | 'tree';
type Whole = { open: () => void; loading: boolean; error?: string };

/** Above the body: the view (pretty, raw, tree), wrapping, search, copy and the size. */
function BodyTools(props: {
  mode: Mode;
  setMode: (m: Mode) => void;
  canTree: boolean;
  wrap: boolean;
  setWrap: (w: boolean) => void;
  query: string;
  setQuery: (q: string) => void;
  copyLabel: string;
  copy: () => string | Promise<string>;
  size: string;
  sizeNote: string;
}) {
  const { mode, setMode, canTree, wrap, setWrap, query, setQuery } = props;
  return (
    <div className="body-tools">
      <div className="seg" role="group" aria-label="Body view">
        {(['pretty', 'raw', 'tree'] as const).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={mode === m}
            onClick={() => setMode(m)}
            disabled={m === 'tree' && !canTree}
          >
            {m === 'pretty' ? 'Pretty' : m === 'raw' ? 'Raw' : 'Tree'}
          </button>
        ))}
      </div>
      {mode === 'raw' && (
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
      <CopyButton label={props.copyLabel} text={props.copy} />
      <span className="metric" style={{ marginLeft: 'auto' }}>
        <b>{props.size}</b>
        {props.sizeNote}
      </span>
    </div>
  );
}

/** Says only the first part of the body is here, where the rest is, and offers to open all of it. */
function PartialNote(props: {
  held: string;
  bytes: number;
  bodyFile: string | undefined;
  restNotKept: boolean | undefined;
  partialTree: boolean;
  whole: Whole | undefined;
}) {
  const { held, bytes, bodyFile, restNotKept, whole } = props;
  return (
    <p className="banner neutral" style={{ margin: '8px 14px' }} role="note">
      <span className="title">
        Showing the first {held} of {formatBytes(bytes)}.
      </span>{' '}
      <span className="detail">
        {bodyFile
          ? `The whole body was saved to ${bodyFile}.`
          : restNotKept
            ? 'The runner keeps the first part of a large answer in its record; the rest was not kept.'
            : 'The rest was cut at the profile’s maxResponseBytes.'}
        {props.partialTree ? ' The tree shows every complete value of that part.' : ''}
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
  );
}

/** The body itself once parsed: lines or tree; or that it is being parsed, failed, or is empty. */
function BodyContent(props: {
  body: BodyHandle | null;
  bytes: number;
  mode: Mode;
  wrap: boolean;
  query: string;
  partOf?: string;
}) {
  const { body, bytes, mode, wrap, query, partOf } = props;
  const info = body?.info;
  if (!body || (!info && !body.error))
    return (
      <div className="empty-state" role="status">
        Parsing {formatBytes(bytes)}…
      </div>
    );
  if (body.error) return <p className="banner bad">{body.error}</p>;
  if (info?.empty) return null;
  if (mode === 'tree') return <TreeView body={body} query={query} partOf={partOf} />;
  return <LinesView body={body} mode={mode === 'raw' && wrap ? 'wrap' : mode} query={query} partOf={partOf} />;
}

function BodyPanel(props: BodyViewProps & { whole?: Whole }) {
  const { source, kind, bytes, truncated, bodyFile, restNotKept } = props;
  // The sender keeps only the first part of a large body in memory; the tree then shows its complete part.
  const partial = truncated || !!bodyFile;
  const body = useBody(source, kind, props.bodyKey, partial, props.owner);
  const heldBytes = 'text' in source ? source.text.length : source.bytes.byteLength;
  const [mode, setMode] = useState<Mode>(partial ? 'tree' : 'pretty');
  const [query, setQuery] = useState('');
  const [wrap, setWrap] = useState(false);
  const info = body?.info;
  const partOf = partial ? formatBytes(heldBytes) : undefined;
  const canTree = info ? info.kind !== 'text' : kind !== 'text';
  const effective = mode === 'tree' && !canTree ? 'pretty' : mode;
  return (
    <div style={fillColumn}>
      <BodyTools
        {...{ mode: effective, setMode, canTree, wrap, setWrap, query, setQuery }}
        copyLabel={partial ? `Copy the first ${formatBytes(heldBytes)}` : 'Copy body'}
        copy={() => (body ? body.client.text() : sourceText(source))}
        size={formatBytes(bytes)}
        sizeNote={truncated && !restNotKept ? ' (cut at the size limit)' : ''}
      />
      {partial && (
        <PartialNote
          held={formatBytes(heldBytes)}
          bytes={bytes}
          bodyFile={bodyFile}
          restNotKept={restNotKept}
          partialTree={!!info?.partialTree}
          whole={props.whole}
        />
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
      <BodyContent body={body} bytes={bytes} mode={effective} wrap={wrap} query={query} partOf={partOf} />
    </div>
  );
}
