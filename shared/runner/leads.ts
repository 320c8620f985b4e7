import type { Scalar, TokenContext } from '../model/context';
import type { FieldCatalog } from '../model/field-catalog';
import { createCsvParser } from '../formats/csv';
import { scanTokens } from '../engine/tokens';
import type { Webhook } from '../model/webhook';
import {
  cellReader,
  resolveLeadColumns,
  type LeadColumn,
  type LeadFormat,
  type LeadReader,
  type LeadReaderEvents,
  type LeadRow,
} from './lead-columns';
import { createJsonArrayLeadReader, createJsonlLeadReader } from './json-leads';

export * from './lead-columns';

/**
 * How one column fills a lead, worked out once from the header so that a row costs one loop: the
 * lead key it fills (none for `company.<name>`), the company key (if any) and how its text is read.
 */
interface CellPlan {
  index: number;
  key: string | undefined;
  companyKey: string | undefined;
  read: (cell: string) => Scalar;
}

function planCells(columns: LeadColumn[]): CellPlan[] {
  const plans: CellPlan[] = [];
  columns.forEach((col, index) => {
    if (col.header === '') return;
    const read = cellReader(col.field);
    plans.push({ index, key: col.companyOnly ? undefined : col.key, companyKey: col.companyKey, read });
  });
  return plans;
}

/** The lead a row fills: its cells by the header's plans, in column order (a later column wins a key). */
function leadOfRow(line: number, cells: string[], plans: CellPlan[]): LeadRow {
  const values: Record<string, Scalar> = {};
  let company: Record<string, Scalar> | undefined;
  for (const plan of plans) {
    const cell = cells[plan.index];
    if (cell === undefined) continue;
    const value = plan.read(cell);
    if (plan.key !== undefined) values[plan.key] = value;
    if (plan.companyKey !== undefined) (company ??= {})[plan.companyKey] = value;
  }
  return company ? { line, values, company } : { line, values };
}

function createCsvLeadReader(fields: FieldCatalog, events: LeadReaderEvents): LeadReader {
  let plans: CellPlan[] = [];
  const parser = createCsvParser(
    (row) => {
      events.onLead(leadOfRow(row.line, row.cells, plans));
    },
    (problem) => {
      if (!problem.message.startsWith('header:')) events.onProblem(problem);
      else if (events.onHeaderProblem) events.onHeaderProblem(problem);
      else events.onNote?.(problem);
    },
    {
      onHeaders: (headers, line) => {
        const resolved = resolveLeadColumns(headers, fields);
        plans = planCells(resolved.columns);
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
  // which only the reader knows how to do, and the count must match what the run accounts for. It
  // keeps only the last character of each cell: the count copies none of the file's text.
  let n = 0;
  const parser = createCsvParser(
    () => n++,
    (problem) => {
      if (!problem.message.startsWith('header:')) n++;
    },
    { countOnly: true },
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
  const texts = [webhook.url, webhook.template, ...webhook.headers.map((h) => `${h.name}: ${h.value}`)];
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
