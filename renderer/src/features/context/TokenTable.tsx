import { useId, useState, type ReactNode } from 'react';
import { type FieldCatalog, type FieldType, type LeadField, type Scalar } from '@shared/model';
import { checkFieldValue, findField, nearestField } from '@shared/catalog';
import { AddNameForm, RemoveButton, RowTable, useRemoveName, type Column } from '../../components/TableControls';
import { coerceForType, show } from './token-values';
import { AddFieldForm, NearestFieldFix } from './lead-field-parts';

type Table = Record<string, Scalar>;

const tokenColumns: Column[] = [{ label: 'Token name', width: '38%' }, { label: 'Value' }];
/** With a field catalog, each token's type from it. */
const typedTokenColumns: Column[] = [
  { label: 'Token name', width: '38%' },
  { label: 'Type', width: 80 },
  { label: 'Value' },
];

/** A token table (lead, company, program, …); with a catalog, names are suggested and values typed. */
export function TokenTable({
  title,
  table,
  onChange,
  catalog,
  namePlaceholder,
  hint,
}: {
  title: string;
  table: Table;
  onChange: (t: Table) => void;
  catalog?: FieldCatalog;
  namePlaceholder: string;
  hint?: string;
}) {
  const [newName, setNewName] = useState('');
  const removeName = useRemoveName();
  const valueLabel = (name: string) => `${title} ${name}: value`;
  return (
    <div className="section">
      <h3>{title}</h3>
      {hint && (
        <p className="help" style={{ marginTop: 0 }}>
          {hint}
        </p>
      )}
      <RowTable columns={catalog ? typedTokenColumns : tokenColumns}>
        {Object.entries(table).map(([name, value]) => (
          <TokenRow
            key={name}
            name={name}
            value={value}
            label={`${title} ${name}`}
            catalog={catalog}
            onValue={(v) => onChange({ ...table, [name]: v })}
            onRemove={() => removeName(table, name, onChange)}
            fix={(near) => (
              <NearestFieldFix name={name} near={near} table={table} onTable={onChange} valueLabel={valueLabel} />
            )}
          />
        ))}
      </RowTable>
      {catalog ? (
        <AddFieldForm
          title={title}
          placeholder={namePlaceholder}
          catalog={catalog}
          table={table}
          onAdd={(name) => onChange({ ...table, [name]: '' })}
        />
      ) : (
        <AddNameForm
          label={`New ${title} token name`}
          placeholder={namePlaceholder}
          value={newName}
          onValue={setNewName}
          canAdd={newName.trim() !== '' && !(newName.trim() in table)}
          onAdd={() => {
            onChange({ ...table, [newName.trim()]: '' });
            setNewName('');
          }}
        />
      )}
    </div>
  );
}

function TokenRow({
  name,
  value,
  label,
  catalog,
  onValue,
  onRemove,
  fix,
}: {
  name: string;
  value: Scalar;
  label: string;
  catalog: FieldCatalog | undefined;
  onValue: (value: Scalar) => void;
  onRemove: () => void;
  /** Under a name the catalog does not know: the nearest field, one click to use it. */
  fix: (near: LeadField) => ReactNode;
}) {
  const field = catalog && findField(catalog, name);
  const near = catalog && !field ? nearestField(catalog, name) : undefined;
  const warning = field && checkFieldValue(field, value);
  const warningId = useId();
  const noted = near !== undefined || warning !== undefined;
  return (
    <>
      <tr className={noted ? 'has-note' : undefined}>
        <td>
          <span className="token-name">{name}</span>
        </td>
        {catalog && (
          <td>
            {field ? (
              <span className="badge type">{field.type}</span>
            ) : (
              <span className="badge bad" title="Not in the field catalog: the token renders empty in Marketo">
                unknown
              </span>
            )}
          </td>
        )}
        <td>
          <TokenValue
            value={value}
            label={`${label}: value`}
            type={field?.type}
            onValue={onValue}
            describedBy={warning === undefined ? undefined : warningId}
          />
        </td>
        <td>
          <RemoveButton label={`Remove ${label}`} onRemove={onRemove} />
        </td>
      </tr>
      {noted && (
        <tr className="row-note">
          <td colSpan={catalog ? 4 : 3}>
            {near && fix(near)}
            {warning !== undefined && (
              <div className="field-value-warning" id={warningId} data-testid="field-value-warning">
                {warning}
              </div>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

/** A token's value: a choice for a Boolean field, a text area for a value with a line break, else a text field. */
function TokenValue({
  value,
  label,
  type,
  onValue,
  describedBy,
}: {
  value: Scalar;
  label: string;
  type: FieldType | undefined;
  onValue: (value: Scalar) => void;
  /** The id of the warning under the value, when it does not fit its field. */
  describedBy?: string;
}) {
  if (type === 'boolean')
    return (
      <select
        aria-label={label}
        aria-describedby={describedBy}
        value={show(value)}
        onChange={(e) => onValue(coerceForType(e.target.value, 'boolean'))}
      >
        <option value="">(empty)</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  if (typeof value === 'string' && value.includes('\n'))
    // A line break is data (Marketo turns it into a space in tokens); a text input would drop it.
    return (
      <textarea
        aria-label={label}
        aria-describedby={describedBy}
        rows={Math.min(4, value.split('\n').length)}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        style={{ width: '100%' }}
      />
    );
  return (
    <input
      type="text"
      aria-label={label}
      aria-describedby={describedBy}
      value={show(value)}
      onChange={(e) => onValue(coerceForType(e.target.value, type))}
    />
  );
}
