import { TextInput } from './Fields';

/** Controls the editors' row tables share (tokens, My Tokens, headers, mappings), so each looks and reads alike. */

/** The header cell over a table's column of remove buttons (named for screen readers only). */
export function RemoveColumnHead() {
  return (
    <th style={{ width: 36 }}>
      <span className="sr-only">Remove</span>
    </th>
  );
}

/** The × at the end of a row; `label` names what it removes ("Remove header Accept"). */
export function RemoveButton({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <button type="button" className="btn ghost icon" aria-label={label} onClick={onRemove}>
      ×
    </button>
  );
}

/** A copy of a table of named values without one name. */
export function withoutName<T>(table: Record<string, T>, name: string): Record<string, T> {
  return Object.fromEntries(Object.entries(table).filter(([key]) => key !== name));
}

/** The "name + Add" line under a table of named values; Enter adds too. */
export function AddNameForm({
  label,
  placeholder,
  value,
  onValue,
  canAdd,
  onAdd,
  list,
}: {
  label: string;
  placeholder: string;
  value: string;
  onValue: (value: string) => void;
  canAdd: boolean;
  onAdd: () => void;
  list?: string;
}) {
  return (
    <form
      style={{ display: 'flex', gap: 6, marginTop: 6 }}
      onSubmit={(e) => {
        e.preventDefault();
        if (canAdd) onAdd();
      }}
    >
      <TextInput
        aria-label={label}
        placeholder={placeholder}
        list={list}
        value={value}
        onValue={onValue}
        style={{ flex: 1, maxWidth: 320 }}
      />
      <button type="submit" className="btn small" disabled={!canAdd}>
        + Add
      </button>
    </form>
  );
}
