import { useState } from 'react';
import type { FieldCatalog, LeadField, Scalar } from '@shared/model';
import { FieldCombobox } from '../../components/FieldCombobox';
import { byLabel, focusSoon } from '../../components/focus-request';

/**
 * The lead and company tables' catalog help: a name the catalog does not know is offered the nearest
 * field, a value that does not fit its field's type is warned about, and new names are picked from
 * the catalog (or typed, for a custom field).
 */

type Table = Record<string, Scalar>;

/** A copy of the table with one name changed, in the same place. */
export function renamed(table: Table, from: string, to: string): Table {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k === from ? to : k, v]));
}

/**
 * Under a name the catalog does not know: the field it most likely meant (nearestField), one click to
 * use it. A name close to no field (a custom field the catalog was not given) only shows "unknown".
 */
export function NearestFieldFix({
  name,
  near,
  table,
  onTable,
  valueLabel,
}: {
  name: string;
  near: LeadField;
  table: Table;
  onTable: (t: Table) => void;
  /** The aria-label of a row's value field, by the row's name (focus goes there after the fix). */
  valueLabel: (name: string) => string;
}) {
  const taken = Object.keys(table).some((k) => k !== name && k.trim().toLowerCase() === near.displayName.toLowerCase());
  return (
    <div className="field-name-fix" role="note">
      Unknown lead field “{name}” — did you mean {near.displayName}?
      {taken ? (
        <span> ({near.displayName} already has a row.)</span>
      ) : (
        <button
          type="button"
          className="btn small"
          onClick={() => {
            onTable(renamed(table, name, near.displayName));
            focusSoon(byLabel(valueLabel(near.displayName)));
          }}
        >
          Use {near.displayName}
        </button>
      )}
    </div>
  );
}

/** The "new name + Add" line under a lead or company table: a lead field picked from the catalog, or typed. */
export function AddFieldForm({
  title,
  placeholder,
  catalog,
  table,
  onAdd,
}: {
  title: string;
  placeholder: string;
  catalog: FieldCatalog;
  table: Table;
  onAdd: (name: string) => void;
}) {
  const [draft, setDraft] = useState('');
  // A new picker after + Add: the one that was typed in starts empty again.
  const [round, setRound] = useState(0);
  const canAdd = (name: string) => name.trim() !== '' && !(name.trim() in table);
  const add = (name: string) => {
    if (!canAdd(name)) return;
    onAdd(name.trim());
    setDraft('');
  };
  return (
    <div className="add-field-form" style={{ display: 'flex', gap: 6, marginTop: 6, maxWidth: 420 }}>
      <div style={{ flex: 1, minWidth: 0 }}>
        <FieldCombobox
          key={round}
          fields={catalog}
          value=""
          names="display"
          commitOnBlur={false}
          onChange={add}
          onDraft={setDraft}
          label={`New ${title} token name`}
          placeholder={placeholder}
        />
      </div>
      <button
        type="button"
        className="btn small"
        disabled={!canAdd(draft)}
        onClick={() => {
          add(draft);
          setRound((r) => r + 1);
        }}
      >
        + Add
      </button>
    </div>
  );
}
