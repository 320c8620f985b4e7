import { useEffect, useMemo, useState } from 'react';
import type { Exchange } from '@shared/model';
import { useStudio, useStudioStore } from '../../store/context';
import { diffLines, mappingText, requestText, responseText, type DiffRow } from './compare';
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

/**
 * Two exchanges of the webhook side by side, from its history: the request bytes, the response and
 * the mapping results, each line that differs marked.
 */
export function ComparePane({ current }: { current: Exchange }) {
  const dir = useStudio((s) => s.dir);
  const store = useStudioStore();
  const history = useStudio((s) => (s.currentWebhook ? s.history[s.currentWebhook] : undefined)) ?? [];
  const [leftId, setLeftId] = useState<string | undefined>(undefined);
  const [rightId, setRightId] = useState<string>(current.id);
  const [loaded, setLoaded] = useState<Record<string, Exchange | { failed: string }>>({ [current.id]: current });
  const left = leftId ?? history.find((h) => h.id !== rightId)?.id;

  useEffect(() => {
    for (const id of [left, rightId]) {
      if (!id || loaded[id] || !dir) continue;
      store
        .getState()
        .historyExchange(id)
        .then(
          (x) => setLoaded((l) => ({ ...l, [id]: x })),
          (e: unknown) => setLoaded((l) => ({ ...l, [id]: { failed: e instanceof Error ? e.message : String(e) } })),
        );
    }
  }, [left, rightId, dir]);

  const options = [
    ...(history.some((h) => h.id === current.id)
      ? []
      : [{ id: current.id, label: `the one shown (${formatWhen(current.startedAt)})` }]),
    ...history.map((h) => ({
      id: h.id,
      label: `${formatWhen(h.startedAt)} · ${outcomeWord(h.outcome, h.status)} · ${formatDuration(h.totalMs)}`,
    })),
  ];
  if (options.length < 2)
    return <p className="help">Send this webhook twice (or open a history entry) to compare two exchanges.</p>;
  const a = left ? loaded[left] : undefined;
  const b = loaded[rightId];
  const pick = (label: string, value: string | undefined, set: (v: string) => void) => (
    <label className="field-label" style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
      {label}
      <select aria-label={`Compare ${label.toLowerCase()}`} value={value ?? ''} onChange={(e) => set(e.target.value)}>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div data-testid="compare">
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8, marginBottom: 10 }}>
        {pick('Left', left, setLeftId)}
        {pick('Right', rightId, setRightId)}
      </div>
      {!a || !b ? (
        <p role="status">Loading…</p>
      ) : 'failed' in a || 'failed' in b ? (
        <p className="banner bad">{'failed' in a ? a.failed : 'failed' in b ? b.failed : ''}</p>
      ) : (
        <>
          <Section title="Request as sent" left={requestText(a)} right={requestText(b)} />
          <Section title="Response" left={responseText(a)} right={responseText(b)} />
          <Section title="Mapping results" left={mappingText(a)} right={mappingText(b)} />
        </>
      )}
    </div>
  );
}
