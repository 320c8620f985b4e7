import { useMemo, useState } from 'react';
import { callAttributes, callOfExchange, describeConstraint, evaluateTriggers, lintResponse } from '@shared/engine';
import {
  attributeLabels,
  operatorLabels,
  triggerAttributes,
  triggerOperators,
  valuelessOperators,
  type Exchange,
  type MappingReport,
  type ProfileOption,
  type Trigger,
  type TriggerAttribute,
  type TriggerOperator,
  type Webhook,
} from '@shared/model';
import { useStudio } from '../../store/context';
import { explicitProfile } from '../../store/studio-store';
import { AssumedBadges } from '../preview/PreviewPane';

/**
 * "Webhook is Called" for this exchange (send, history): the Error Type and Response Marketo records,
 * which of the collection's triggers would fire and why, and the response rules (429, Bearer 401,
 * characters outside the BMP). A trigger can be added here; it is saved to triggers.yaml.
 */
export function TriggersPanel({
  exchange,
  webhook,
  report,
}: {
  exchange: Exchange;
  webhook: Webhook | undefined;
  report?: MappingReport;
}) {
  const triggers = useStudio((s) => s.triggers);
  const profile = useStudio((s) => s.profile);
  const saveTriggers = useStudio((s) => s.saveTriggers);
  const [adding, setAdding] = useState(false);
  const own = explicitProfile(profile);
  const call = useMemo(() => callOfExchange(exchange), [exchange]);
  const attrs = callAttributes(call, own);
  const results = evaluateTriggers(triggers, call, own);
  const res = exchange.response;
  const lint = res ? lintResponse({ status: res.status, headers: res.headers }, report ?? exchange.mapping) : [];
  return (
    <div className="section" data-testid="triggers-panel" style={{ padding: '8px 14px' }}>
      <h3>Webhook is Called</h3>
      <p className="help">
        Error Type:{' '}
        <b data-testid="error-type">
          {attrs.called ? (attrs.errorType === '' ? '(empty)' : attrs.errorType) : '— (not called)'}
        </b>{' '}
        <AssumedBadges options={attrs.assumed} />
        {' · '}Response: {attrs.response === '' ? '(empty)' : `${attrs.response.length} characters`}
      </p>
      {results.length === 0 && (
        <p className="help">No triggers yet. Define one to see whether a campaign listening for this call would run.</p>
      )}
      <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {results.map((r, i) => (
          <li key={i} data-testid="trigger-result" data-fires={r.fires ? 'true' : 'false'} style={{ marginBottom: 4 }}>
            {r.fires ? <span className="badge good">fires</span> : <span className="badge">does not fire</span>}{' '}
            <b>{r.name}</b> <span className="help">{r.because}</span>{' '}
            <AssumedBadges options={(r.assumed ?? []) as ProfileOption[]} />{' '}
            <button
              type="button"
              className="btn ghost small"
              aria-label={`Delete trigger ${r.name}`}
              onClick={() => void saveTriggers(triggers.filter((_, j) => j !== i))}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      {lint.map((d, i) => (
        <p key={i} className="help" data-testid="response-rule" data-code={d.code}>
          {d.severity} <code>{d.code}</code>: {d.message}
        </p>
      ))}
      {adding ? (
        <TriggerForm
          webhookName={webhook?.name ?? exchange.webhook}
          onCancel={() => setAdding(false)}
          onSave={(t) => {
            setAdding(false);
            void saveTriggers([...triggers, t]);
          }}
        />
      ) : (
        <button type="button" className="btn small" onClick={() => setAdding(true)}>
          Add trigger…
        </button>
      )}
    </div>
  );
}

interface Row {
  attribute: TriggerAttribute;
  operator: TriggerOperator;
  /** One value per line: Marketo's constraints take several, as alternatives. */
  values: string;
}

function TriggerForm({
  webhookName,
  onSave,
  onCancel,
}: {
  webhookName: string;
  onSave: (t: Trigger) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const [only, setOnly] = useState(true);
  const [rows, setRows] = useState<Row[]>([{ attribute: 'errorType', operator: 'is', values: '' }]);
  const constraints = rows.map((r) => ({
    attribute: r.attribute,
    operator: r.operator,
    values: valuelessOperators.has(r.operator) ? [] : r.values.split('\n').filter((v) => v !== ''),
  }));
  const missing = constraints.findIndex((c) => !valuelessOperators.has(c.operator) && c.values.length === 0);
  const problem =
    name.trim() === ''
      ? 'Give the trigger a name.'
      : missing >= 0
        ? `Constraint ${missing + 1} needs a value.`
        : undefined;
  const set = (i: number, change: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <form
      aria-label="New trigger"
      onSubmit={(e) => {
        e.preventDefault();
        if (problem) return;
        onSave({ name: name.trim(), webhooks: only ? [webhookName] : [], constraints });
      }}
    >
      <label className="field-label" htmlFor="trigger-name">
        Trigger name
      </label>
      <input id="trigger-name" value={name} onChange={(e) => setName(e.target.value)} />
      <label style={{ display: 'block' }}>
        <input type="checkbox" checked={only} onChange={(e) => setOnly(e.target.checked)} /> Webhook is {webhookName}{' '}
        (unticked: any webhook)
      </label>
      {rows.map((r, i) => (
        <ConstraintRow
          key={i}
          index={i}
          row={r}
          onChange={(change) => set(i, change)}
          onRemove={rows.length > 1 ? () => setRows(rows.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      <p className="help">
        {constraints.every((c) => valuelessOperators.has(c.operator) || c.values.length > 0)
          ? constraints.map(describeConstraint).join('; ')
          : ''}
      </p>
      {problem && <p className="help">{problem}</p>}
      <div style={{ display: 'flex', gap: 6 }}>
        <button
          type="button"
          className="btn ghost small"
          onClick={() => setRows([...rows, { attribute: 'response', operator: 'contains', values: '' }])}
        >
          Add constraint
        </button>
        <button type="submit" className="btn small primary" disabled={problem !== undefined}>
          Save trigger
        </button>
        <button type="button" className="btn ghost small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A select of one of a fixed list of values, each shown by its label. */
function OneOf<T extends string>(props: {
  label: string;
  value: T;
  values: readonly T[];
  labels: Record<T, string>;
  onChange: (value: T) => void;
}) {
  const { label, value, values, labels, onChange } = props;
  return (
    <select
      aria-label={label}
      value={value}
      onChange={(e) => onChange(values.find((v) => v === e.target.value) ?? value)}
    >
      {values.map((v) => (
        <option key={v} value={v}>
          {labels[v]}
        </option>
      ))}
    </select>
  );
}

/** One constraint of a new trigger: attribute, operator and (unless the operator takes none) its values. */
function ConstraintRow({
  index: i,
  row: r,
  onChange,
  onRemove,
}: {
  index: number;
  row: Row;
  onChange: (change: Partial<Row>) => void;
  onRemove: (() => void) | undefined;
}) {
  return (
    <div style={{ display: 'flex', gap: 6, alignItems: 'flex-start', marginTop: 4 }}>
      <OneOf
        label={`Constraint ${i + 1} attribute`}
        value={r.attribute}
        values={triggerAttributes}
        labels={attributeLabels}
        onChange={(attribute) => onChange({ attribute })}
      />
      <OneOf
        label={`Constraint ${i + 1} operator`}
        value={r.operator}
        values={triggerOperators}
        labels={operatorLabels}
        onChange={(operator) => onChange({ operator })}
      />
      {!valuelessOperators.has(r.operator) && (
        <textarea
          aria-label={`Constraint ${i + 1} values`}
          rows={1}
          placeholder="one value per line"
          value={r.values}
          onChange={(e) => onChange({ values: e.target.value })}
        />
      )}
      {onRemove && (
        <button type="button" className="btn ghost small" onClick={onRemove}>
          Remove
        </button>
      )}
    </div>
  );
}
