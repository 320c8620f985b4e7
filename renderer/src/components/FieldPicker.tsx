import type { FieldCatalog } from '@shared/model';
import { FieldCombobox } from './FieldCombobox';

/**
 * Picks a lead field for a response mapping. Mappings name the SOAP API name (spec §4), so REST-only
 * and read-only fields are listed but cannot be picked; a name not in the catalog can be typed and kept
 * (it is flagged), so nothing is lost. Arrow keys pick as they go, as the native select they replace did.
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
  return (
    <FieldCombobox
      fields={fields}
      value={value}
      onChange={onChange}
      names="soap"
      browsePicks
      label={label}
      labelledBy={labelledBy}
      autoFocus={autoFocus}
      id={id}
    />
  );
}
