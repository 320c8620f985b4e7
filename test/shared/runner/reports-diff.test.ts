/**
 * The report writers' fast paths (JSON text remembered from the last record, rows built without lists,
 * closures or toFixed) against the rows as they were written before (reports-reference.ts): on random
 * runs of records, every report must come out byte for byte the same.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Scalar } from '@shared/model/context';
import type { Outcome } from '@shared/model/rendered';
import {
  createHtmlReport,
  createJsonReport,
  createJunitReport,
  createLeadUpdatesCsv,
  htmlRow,
  seconds,
} from '@shared/runner/reports';
import type { RunRecord } from '@shared/runner/summary';
import { referenceCsvRow, referenceHtmlRow, referenceJsonRow, referenceJunitRow } from './reports-reference';

/** Texts with what the reports escape: XML's five, control characters, lone and paired surrogates, CSV's quotes and commas, edge spaces. */
const awkward = fc.oneof(
  fc.constantFrom(
    '',
    'Acme',
    ' Acme',
    'Acme ',
    'Jack & Jill',
    'a<b>"c"\'d\'',
    'x,y',
    'q"q',
    'two\r\nlines',
    '\u0001',
    '\uD800',
    '\uDC00x',
    '😀',
    'Zoë',
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
/** A few messages, so that records repeat the one before (the remembered JSON text). */
const message = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('HTTP 200 OK: Marketo would write 1 lead field(s) (Company)', 'updated') },
  { weight: 1, arbitrary: awkward },
);
const outcome = fc.constantFrom<Outcome>('updated', 'ignored', 'timeout', 'network-error', 'not-sent', 'cancelled');
const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  awkward,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Infinity, -0, 1e21),
);
const ms = fc.oneof(
  fc.double({ min: -1, max: 2e9, noNaN: false }),
  fc.integer({ min: 0, max: 100_000 }).map((n) => n / 100),
  fc.integer({ min: 0, max: 100_000_000 }).map((n) => n / 1000),
  fc.constantFrom(0, -0, 0.5, 1.5, 2.5, 499.5, 1000.4999999, 0.0005, 0.0015),
);
const fieldName = fc.constantFrom('Company', 'Title', 'Phone', '__proto__x', 'a"b', '2');

const record: fc.Arbitrary<RunRecord> = fc
  .record(
    {
      line: fc.integer({ min: 2, max: 1_000_000 }),
      leadKey: awkward,
      email: fc.option(awkward, { nil: undefined }),
      outcome,
      succeeded: fc.boolean(),
      status: fc.option(fc.constantFrom(200, 204, 299, 301, 404, 429, 500, 199), { nil: undefined }),
      totalMs: ms,
      message,
      problem: fc.option(awkward, { nil: undefined }),
      notRun: fc.option(fc.constant(true as const), { nil: undefined }),
      attempts: fc.integer({ min: 1, max: 4 }),
      notWritten: fc.array(
        fc.record(
          { field: fieldName, reason: fc.constantFrom('path-not-found', 'coerce-failed'), message: awkward },
          { requiredKeys: ['field', 'reason'] },
        ),
        { maxLength: 2 },
      ),
      updates: fc.dictionary(fieldName, scalar, { maxKeys: 3 }),
    },
    {
      requiredKeys: [
        'line',
        'leadKey',
        'outcome',
        'succeeded',
        'totalMs',
        'message',
        'attempts',
        'notWritten',
        'updates',
      ],
    },
  )
  .map((r) => r as RunRecord);

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
});
