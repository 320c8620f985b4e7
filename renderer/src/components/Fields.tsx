import type { InputHTMLAttributes, ReactNode } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>;

/** A one-line text input that hands back what was typed (a filter, a name, a path). */
export function TextInput({
  value,
  onValue,
  type = 'text',
  ...rest
}: InputProps & { value: string; onValue: (value: string) => void }) {
  return <input type={type} value={value} onChange={(e) => onValue(e.target.value)} {...rest} />;
}

/** A settings or dialog row: the label on the left, its control (`children`, with id `id`) on the right. */
export function FieldRow({ id, label, children }: { id: string; label: ReactNode; children: ReactNode }) {
  return (
    <div className="field-row">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children}
    </div>
  );
}

/** A labelled one-line text field on its own row; `children` follow the input (a datalist). */
export function TextRow({
  id,
  label,
  children,
  ...input
}: InputProps & { id: string; label: string; value: string; onValue: (value: string) => void; children?: ReactNode }) {
  return (
    <FieldRow id={id} label={label}>
      <TextInput id={id} {...input} />
      {children}
    </FieldRow>
  );
}

/** A labelled choice among fixed options, on one settings row. */
export function SelectRow<T extends string>({
  id,
  label,
  value,
  options,
  optionLabel,
  onChange,
}: {
  id: string;
  label: string;
  value: T;
  options: readonly T[];
  optionLabel: Record<T, string>;
  onChange: (value: T) => void;
}) {
  return (
    <FieldRow id={id} label={label}>
      <select id={id} value={value} onChange={(e) => onChange(options.find((o) => o === e.target.value) ?? value)}>
        {options.map((t) => (
          <option key={t} value={t}>
            {optionLabel[t]}
          </option>
        ))}
      </select>
    </FieldRow>
  );
}
