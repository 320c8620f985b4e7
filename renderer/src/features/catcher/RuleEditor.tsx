import type { ReactNode } from 'react';
import type { RuleField, RuleForm } from './rule-form';

type Problems = Partial<Record<RuleField, string>>;

/** One labelled field of the rule with its problem, if any, said under it and tied to it for screen readers. */
function Field({
  id,
  label,
  problem,
  wide,
  children,
}: {
  id: string;
  label: string;
  problem: string | undefined;
  /** Takes two thirds of the row (a path, a reason) instead of one third. */
  wide?: boolean;
  children: (describedBy: string | undefined) => ReactNode;
}) {
  return (
    <div className={wide ? 'catcher-field wide' : 'catcher-field'}>
      <label htmlFor={id}>{label}</label>
      {children(problem ? `${id}-problem` : undefined)}
      {problem && (
        <span className="catcher-problem" id={`${id}-problem`} role="alert" data-testid={`problem-${id}`}>
          {problem}
        </span>
      )}
    </div>
  );
}

/** A one-line field of the rule. */
function Line({
  id,
  label,
  value,
  problem,
  placeholder,
  wide,
  onValue,
}: {
  id: string;
  label: string;
  value: string;
  problem: string | undefined;
  placeholder?: string;
  wide?: boolean;
  onValue: (v: string) => void;
}) {
  return (
    <Field id={id} label={label} problem={problem} {...(wide ? { wide } : {})}>
      {(describedBy) => (
        <input
          id={id}
          type="text"
          value={value}
          placeholder={placeholder}
          aria-invalid={problem ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onValue(e.target.value)}
        />
      )}
    </Field>
  );
}

/** The answer's header rows: name and value, added and removed one at a time. */
function HeaderRows({
  form,
  problems,
  onChange,
}: {
  form: RuleForm;
  problems: Problems;
  onChange: (headers: RuleForm['headers']) => void;
}) {
  const set = (i: number, part: 'name' | 'value', v: string) =>
    onChange(form.headers.map((h, j) => (j === i ? { ...h, [part]: v } : h)));
  return (
    <fieldset className="catcher-headers">
      <legend>Headers</legend>
      {form.headers.map((h, i) => {
        const n = String(i + 1);
        const problem = problems[`headers.${i}.name`] ?? problems[`headers.${i}.value`];
        return (
          <div className="catcher-header-row" key={i}>
            <input
              type="text"
              aria-label={`Answer header ${n} name`}
              placeholder="Name"
              value={h.name}
              aria-invalid={problems[`headers.${i}.name`] ? true : undefined}
              onChange={(e) => set(i, 'name', e.target.value)}
            />
            <input
              type="text"
              aria-label={`Answer header ${n} value`}
              placeholder="Value"
              value={h.value}
              aria-invalid={problems[`headers.${i}.value`] ? true : undefined}
              onChange={(e) => set(i, 'value', e.target.value)}
            />
            <button
              type="button"
              className="btn small icon"
              aria-label={`Remove answer header ${n}`}
              onClick={() => onChange(form.headers.filter((_, j) => j !== i))}
            >
              ✕
            </button>
            {problem && (
              <span className="catcher-problem" role="alert">
                {problem}
              </span>
            )}
          </div>
        );
      })}
      <button type="button" className="btn small" onClick={() => onChange([...form.headers, { name: '', value: '' }])}>
        Add header
      </button>
    </fieldset>
  );
}

/** The selected rule's form: which requests it matches, then what it answers, checked as typed. */
export function RuleEditor({
  form,
  number,
  problems,
  onChange,
}: {
  form: RuleForm;
  number: number;
  problems: Problems;
  onChange: (change: Partial<RuleForm>) => void;
}) {
  const line = (key: Exclude<RuleField, `headers.${string}`>, label: string, placeholder: string, wide = false) => (
    <Line
      id={`catcher-${key}`}
      label={label}
      value={form[key]}
      problem={problems[key]}
      placeholder={placeholder}
      wide={wide}
      onValue={(v) => onChange({ [key]: v })}
    />
  );
  return (
    <section className="catcher-editor" aria-label={`Rule ${String(number)}`} data-testid="catcher-editor">
      <h3>Rule {number}</h3>
      <div className="catcher-grid">
        {line('method', 'Method', 'any')}
        {line('path', 'Path', 'any path; /exact or /prefix*', true)}
        {line('status', 'Status', '200')}
        {line('reason', 'Reason', 'the usual phrase', true)}
        {line('delayMs', 'Delay (ms)', '0')}
        {line('rateRequests', 'Rate limit (requests)', 'no limit')}
        {line('rateWindowMs', 'per window (ms)', 'e.g. 60000')}
      </div>
      <HeaderRows form={form} problems={problems} onChange={(headers) => onChange({ headers })} />
      <Field id="catcher-body" label="Body" problem={problems.body}>
        {(describedBy) => (
          <textarea
            id="catcher-body"
            className="mono"
            rows={5}
            value={form.body}
            spellCheck={false}
            aria-describedby={describedBy}
            onChange={(e) => onChange({ body: e.target.value })}
          />
        )}
      </Field>
    </section>
  );
}
