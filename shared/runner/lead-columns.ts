import type { Scalar } from '../model/context';
import type { FieldCatalog, LeadField } from '../model/field-catalog';
import { findFieldByAnyName } from '../catalog';

/**
 * Lead files for the runner: a Marketo export (CSV with display-name or SOAP/REST headers), a JSON
 * array of lead objects, or JSON Lines. Every reader streams: it sees one chunk at a time and hands
 * out one lead at a time, so a file of any length costs the memory of its longest lead.
 */

export const leadFormats = ['csv', 'json', 'jsonl'] as const;
export type LeadFormat = (typeof leadFormats)[number];

/** One lead, keyed by lead-field display name (the name `{{lead.…}}` tokens use). */
export interface LeadRow {
  line: number;
  values: Record<string, Scalar>;
  /** Values of columns named like company fields: they fill `{{company.…}}` for this lead. */
  company?: Record<string, Scalar>;
}

/**
 * Marketo's standard company fields (lead fields in its data model). A leads-file column with one of
 * these names, or named `company.<name>`, fills `{{company.<name>}}` for its lead, ahead of the
 * context's company values: the file is the lead's own data, the context only a stand-in for it.
 */
export const companyFieldNames: ReadonlySet<string> = new Set(
  [
    'Company Name',
    'Annual Revenue',
    'Num Employees',
    'Industry',
    'SIC Code',
    'Site',
    'Website',
    'Main Phone',
    'Billing Address',
    'Billing City',
    'Billing State',
    'Billing Postal Code',
    'Billing Country',
  ].map((n) => n.toLowerCase()),
);

export interface LeadProblem {
  line: number;
  message: string;
}

/** A column (CSV) or key (JSON) of the lead file and the lead field it names. */
export interface LeadColumn {
  header: string;
  /** The token name: the field's display name, or the header itself for a field the catalog does not know. */
  key: string;
  field?: LeadField;
  /** Set when the column also (or, for `company.<name>`, only) fills `{{company.<companyKey>}}`. */
  companyKey?: string;
  companyOnly?: boolean;
}

export interface LeadReaderEvents {
  onLead(row: LeadRow): void;
  onProblem(problem: LeadProblem): void;
  /** A note about the file as a whole (unknown columns, two columns naming one field). */
  onNote?(note: LeadProblem): void;
  /** A header that cannot be trusted (duplicate or empty names); a run may choose to stop on it. */
  onHeaderProblem?(problem: LeadProblem): void;
}

export interface LeadReader {
  push(chunk: string): void;
  end(): void;
}

export function leadFormatOf(fileName: string): LeadFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

/** Looks lead-field names up by display, SOAP or REST name, ignoring case, as exports name columns either way. */
export function createFieldIndex(fields: FieldCatalog): (name: string) => LeadField | undefined {
  return (name) => findFieldByAnyName(fields, name);
}

/**
 * Resolves a file's headers to lead fields. Notes, once per file: the columns the catalog does not
 * know (they still fill `{{lead.<header>}}` as written), and which columns fill `{{company.…}}` tokens.
 */
export function resolveLeadColumns(
  headers: string[],
  fields: FieldCatalog,
): { columns: LeadColumn[]; notes: string[]; duplicates: string[] } {
  const find = createFieldIndex(fields);
  const notes: string[] = [];
  const duplicates: string[] = [];
  const unknown: string[] = [];
  const feeds: string[] = [];
  const claimed = new Map<string, string>();
  const columns = headers.map((header): LeadColumn => {
    const prefixed = /^company\.(.+)$/i.exec(header);
    if (prefixed) {
      const name = (prefixed[1] as string).trim();
      const field = find(name);
      const companyKey = field?.displayName ?? name;
      feeds.push(`"${header}" → {{company.${companyKey}}}`);
      return field
        ? { header, key: companyKey, field, companyKey, companyOnly: true }
        : { header, key: companyKey, companyKey, companyOnly: true };
    }
    const field = find(header);
    const key = field?.displayName ?? header;
    if (!field && header !== '') unknown.push(header);
    const earlier = claimed.get(key);
    // Exact repeats are reported by the CSV reader; here, two spellings of one field (`Email`, `Email Address`).
    if (earlier !== undefined && earlier.toLowerCase() !== header.toLowerCase()) {
      duplicates.push(
        `header: columns "${earlier}" and "${header}" both name the lead field "${key}"; the later one wins`,
      );
    }
    if (earlier === undefined) claimed.set(key, header);
    const column: LeadColumn = field ? { header, key, field } : { header, key };
    if (companyFieldNames.has(key.toLowerCase())) {
      column.companyKey = key;
      feeds.push(`"${header}" → {{lead.${key}}} and {{company.${key}}}`);
    }
    return column;
  });
  if (unknown.length === 1)
    notes.push(`column "${unknown[0]}" is not in the field catalog; it fills {{lead.${unknown[0]}}} as written`);
  else if (unknown.length > 1)
    notes.push(
      `columns not in the field catalog (each fills {{lead.<column>}} as written): ${unknown.map((u) => `"${u}"`).join(', ')}`,
    );
  if (feeds.length > 0) notes.push(`company tokens from the leads file: ${feeds.join(', ')}`);
  return { columns, notes, duplicates };
}

const numericTypes = new Set(['integer', 'float', 'currency', 'score']);

/**
 * A cell as the lead field would hold it: empty is no value (null), Booleans and numbers by field
 * type so that the engine formats them as Marketo would; anything that does not parse stays text.
 */
export function cellValue(cell: string, field: LeadField | undefined): Scalar {
  if (cell === '') return null;
  if (!field) return cell;
  if (field.type === 'boolean') {
    const lower = cell.trim().toLowerCase();
    if (lower === 'true' || lower === '1' || lower === 'yes') return true;
    if (lower === 'false' || lower === '0' || lower === 'no') return false;
    return cell;
  }
  if (numericTypes.has(field.type)) {
    const trimmed = cell.trim();
    const n = Number(trimmed);
    if (trimmed !== '' && Number.isFinite(n)) return n;
  }
  return cell;
}

const readText = (cell: string): Scalar => (cell === '' ? null : cell);

/**
 * `cellValue` for one field, chosen once per column: a field that is neither Boolean nor a number
 * (or one the catalog does not know) keeps its cells as written, with no type check per cell.
 */
export function cellReader(field: LeadField | undefined): (cell: string) => Scalar {
  if (!field || (field.type !== 'boolean' && !numericTypes.has(field.type))) return readText;
  return (cell) => cellValue(cell, field);
}
