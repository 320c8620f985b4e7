import type { ReactNode } from 'react';

/** How a run goes: the leads file and the options the setup form sets. */
export type RunOptions = {
  file?: File;
  concurrency: number;
  rate: string;
  target: 'url' | 'catcher';
  onBadRow: 'skip' | 'stop';
  record: 'all' | 'failures' | 'none';
};

export const defaultRunOptions: RunOptions = {
  concurrency: 1,
  rate: '',
  target: 'url',
  onBadRow: 'skip',
  record: 'failures',
};

function Choice<T extends string>(props: {
  label: string;
  value: T;
  options: ReadonlyArray<readonly [T, string]>;
  onChange: (value: T) => void;
}) {
  const { label, value, options, onChange } = props;
  return (
    <label>
      {label}
      <select
        value={value}
        onChange={(e) => onChange(options.find(([v]) => v === e.currentTarget.value)?.[0] ?? options[0]?.[0] ?? value)}
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label>
      {label}
      {children}
    </label>
  );
}

/** The setup form: which leads file, how fast, where to, and what to keep; Run starts it. */
export function RunSetup(props: {
  options: RunOptions;
  onChange: (change: Partial<RunOptions>) => void;
  canRun: boolean;
  onRun: () => void;
}) {
  const { options, onChange, canRun, onRun } = props;
  return (
    <form
      className="runner-setup"
      onSubmit={(e) => {
        e.preventDefault();
        onRun();
      }}
    >
      <Field label="Leads file">
        <input
          type="file"
          accept=".csv,.json,.jsonl,.ndjson"
          onChange={(e) => onChange({ file: e.currentTarget.files?.[0] })}
        />
      </Field>
      <Field label="Concurrency">
        <input
          type="number"
          min={1}
          max={64}
          value={options.concurrency}
          onChange={(e) => onChange({ concurrency: Math.min(64, Math.max(1, Number(e.currentTarget.value) || 1)) })}
        />
      </Field>
      <Field label="Rate (requests/s)">
        <input
          type="text"
          inputMode="decimal"
          placeholder="no limit"
          value={options.rate}
          onChange={(e) => onChange({ rate: e.currentTarget.value })}
        />
      </Field>
      <Choice
        label="Send each lead to"
        value={options.target}
        options={[
          ['url', 'the webhook URL'],
          ['catcher', 'the built-in catcher'],
        ]}
        onChange={(target) => onChange({ target })}
      />
      <Choice
        label="On a bad row"
        value={options.onBadRow}
        options={[
          ['skip', 'report it and skip it'],
          ['stop', 'stop the run'],
        ]}
        onChange={(onBadRow) => onChange({ onBadRow })}
      />
      <Choice
        label="Keep exchanges"
        value={options.record}
        options={[
          ['failures', 'of leads that did not succeed'],
          ['all', 'of every lead'],
          ['none', 'of no lead (a line per lead)'],
        ]}
        onChange={(record) => onChange({ record })}
      />
      <button type="submit" className="btn primary" disabled={!canRun}>
        Run
      </button>
    </form>
  );
}
