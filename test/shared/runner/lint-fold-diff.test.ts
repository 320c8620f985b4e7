/**
 * The summary's lint fold (keys reused from the diagnostic before, no closures) against the fold it
 * replaced, kept below as it was: on random runs of leads with random diagnostics, the same lint list.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Diagnostic } from '@shared/model/diagnostic';
import type { Exchange } from '@shared/model/exchange';
import { createSummaryBuilder, type RunRecord, type RunSummary } from '@shared/runner/summary';

type Lint = RunSummary['lint'];

/** The old fold: a key string and a closure for every diagnostic of every lead. */
function referenceLint(records: RunRecord[], limit = 200): Lint {
  const lint = new Map<string, Lint[number]>();
  const lintKey = (d: Pick<Diagnostic, 'severity' | 'code' | 'location'>): string => {
    const where = d.location ? `${d.location.part}:${d.location.index ?? ''}:${d.location.field ?? ''}` : '';
    return `${d.severity}|${d.code}|${where}`;
  };
  for (const record of records) {
    const exchange = record.exchange;
    if (!exchange || record.notRun || record.problem !== undefined) continue;
    const seen = new Set<string>();
    for (const d of [...exchange.diagnostics, ...(exchange.mapping?.diagnostics ?? [])]) {
      const key = lintKey(d);
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = lint.get(key);
      if (entry) entry.leads++;
      else if (lint.size < limit) lint.set(key, { severity: d.severity, code: d.code, message: d.message, leads: 1 });
    }
  }
  return [...lint.values()].sort((a, b) => b.leads - a.leads || a.code.localeCompare(b.code));
}

const diagnostic: fc.Arbitrary<Diagnostic> = fc
  .record(
    {
      severity: fc.constantFrom('error', 'warning', 'info'),
      code: fc.constantFrom('profile-assumptions', 'json-double-quoted-token', 'a|b', 'a', 'x:1'),
      message: fc.constantFrom('one', 'two', 'three'),
      location: fc.record(
        {
          part: fc.constantFrom('url', 'template', 'header', 'mapping'),
          index: fc.integer({ min: 0, max: 2 }),
          field: fc.constantFrom('name', 'value', 'attribute', 'field'),
          line: fc.integer({ min: 1, max: 3 }),
        },
        { requiredKeys: ['part'] },
      ),
    },
    { requiredKeys: ['severity', 'code', 'message'] },
  )
  .map((d) => d as Diagnostic);

/** Mostly the one diagnostic every lead of a run carries, sometimes none, sometimes many (past the list's 8). */
const diagnostics = fc.oneof(
  { weight: 3, arbitrary: fc.array(diagnostic, { maxLength: 1 }) },
  { weight: 2, arbitrary: fc.array(diagnostic, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(diagnostic, { minLength: 8, maxLength: 14 }) },
);

const lead = fc
  .record({ own: diagnostics, mapped: fc.option(diagnostics, { nil: undefined }), skipped: fc.boolean() })
  .map(({ own, mapped, skipped }): RunRecord => {
    const exchange = { diagnostics: own, redirects: [], startedAt: '' } as unknown as Exchange;
    if (mapped) exchange.mapping = { diagnostics: mapped, mappings: [] } as unknown as Exchange['mapping'];
    const record: RunRecord = {
      line: 2,
      leadKey: 'a@x.com',
      outcome: 'updated',
      succeeded: true,
      status: 200,
      totalMs: 1,
      message: 'ok',
      attempts: 1,
      notWritten: [],
      updates: {},
      exchange,
    };
    if (skipped) record.notRun = true;
    return record;
  });

describe('lint fold against the fold it replaced', () => {
  it('counts the same kinds and leads on random runs', () => {
    fc.assert(
      fc.property(fc.array(lead, { maxLength: 40 }), (records) => {
        const summary = createSummaryBuilder({ runId: 'r', webhook: 'w', leadsFile: 'l.csv', startedAt: '' });
        for (const r of records) summary.add(r);
        const lint = summary.finish({ state: 'done', finishedAt: '', wallMs: 1, files: {} }).lint;
        expect(lint).toEqual(referenceLint(records));
      }),
      { numRuns: 500 },
    );
  });

  it('stops taking new kinds at 200, as before', () => {
    const records = Array.from({ length: 300 }, (_, i): RunRecord => ({
      line: i + 2,
      leadKey: `l${i}`,
      outcome: 'updated',
      succeeded: true,
      totalMs: 1,
      message: 'ok',
      attempts: 1,
      notWritten: [],
      updates: {},
      exchange: {
        diagnostics: [{ severity: 'info', code: `c${i % 250}`, message: 'm' }],
        redirects: [],
        startedAt: '',
      } as unknown as Exchange,
    }));
    const summary = createSummaryBuilder({ runId: 'r', webhook: 'w', leadsFile: 'l.csv', startedAt: '' });
    for (const r of records) summary.add(r);
    const lint = summary.finish({ state: 'done', finishedAt: '', wallMs: 1, files: {} }).lint;
    expect(lint).toHaveLength(200);
    expect(lint).toEqual(referenceLint(records));
  });
});
