/** Random run records for the differential tests of the record writers: awkward texts, repeated messages, odd numbers. */
import fc from 'fast-check';
import type { Scalar } from '@shared/model/context';
import type { Outcome } from '@shared/model/rendered';
import type { RunRecord } from '@shared/runner/summary';

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
export const ms = fc.oneof(
  fc.double({ min: -1, max: 2e9, noNaN: false }),
  fc.integer({ min: 0, max: 100_000 }).map((n) => n / 100),
  fc.integer({ min: 0, max: 100_000_000 }).map((n) => n / 1000),
  fc.constantFrom(0, -0, 0.5, 1.5, 2.5, 499.5, 1000.4999999, 0.0005, 0.0015),
);
const fieldName = fc.constantFrom('Company', 'Title', 'Phone', '__proto__x', 'a"b', '2');

export const record: fc.Arbitrary<RunRecord> = fc
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
