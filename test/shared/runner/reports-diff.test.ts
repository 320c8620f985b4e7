/**
 * The report writers' fast paths (JSON text remembered from the last record, rows built without lists,
 * closures or toFixed) against the rows as they were written before (reports-reference.ts): on random
 * runs of records, every report must come out byte for byte the same.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  createHtmlReport,
  createJsonReport,
  createJunitReport,
  createLeadUpdatesCsv,
  htmlRow,
  seconds,
} from '@shared/runner/reports';
import type { RunRecord } from '@shared/runner/summary';
import { ms, record } from './record-arbitrary';
import { jsonString } from '@shared/runner/json-number';
import { referenceCsvRow, referenceHtmlRow, referenceJsonRow, referenceJunitRow } from './reports-reference';

const fields = [
  { soapName: 'Company', displayName: 'Company Name' },
  { soapName: 'Title', displayName: 'Job Title' },
  { soapName: '2', displayName: 'Two' },
];

describe('report rows against the writers they replaced', () => {
  it('writes every report body the same, record after record', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        const json = createJsonReport();
        const junit = createJunitReport('Enrich & <lead>');
        const csv = createLeadUpdatesCsv(fields);
        records.forEach((r, i) => {
          expect(json.record(r)).toBe(`${i === 0 ? '' : ',\n'}${referenceJsonRow(r)}`);
          expect(junit.record(r)).toBe(referenceJunitRow('Enrich & <lead>', r));
          expect(csv.record(r)).toBe(referenceCsvRow(fields, r));
          expect(htmlRow(r)).toBe(referenceHtmlRow(r));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the HTML lists as before: every lead and the failed ones, each cut at 5,000 rows', () => {
    const html = createHtmlReport();
    const records: RunRecord[] = fc.sample(record, { numRuns: 12_000, seed: 7 });
    let all = '';
    let failed = '';
    let failedCount = 0;
    records.forEach((r, i) => {
      html.record(r);
      if (i < 5_000) all += referenceHtmlRow(r);
      if (!r.succeeded && failedCount++ < 5_000) failed += referenceHtmlRow(r);
    });
    const summary = { counts: { leads: 4_000 } } as Parameters<typeof html.end>[0];
    expect(html.end(summary)).toBe(`${all}</table>\n<p>7000 more lead(s) are in results.jsonl.</p>\n</body></html>\n`);
    const over = { counts: { leads: 12_000 } } as Parameters<typeof html.end>[0];
    const left = failedCount > 5_000 ? `<p>${failedCount - 5_000} more lead(s) are in results.jsonl.</p>` : '';
    expect(html.end(over)).toBe(`${failed}</table>\n${left}\n</body></html>\n`);
  });

  it('over 5,000 counted leads, writes the same failed list without building the every-lead one', () => {
    const records: RunRecord[] = fc.sample(record, { numRuns: 12_000, seed: 11 });
    const counted = createHtmlReport(12_000);
    const uncounted = createHtmlReport();
    for (const r of records) {
      counted.record(r);
      uncounted.record(r);
    }
    const over = { counts: { leads: 12_000 } } as Parameters<typeof counted.end>[0];
    expect(counted.end(over)).toBe(uncounted.end(over));
    // Had the every-lead list been kept, a summary under the limit would show it; counted, it cannot.
    const under = { counts: { leads: 4_000 } } as Parameters<typeof counted.end>[0];
    expect(counted.end(under)).toBe(uncounted.end(over));
    expect(uncounted.end(under)).not.toBe(uncounted.end(over));
  });

  it('writes seconds as toFixed(3) does, halves and all', () => {
    fc.assert(
      fc.property(ms, (n) => seconds(n) === (n / 1000).toFixed(3)),
      { numRuns: 20_000 },
    );
    const differ: number[] = [];
    for (let n = 0; n < 200_000; n += 0.5) if (seconds(n) !== (n / 1000).toFixed(3)) differ.push(n);
    for (let n = 0; n < 100; n += 0.0005) if (seconds(n) !== (n / 1000).toFixed(3)) differ.push(n);
    expect(differ).toEqual([]);
  });

  it('writes a string as JSON.stringify does, whatever its characters', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.string({
        unit: fc.constantFrom('a', '"', '\\', '\u0000', '\u001f', ' ', '\u007f', '\u2028', '\uD83D', '\uDE00'),
      }),
    );
    fc.assert(
      fc.property(text, (t) => jsonString(t) === JSON.stringify(t)),
      { numRuns: 5_000 },
    );
  });
});
