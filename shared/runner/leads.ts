import type { Scalar, TokenContext } from '../model/context';
import type { FieldCatalog, LeadField } from '../model/field-catalog';
import { createCsvParser } from '../formats/csv';
import { findFieldByAnyName } from '../catalog';
import { scanTokens } from '../engine/tokens';
import type { Webhook } from '../model/webhook';

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

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function describe(value: unknown): string {
  return Array.isArray(value)
    ? 'an array'
    : value === null
      ? 'null'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;
}

/** JSON leads: keys resolved once each, values must be scalars. */
function createObjectLeadBuilder(
  fields: FieldCatalog,
  events: LeadReaderEvents,
): (line: number, parsed: unknown) => void {
  const find = createFieldIndex(fields);
  const resolved = new Map<string, LeadColumn>();
  const column = (key: string): LeadColumn => {
    let found = resolved.get(key);
    if (!found) {
      const field = find(key);
      found = field ? { header: key, key: field.displayName, field } : { header: key, key };
      resolved.set(key, found);
      if (!field)
        events.onNote?.({
          line: 1,
          message: `key "${key}" is not in the field catalog; it fills {{lead.${key}}} as written`,
        });
    }
    return found;
  };
  return (line, parsed) => {
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      events.onProblem({ line, message: `expected a lead object, found ${describe(parsed)}` });
      return;
    }
    const values: Record<string, Scalar> = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (!isScalar(value)) {
        events.onProblem({
          line,
          message: `lead field "${key}" holds ${describe(value)}; lead fields hold text, numbers, Booleans or null`,
        });
        return;
      }
      if (typeof value === 'string' && value.includes('\uFFFD')) {
        events.onProblem({ line, message: `lead field "${key}" is not valid UTF-8 text (bad encoding?)` });
        return;
      }
      const col = column(key);
      values[col.key] = typeof value === 'string' ? cellValue(value, col.field) : value;
    }
    events.onLead({ line, values });
  };
}

function createCsvLeadReader(fields: FieldCatalog, events: LeadReaderEvents): LeadReader {
  let columns: LeadColumn[] = [];
  const parser = createCsvParser(
    (row) => {
      const values: Record<string, Scalar> = {};
      let company: Record<string, Scalar> | undefined;
      row.cells.forEach((cell, i) => {
        const col = columns[i];
        if (!col || col.header === '') return;
        const value = cellValue(cell, col.field);
        if (!col.companyOnly) values[col.key] = value;
        if (col.companyKey !== undefined) (company ??= {})[col.companyKey] = value;
      });
      events.onLead(company ? { line: row.line, values, company } : { line: row.line, values });
    },
    (problem) => {
      if (!problem.message.startsWith('header:')) events.onProblem(problem);
      else if (events.onHeaderProblem) events.onHeaderProblem(problem);
      else events.onNote?.(problem);
    },
    {
      onHeaders: (headers, line) => {
        const resolved = resolveLeadColumns(headers, fields);
        columns = resolved.columns;
        for (const message of resolved.notes) events.onNote?.({ line, message });
        for (const message of resolved.duplicates) {
          if (events.onHeaderProblem) events.onHeaderProblem({ line, message });
          else events.onNote?.({ line, message });
        }
      },
    },
  );
  return parser;
}

function createJsonlLeadReader(fields: FieldCatalog, events: LeadReaderEvents): LeadReader {
  const build = createObjectLeadBuilder(fields, events);
  let pending = '';
  let line = 0;
  const take = (text: string): void => {
    line++;
    const trimmed = text.trim();
    if (trimmed === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      events.onProblem({ line, message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    build(line, parsed);
  };
  let first = true;
  return {
    push(chunk) {
      let text = pending + chunk;
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        take(text.slice(start, nl));
        start = nl + 1;
      }
      pending = text.slice(start);
    },
    end() {
      if (pending !== '') take(pending);
      pending = '';
    },
  };
}

/**
 * A top-level JSON array read element by element, so a large array never sits in memory whole.
 * Each element is handed to JSON.parse on its own; its line is where it starts.
 */
function createJsonArrayLeadReader(fields: FieldCatalog, events: LeadReaderEvents): LeadReader {
  const build = createObjectLeadBuilder(fields, events);
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = '';
  let inElement = false;
  let elementLine = 1;
  let finished = false;
  let broken = false;
  let started = false;

  const finishElement = (): void => {
    inElement = false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(element);
    } catch (e) {
      events.onProblem({ line: elementLine, message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
      element = '';
      return;
    }
    element = '';
    build(elementLine, parsed);
  };

  const fail = (message: string): void => {
    broken = true;
    events.onProblem({ line, message });
  };

  return {
    push(chunk) {
      if (broken) return;
      let i = 0;
      if (!started && chunk.length > 0) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) i = 1;
      }
      let mark = i;
      for (; i < chunk.length; i++) {
        const c = chunk[i];
        if (c === '\n') line++;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
          continue;
        }
        const blank = c === ' ' || c === '\n' || c === '\r' || c === '\t';
        if (depth === 0) {
          if (blank) continue;
          if (c === '[' && !finished) {
            depth = 1;
            continue;
          }
          fail(
            finished
              ? 'unexpected text after the closing "]" of the lead array'
              : 'expected a JSON array of lead objects ("[" first)',
          );
          return;
        }
        if (depth === 1 && !inElement) {
          if (blank || c === ',') continue;
          if (c === ']') {
            depth = 0;
            finished = true;
            continue;
          }
          inElement = true;
          elementLine = line;
          mark = i;
        }
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') {
          if (depth === 1) {
            // The array closes right after a bare scalar element.
            element += chunk.slice(mark, i);
            finishElement();
            depth = 0;
            finished = true;
            continue;
          }
          depth--;
          if (depth === 1) {
            element += chunk.slice(mark, i + 1);
            finishElement();
            continue;
          }
        } else if (depth === 1 && (c === ',' || blank)) {
          // A bare scalar element ends at the next separator.
          element += chunk.slice(mark, i);
          finishElement();
          continue;
        }
        if (depth === 0) {
          fail('unbalanced brackets in the lead array');
          return;
        }
      }
      if (inElement) element += chunk.slice(mark);
    },
    end() {
      if (broken) return;
      if (!started || (!finished && depth === 0)) {
        fail('expected a JSON array of lead objects; the file is empty');
        return;
      }
      if (!finished) fail(`the lead array is not closed (missing "]") at the end of the file`);
    },
  };
}

