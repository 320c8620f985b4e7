import { Fragment, type ReactNode } from 'react';
import { TextInput } from './Fields';
import { useStudio } from '../store/context';
import type { Studio } from '../store/types';

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

/** A column over a row table: its heading, and its width where it is not left to the table. */
export type Column = { label: string; width?: number | string };

/** A table of editable rows, the last column holding each row's remove button. */
export function RowTable({ columns, children }: { columns: Column[]; children: ReactNode }) {
  return (
    <table className="grid">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.label} style={c.width === undefined ? undefined : { width: c.width }}>
              {c.label}
            </th>
          ))}
          <RemoveColumnHead />
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** What a row of an editable list can do to itself. */
export type RowEdits<T> = { onChange: (change: Partial<T>) => void; onRemove: () => void };

/** A row table over a list: each row is keyed by its place, and changes or removes itself through `edits`. */
export function ListTable<T extends object>({
  columns,
  rows,
  onRows,
  row,
}: {
  columns: Column[];
  rows: T[];
  onRows: (rows: T[]) => void;
  row: (item: T, index: number, edits: RowEdits<T>) => ReactNode;
}) {
  const notify = useStudio((s) => s.notify);
  return (
    <RowTable columns={columns}>
      {rows.map((item, i) => (
        <Fragment key={i}>{row(item, i, rowEdits({ rows, index: i, onRows, notify }))}</Fragment>
      ))}
    </RowTable>
  );
}

/** A copy of a list with row `index` changed. */
export function withRowChanged<T extends object>(rows: T[], index: number, change: Partial<T>): T[] {
  return rows.map((row, j) => (j === index ? { ...row, ...change } : row));
}

/** A copy of a list without row `index`. */
export function withoutRow<T>(rows: T[], index: number): T[] {
  return rows.filter((_, j) => j !== index);
}

/** How a removed row is named in its Undo notice: its place, and its name when it has one. */
function removedRowText(item: object, index: number): string {
  const name = 'name' in item && typeof item.name === 'string' && item.name.trim() ? ` “${item.name.trim()}”` : '';
  return `Removed row ${String(index + 1)}${name}`;
}

/**
 * What row `index` of an editable list does: change itself, remove itself; `onRows` gets the new list.
 * A removal offers Undo, which gives `onRows` the list as it was: an unsaved edit, like the removal.
 */
function rowEdits<T extends object>(list: {
  rows: T[];
  index: number;
  onRows: (rows: T[]) => void;
  notify: Studio['notify'];
}): RowEdits<T> {
  const { rows, index, onRows, notify } = list;
  return {
    onChange: (change) => onRows(withRowChanged(rows, index, change)),
    onRemove: () => {
      onRows(withoutRow(rows, index));
      const item = rows[index];
      if (item) notify('info', removedRowText(item, index), { label: 'Undo', run: () => onRows(rows) });
    },
  };
}

/** A copy of a table of named values without one name. */
export function withoutName<T>(table: Record<string, T>, name: string): Record<string, T> {
  return Object.fromEntries(Object.entries(table).filter(([key]) => key !== name));
}

/**
 * Removing a name from a table of named values (tokens, My Tokens), offering Undo, which gives
 * `onChange` the table as it was: the name back at its place, an unsaved edit like the removal.
 */
export function useRemoveName(): <T>(
  table: Record<string, T>,
  name: string,
  onChange: (t: Record<string, T>) => void,
) => void {
  const notify = useStudio((s) => s.notify);
  return (table, name, onChange) => {
    onChange(withoutName(table, name));
    notify('info', `Removed row “${name}”`, { label: 'Undo', run: () => onChange(table) });
  };
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
