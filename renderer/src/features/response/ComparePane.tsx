import { useEffect, useMemo, useState } from 'react';
import type { Exchange } from '@shared/model';
import { useStudio, useStudioStore } from '../../store/context';
import { diffLines, mappingText, requestText, responseText, type DiffRow } from './compare';
import { NOW, nowLabel, useNowSide, type NowSide } from './now-side';
import { formatDuration, formatWhen, outcomeWord } from './outcome';

function Side({ rows, side }: { rows: DiffRow[]; side: 'left' | 'right' }) {
  return (
    <pre className="wire compare-side" data-testid={`compare-${side}`}>
      {rows.map((r, i) => {
        const text = side === 'left' ? r.left : r.right;
        return (
          <div
            key={i}
            className={r.same ? 'same' : text === undefined ? 'gap' : 'changed'}
            data-changed={r.same ? undefined : 'true'}
            style={r.same ? undefined : { background: text === undefined ? 'var(--bg-subtle)' : 'var(--warn-soft)' }}
          >
            {text ?? ' '}
          </div>
        );
      })}
    </pre>
  );
}

function Section({ title, left, right }: { title: string; left: string[]; right: string[] }) {
  const rows = useMemo(() => diffLines(left, right), [left, right]);
  const changed = rows.filter((r) => !r.same).length;
  return (
    <div className="section">
      <h3>
        {title}{' '}
        <span className={`badge ${changed ? 'warn' : 'good'}`}>
          {changed ? `${changed} line${changed === 1 ? '' : 's'} differ` : 'the same'}
        </span>
      </h3>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
        <Side rows={rows} side="left" />
        <Side rows={rows} side="right" />
      </div>
    </div>
  );
}

type Loaded = Record<string, Exchange | { failed: string }>;

/** The history entries (and the one shown) loaded for Compare, one request per id. */
function useLoaded(current: Exchange, ids: (string | undefined)[]): Loaded {
  const dir = useStudio((s) => s.dir);
  const store = useStudioStore();
  const [loaded, setLoaded] = useState<Loaded>({ [current.id]: current });
  useEffect(() => {
    for (const id of ids) {
      if (!id || id === NOW || loaded[id] || !dir) continue;
      store
        .getState()
        .historyExchange(id)
        .then(
          (x) => setLoaded((l) => ({ ...l, [id]: x })),
          (e: unknown) => setLoaded((l) => ({ ...l, [id]: { failed: e instanceof Error ? e.message : String(e) } })),
        );
    }
  }, [...ids, dir]);
  return loaded;
}

function Picker(props: { label: string; value: string | undefined; set: (v: string) => void; options: Option[] }) {
  return (
    <label className="field-label" style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
      {props.label}
      <select
        aria-label={`Compare ${props.label.toLowerCase()}`}
        value={props.value ?? ''}
        onChange={(e) => props.set(e.target.value)}
      >
        {props.options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

type Option = { id: string; label: string };
type SideValue = Exchange | { failed: string } | NowSide | undefined;

/** The sections of two sides: with "Now" on one side only the request can differ (nothing was sent yet). */
function Sections({ a, b }: { a: SideValue; b: SideValue }) {
  if (!a || !b) return <p role="status">Loading…</p>;
  if ('failed' in a || 'failed' in b)
    return <p className="banner bad">{'failed' in a ? a.failed : 'failed' in b ? b.failed : ''}</p>;
  if ('lines' in a || 'lines' in b) {
    const now = 'lines' in a ? a : (b as { lines: string[]; note: string });
    return (
      <>
        <p className="help" data-testid="compare-now-note">
          {now.note}. Secrets show as ••••••, as the sent request records them.
        </p>
        <Section
          title="Request as sent"
          left={'lines' in a ? a.lines : requestText(a)}
          right={'lines' in b ? b.lines : requestText(b)}
        />
      </>
    );
  }
  return (
    <>
      <Section title="Request as sent" left={requestText(a)} right={requestText(b)} />
      <Section title="Response" left={responseText(a)} right={responseText(b)} />
      <Section title="Mapping results" left={mappingText(a)} right={mappingText(b)} />
    </>
  );
}

/**
 * Two exchanges of the webhook side by side, from its history, or one of them against "Now" (what the
 * editor would send): the request bytes, the response and the mapping results, each line that differs marked.
 */
export function ComparePane({ current }: { current: Exchange }) {
  const history = useStudio((s) => (s.currentWebhook ? s.history[s.currentWebhook] : undefined)) ?? [];
  const [leftId, setLeftId] = useState<string | undefined>(undefined);
  const [rightId, setRightId] = useState<string>(current.id);
  const left = leftId ?? history.find((h) => h.id !== rightId)?.id ?? NOW;
  const loaded = useLoaded(current, [left, rightId]);
  const nowOn = left === NOW || rightId === NOW;
  // "Now" renders in the other side's context as it was sent, when that side is an entry that kept one.
  const other = left === NOW ? rightId : left;
  const now = useNowSide(history.find((h) => h.id === other && h.sentFrom)?.id, nowOn);

  const options: Option[] = [
    { id: NOW, label: nowLabel },
    ...(history.some((h) => h.id === current.id)
      ? []
      : [{ id: current.id, label: `the one shown (${formatWhen(current.startedAt)})` }]),
    ...history.map((h) => ({
      id: h.id,
      label: `${formatWhen(h.startedAt)} · ${outcomeWord(h.outcome, h.status)} · ${formatDuration(h.totalMs)}`,
    })),
  ];
  const sideOf = (id: string | undefined): SideValue => (id === NOW ? now : id ? loaded[id] : undefined);
  return (
    <div data-testid="compare">
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8, marginBottom: 10 }}>
        <Picker label="Left" value={left} set={setLeftId} options={options} />
        <Picker label="Right" value={rightId} set={setRightId} options={options} />
      </div>
      <Sections a={sideOf(left)} b={sideOf(rightId)} />
    </div>
  );
}
