/**
 * The CSV lead reader against the per-row mapping it replaced (kept below as it was: a lookup of the
 * column and of the field's type for every cell): on random lead files, with lead, company and
 * `company.<name>` columns, typed fields, unknown and empty headers, both must hand out the same leads.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { defaultFieldCatalog } from '@shared/catalog';
import { createCsvParser } from '@shared/formats/csv';
import type { Scalar } from '@shared/model/context';
import {
  cellValue,
  createLeadReader,
  resolveLeadColumns,
  type LeadColumn,
  type LeadProblem,
  type LeadRow,
} from '@shared/runner/leads';

interface Read {
  leads: LeadRow[];
  problems: LeadProblem[];
}

/** The old CSV lead reader's row mapping, as it was before columns were planned once per header. */
function readOld(chunks: string[]): LeadRow[] {
  const leads: LeadRow[] = [];
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
      leads.push(company ? { line: row.line, values, company } : { line: row.line, values });
    },
    () => undefined,
    { onHeaders: (headers) => (columns = resolveLeadColumns(headers, defaultFieldCatalog).columns) },
  );
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return leads;
}

function readNew(chunks: string[]): Read {
  const result: Read = { leads: [], problems: [] };
  const reader = createLeadReader('csv', defaultFieldCatalog, {
    onLead: (lead) => result.leads.push(lead),
    onProblem: (problem) => result.problems.push(problem),
  });
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return result;
}

const header = fc.constantFrom(
  'Email Address',
  'email',
  'First Name',
  'FirstName',
  'Company Name',
  'company.Industry',
  'company.Shoe Size',
  'Annual Revenue',
  'Lead Score',
  'leadScore',
  'Unsubscribed',
  'Shoe Size',
  '',
);
const cell = fc.constantFrom(
  '',
  'a@x.com',
  'Zoë',
  ' 12 ',
  '3.5',
  'abc',
  'true',
  'No',
  '1',
  '0',
  'yes',
  '"x, y"',
  '"q""q"',
);

describe('CSV lead reader against the row mapping it replaced', () => {
  it('hands out the same leads, values, company values and lines on random lead files', () => {
    const file = fc
      .array(header, { minLength: 1, maxLength: 6 })
      .chain((headers) =>
        fc
          .array(fc.array(cell, { minLength: headers.length, maxLength: headers.length }), { maxLength: 8 })
          .map((rows) => [headers.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n'),
      );
    fc.assert(
      fc.property(file, fc.nat({ max: 200 }), (text, cut) => {
        const at = cut % (text.length + 1);
        const chunks = [text.slice(0, at), text.slice(at)];
        expect(readNew(chunks).leads).toEqual(readOld(chunks));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads typed cells as their field types', () => {
    const { leads } = readNew([
      'Email,Lead Score,Unsubscribed,company.Industry,Annual Revenue\na@x.com, 12 ,Yes,Retail,\n',
    ]);
    expect(leads).toEqual([
      {
        line: 2,
        values: { 'Email Address': 'a@x.com', 'Lead Score': 12, Unsubscribed: true, 'Annual Revenue': null },
        company: { Industry: 'Retail', 'Annual Revenue': null },
      },
    ]);
  });
});
