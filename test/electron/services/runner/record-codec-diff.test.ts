/**
 * A compact results.jsonl line (outcome and message JSON text kept from the record before, an empty list
 * written as `[]`) against JSON.stringify of the same fields in the same order, on random runs of records.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { RunRecord } from '@shared/runner/summary';
import { packRecord, unpackRecord } from '@services/runner/record-codec';
import { record } from '../../../shared/runner/record-arbitrary';

/** The compact line's fields, in the order packRecord writes them. */
function compactObject(r: RunRecord): Record<string, unknown> {
  const o: Record<string, unknown> = {
    line: r.line,
    leadKey: r.leadKey,
    outcome: r.outcome,
    succeeded: r.succeeded,
    totalMs: r.totalMs,
    message: r.message,
    attempts: r.attempts,
  };
  if (r.email !== undefined) o.email = r.email;
  if (r.status !== undefined) o.status = r.status;
  if (r.problem !== undefined) o.problem = r.problem;
  if (r.notRun) o.notRun = true;
  o.notWritten = r.notWritten;
  o.updates = r.updates;
  return o;
}

describe('compact results.jsonl lines against JSON.stringify', () => {
  it('writes the same text record after record, and reads it back', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        for (const r of records) {
          const line = packRecord(r, false);
          expect(line).toBe(JSON.stringify(compactObject(r)));
          expect(unpackRecord(line)).toEqual(JSON.parse(JSON.stringify({ ...r })));
        }
      }),
      { numRuns: 300 },
    );
  });
});
