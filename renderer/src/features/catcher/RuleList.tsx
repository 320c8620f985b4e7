import type { RuleForm } from './rule-form';
import { ruleSummary } from './rule-form';

/** A delay as people say it: 31 s, 250 ms. */
function delayText(form: RuleForm): string {
  const ms = Number(form.delayMs);
  if (form.delayMs.trim() === '' || !Number.isFinite(ms) || ms === 0) return '—';
  return ms >= 1000 && ms % 100 === 0 ? `${String(ms / 1000)} s` : `${String(ms)} ms`;
}

type RowActions = {
  onSelect: (id: number) => void;
  onMove: (id: number, by: -1 | 1) => void;
  onRemove: (id: number) => void;
};

/** One rule's row: where it matches, what it answers, and its order and remove buttons. */
function RuleRow({
  form,
  index,
  last,
  selected,
  invalid,
  onSelect,
  onMove,
  onRemove,
}: RowActions & { form: RuleForm; index: number; last: boolean; selected: boolean; invalid: boolean }) {
  return (
    <tr aria-selected={selected} data-invalid={invalid || undefined} data-testid="catcher-rule-row">
      <td>{index + 1}</td>
      <td className="mono">{form.method.trim().toUpperCase() || 'any'}</td>
      <td className="mono catcher-path">{form.path.trim() || 'any path'}</td>
      <td className="mono">{form.status.trim() || '200'}</td>
      <td>{delayText(form)}</td>
      <td className="catcher-summary">
        <button type="button" className="btn ghost small" onClick={() => onSelect(form.id)}>
          <span className="sr-only">Edit rule {index + 1}: </span>
          {invalid ? '⚠ ' : ''}
          {ruleSummary(form)}
        </button>
      </td>
      <td className="catcher-row-actions">
        <button
          type="button"
          className="btn small icon"
          aria-label={`Move rule ${String(index + 1)} up`}
          title="Move up: tried earlier"
          disabled={index === 0}
          onClick={() => onMove(form.id, -1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="btn small icon"
          aria-label={`Move rule ${String(index + 1)} down`}
          title="Move down: tried later"
          disabled={last}
          onClick={() => onMove(form.id, 1)}
        >
          ↓
        </button>
        <button
          type="button"
          className="btn small icon"
          aria-label={`Remove rule ${String(index + 1)}`}
          title="Remove"
          onClick={() => onRemove(form.id)}
        >
          ✕
        </button>
      </td>
    </tr>
  );
}

/**
 * The rules in the order the catcher tries them: each row selects its rule for editing, moves it up or
 * down, or removes it. Rows keep their identity when they move, so the button pressed keeps the focus.
 */
export function RuleList({
  forms,
  selected,
  invalid,
  onSelect,
  onMove,
  onRemove,
}: RowActions & { forms: RuleForm[]; selected: number | undefined; invalid: ReadonlySet<number> }) {
  if (forms.length === 0)
    return (
      <p className="catcher-empty" data-testid="catcher-no-rules">
        No rules: every request gets 200 {'{"ok":true}'}. Add a rule or pick a preset.
      </p>
    );
  return (
    <table className="catcher-rules" data-testid="catcher-rules">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Method</th>
          <th scope="col">Path</th>
          <th scope="col">Status</th>
          <th scope="col">Delay</th>
          <th scope="col">Answer</th>
          <th scope="col">
            <span className="sr-only">Order and remove</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {forms.map((f, i) => (
          <RuleRow
            key={f.id}
            form={f}
            index={i}
            last={i === forms.length - 1}
            selected={f.id === selected}
            invalid={invalid.has(f.id)}
            onSelect={onSelect}
            onMove={onMove}
            onRemove={onRemove}
          />
        ))}
      </tbody>
    </table>
  );
}