export function createLeadReader(format: LeadFormat, fields: FieldCatalog, events: LeadReaderEvents): LeadReader {
  if (format === 'csv') return createCsvLeadReader(fields, events);
  if (format === 'jsonl') return createJsonlLeadReader(fields, events);
  return createJsonArrayLeadReader(fields, events);
}

/**
 * Counts the rows a lead reader would hand out (leads and bad rows alike) without reading them: a
 * progress bar needs the total before the run. JSON Lines are counted by their non-blank lines; CSV
 * and a JSON array with the reader itself (a CSV's unclosed quote is read again, as the run does).
 */
export function createLeadCounter(
  format: LeadFormat,
  fields: FieldCatalog,
): { push(chunk: string): void; end(): number } {
  if (format === 'json') {
    let n = 0;
    const reader = createLeadReader(format, fields, { onLead: () => n++, onProblem: () => n++ });
    return {
      push: (chunk) => reader.push(chunk),
      end: () => {
        reader.end();
        return n;
      },
    };
  }
  if (format === 'jsonl') {
    // The JSON Lines reader splits at LF and skips lines that trim to nothing.
    let records = 0;
    let pending = '';
    return {
      push(chunk) {
        const text = pending + chunk;
        let start = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
          if (text.slice(start, nl).trim() !== '') records++;
          start = nl + 1;
        }
        pending = text.slice(start);
      },
      end() {
        // A byte-order mark trims away like the reader's.
        return records + (pending.trim() !== '' ? 1 : 0);
      },
    };
  }
  // CSV is counted by the reader itself: an unclosed quote is read again from the line after it,
  // which only the reader knows how to do, and the count must match what the run accounts for.
  let n = 0;
  const parser = createCsvParser(
    () => n++,
    (problem) => {
      if (!problem.message.startsWith('header:')) n++;
    },
  );
  return {
    push: (chunk) => parser.push(chunk),
    end: () => {
      parser.end();
      return n;
    },
  };
}

/** The context Marketo would use for this lead: the lead from the file, everything else from the chosen context. */
export function leadContext(base: TokenContext, lead: LeadRow): TokenContext {
  if (!lead.company) return { ...base, lead: lead.values };
  return { ...base, lead: lead.values, company: { ...base.company, ...lead.company } };
}

const emailKeys = ['Email Address', 'Email', 'email', 'E-mail'];

/** The email address, when the lead has one: the key of a lead-updates import. */
export function leadEmail(lead: LeadRow): string | undefined {
  for (const key of emailKeys) {
    const value = lead.values[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** How reports name a lead: its email, else its Id, else its line. */
export function leadKey(lead: LeadRow): string {
  const email = leadEmail(lead);
  if (email) return email;
  const id = lead.values['Id'] ?? lead.values['id'];
  if (id !== undefined && id !== null && id !== '') return `Id ${String(id)}`;
  return `line ${lead.line}`;
}

/**
 * A CSV header for a leads file that fills every lead and company token the webhook uses (URL,
 * headers, template), Email Address first: what to put at the top of a file for this webhook.
 */
export function sampleLeadsHeader(webhook: Pick<Webhook, 'url' | 'template' | 'headers'>): string {
  const names = ['Email Address'];
  const seen = new Set(['email address']);
  const texts = [webhook.url, webhook.template, ...webhook.headers.map((h) => `${h.name}: ${h.value ?? ''}`)];
  for (const text of texts) {
    for (const t of scanTokens(text)) {
      if (t.namespace !== 'lead' && t.namespace !== 'company') continue;
      const name = t.name.trim();
      if (name === '' || seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      names.push(name);
    }
  }
  return names.map((n) => (/[",\r\n]/.test(n) ? `"${n.replaceAll('"', '""')}"` : n)).join(',');
}
