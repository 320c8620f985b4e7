import type { FieldCatalog, TokenContext } from '../model';
import { emptyTokenContext } from '../model';
import { findField, findFieldByAnyName } from '../catalog';
import { parseCsv } from './csv';

/**
 * Contexts from a lead list exported from Marketo (a CSV whose headers are lead-field display names):
 * one context per row. Columns that name a field by its API name are renamed to the display name
 * tokens use; columns no catalog field matches are kept as written and reported.
 */

export const maxContextsPerImport = 1000;

export interface LeadsImport {
  contexts: TokenContext[];
  notCarried: { item: string; reason: string }[];
}

export function contextsFromLeadsCsv(text: string, fileName: string, fields: FieldCatalog): LeadsImport {
  const notCarried: { item: string; reason: string }[] = [];
  const csv = parseCsv(text);
  for (const p of csv.problems) notCarried.push({ item: `${fileName} line ${p.line}`, reason: p.message });
  const columns = csv.headers.map((h) => {
    if (h === '') return undefined;
    const field = findField(fields, h) ?? findFieldByAnyName(fields, h);
    if (field) return field.displayName;
    notCarried.push({
      item: `column ${h}`,
      reason: 'no lead field has this name; kept as {{lead.' + h + '}} as written',
    });
    return h;
  });
  const contexts: TokenContext[] = [];
  const base = fileName.replace(/\.[^.]*$/, '');
  for (const row of csv.rows) {
    if (contexts.length >= maxContextsPerImport) {
      notCarried.push({
        item: `${fileName} line ${row.line} and after`,
        reason: `only the first ${maxContextsPerImport} leads become contexts`,
      });
      break;
    }
    const lead: Record<string, string> = {};
    columns.forEach((col, i) => {
      if (col !== undefined) lead[col] = row.cells[i] ?? '';
    });
    const who =
      [lead['First Name'], lead['Last Name']].filter((s) => s && s.trim()).join(' ') ||
      lead['Email Address'] ||
      `line ${row.line}`;
    contexts.push(
      emptyTokenContext(`${base}: ${who}`, { description: `Lead from ${fileName}, line ${row.line}`, lead }),
    );
  }
  return { contexts, notCarried };
}
