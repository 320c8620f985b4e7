import type { FieldCatalog } from '@shared/model';

/**
 * Picks a lead field for a response mapping. Mappings name the SOAP API name (spec §4), so REST-only
 * fields are listed but cannot be chosen; a value not in the catalog stays selectable so nothing is lost.
 */
export function FieldPicker({
  fields,
  value,
  onChange,
  label,
  labelledBy,
  autoFocus,
  id,
}: {
  fields: FieldCatalog;
  value: string;
  onChange: (soapName: string) => void;
  label?: string;
  labelledBy?: string;
  autoFocus?: boolean;
  id?: string;
}) {
  const known = fields.some((f) => f.soapName === value);
  const sorted = [...fields].sort((a, b) => a.displayName.localeCompare(b.displayName));
  return (
    <select
      id={id}
      aria-label={label}
      aria-labelledby={labelledBy}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      autoFocus={autoFocus}
      data-autofocus={autoFocus ? '' : undefined}
    >
      <option value="">Choose a lead field…</option>
      {!known && value && <option value={value}>{value} (not in the field catalog)</option>}
      {sorted.map((f) => (
        <option
          key={`${f.displayName}|${f.soapName ?? ''}`}
          value={f.soapName ?? ''}
          disabled={!f.soapName || f.readOnly}
        >
          {f.displayName} — {f.soapName ?? 'REST only'} · {f.type}
          {f.readOnly ? ' · read-only' : ''}
        </option>
      ))}
    </select>
  );
}
