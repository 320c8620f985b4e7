import type { CSSProperties } from 'react';
import type { FieldCatalog, LeadField } from '@shared/model';
import { findFieldByAnyName, searchFields } from '@shared/catalog';

/** Which of a lead field's names the picker writes: the SOAP name (mappings) or the display name (tokens). */
export type FieldNames = 'soap' | 'display';

/** One line of the lead field list: a catalog field, or the typed name kept as it is. */
export type FieldOption = {
  key: string;
  /** The name picking it writes. */
  name: string;
  field?: LeadField;
  /** Why it cannot be picked (a REST-only or read-only field where a mapping needs a SOAP name). */
  disabled?: string;
};

/** Why a mapping cannot write this field; undefined when it can. */
function notWritable(field: LeadField): string | undefined {
  if (field.soapName === undefined) return 'REST only: a mapping cannot write it';
  if (field.readOnly) return 'read-only';
  return undefined;
}

/** A field's name as this picker writes it. */
export function nameIn(field: LeadField, names: FieldNames): string {
  return names === 'soap' ? (field.soapName ?? field.displayName) : field.displayName;
}

/** Whether a name is one of the catalog's, as this picker writes names (SOAP names exactly, display names in any case). */
export function isKnownName(fields: FieldCatalog, names: FieldNames, name: string): boolean {
  if (names === 'soap') return fields.some((f) => f.soapName === name);
  return fields.some((f) => f.displayName.toLowerCase() === name.trim().toLowerCase());
}

/**
 * What typed text commits: the field's own name when it is any name of a field ("company" → Company),
 * else the text as typed (a custom field the catalog does not have: allowed, and flagged).
 */
export function typedName(fields: FieldCatalog, names: FieldNames, typed: string): string {
  const text = typed.trim();
  if (text === '') return '';
  const field = findFieldByAnyName(fields, text);
  if (!field || (names === 'soap' && field.soapName === undefined)) return text;
  return nameIn(field, names);
}

/**
 * The list under the picker: the fields matching the query, best first (all of them, by display name,
 * for no query), and last the typed name itself when it is none of theirs.
 */
export function fieldOptions(fields: FieldCatalog, names: FieldNames, query: string | null): FieldOption[] {
  const options: FieldOption[] = searchFields(fields, query ?? '').map((field) => {
    const option: FieldOption = {
      key: `${field.displayName}|${field.soapName ?? ''}`,
      name: nameIn(field, names),
      field,
    };
    const disabled = names === 'soap' ? notWritable(field) : undefined;
    if (disabled !== undefined) option.disabled = disabled;
    return option;
  });
  const typed = query?.trim() ?? '';
  if (typed !== '' && !findFieldByAnyName(fields, typed)) options.push({ key: `custom|${typed}`, name: typed });
  return options;
}

/** The next option that can be picked from `from`, `step` (±1) at a time; `from` itself when none. */
export function nextEnabled(options: FieldOption[], from: number, step: number): number {
  for (let i = from + step; i >= 0 && i < options.length; i += step) if (!options[i]?.disabled) return i;
  return from;
}

const POPUP_MIN_WIDTH = 460;
const POPUP_MAX_HEIGHT = 320;
const MARGIN = 8;

/**
 * Where the list opens: fixed to the window (a table cell or dialog would cut it off), at least wide
 * enough for a field's names in full, inside the window, below the input or above it when there is
 * more room there.
 */
export function popupPlace(input: DOMRect, view: { width: number; height: number }): CSSProperties {
  const width = Math.min(Math.max(input.width, POPUP_MIN_WIDTH), view.width - 2 * MARGIN);
  const left = Math.max(MARGIN, Math.min(input.left, view.width - width - MARGIN));
  // Room for the list, less the 2 px gap to the input.
  const below = view.height - input.bottom - MARGIN - 2;
  const above = input.top - MARGIN - 2;
  if (below >= 180 || below >= above)
    return { position: 'fixed', left, width, top: input.bottom + 2, maxHeight: Math.min(POPUP_MAX_HEIGHT, below) };
  return {
    position: 'fixed',
    left,
    width,
    bottom: view.height - input.top + 2,
    maxHeight: Math.min(POPUP_MAX_HEIGHT, above),
  };
}
