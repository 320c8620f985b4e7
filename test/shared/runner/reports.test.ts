import { describe, it, expect } from 'vitest';
import { defaultFieldCatalog } from '@shared/catalog';
import {
  createHtmlReport,
  createJsonReport,
  createJunitReport,
  createLeadUpdatesCsv,
  compactJson,
  escapeXml,
  mappedFields,
  type ReportWriter,
} from '@shared/runner/reports';
import { createSummaryBuilder, exchangeSucceeded, formatDuration, type RunRecord } from '@shared/runner/summary';
import { parseCsv } from '@shared/formats/csv';
import { validateJunit } from './junit-schema';
import { jsonMs } from '@shared/runner/json-number';

const ok: RunRecord = {
  line: 2,
  leadKey: 'a@x.com',
  email: 'a@x.com',
  outcome: 'updated',
  succeeded: true,
  status: 200,
  totalMs: 12.5,
  message: 'updated 1 field',
  attempts: 1,
  notWritten: [],
  updates: { Company: 'Jack & Jill, "Inc"' },
};
const notWritten: RunRecord = {
  line: 3,
  leadKey: 'b@x.com',
  email: 'b@x.com',
  outcome: 'updated',
  succeeded: false,
  status: 200,
  totalMs: 30,
  message: 'one mapping missed',
  attempts: 1,
  notWritten: [{ field: 'Title', reason: 'path-not-found', message: 'no "title" in the response' }],
  updates: { Company: 'B Co' },
};
const serverError: RunRecord = {
  line: 4,
  leadKey: 'c<x>@x.com',
  email: 'c<x>@x.com',
  outcome: 'ignored',
  succeeded: false,
  status: 500,
  totalMs: 40,
  message: 'Internal \u0001 Error',
  attempts: 1,
  notWritten: [],
  updates: {},
};
const timeout: RunRecord = {
  line: 5,
  leadKey: 'line 5',
  outcome: 'timeout',
  succeeded: false,
  totalMs: 30_000,
  message: 'no answer in 30 s',
  attempts: 1,
  notWritten: [],
  updates: {},
};
const skipped: RunRecord = {
  line: 6,
  leadKey: 'line 6',
  outcome: 'not-sent',
  succeeded: false,
  totalMs: 0,
  message: 'malformed row',
  problem: 'missing columns: expected 3 cells, found 2',
  attempts: 0,
  notWritten: [],
  updates: {},
};
const records = [ok, notWritten, serverError, timeout, skipped];

function summarise() {
  const b = createSummaryBuilder({
    runId: 'r1',
    webhook: 'Enrich <lead>',
    context: 'Default',
    leadsFile: 'leads.csv',
    startedAt: '2026-11-27T18:00:00.123Z',
  });
  for (const r of records) b.add(r);
  b.problem({ line: 6, message: skipped.problem ?? '' });
  return b.finish({ state: 'done', finishedAt: '2026-11-27T18:00:01.000Z', wallMs: 877, files: {} });
}

function write(writer: ReportWriter): string {
  const summary = summarise();
  // The body comes first (as the run goes), the head once the figures are known.
  const body = records.map((r) => writer.record(r)).join('');
  return writer.head(summary) + body + writer.end(summary);
}

describe('run summary', () => {
  it('counts outcomes, failures, skipped rows, unwritten mappings and the sequential time', () => {
    const s = summarise();
    expect(s.counts).toEqual({
      leads: 5,
      sent: 4,
      succeeded: 1,
      partlyMapped: 1,
      failed: 2,
      skipped: 1,
      notRun: 0,
      byOutcome: { updated: 2, ignored: 1, timeout: 1, 'not-sent': 1 },
    });
    expect(s.sequentialMs).toBe(30_082.5);
    expect(s.notWritten).toEqual({
      leads: 1,
      byReason: { 'path-not-found': 1 },
      byField: { Title: { 'path-not-found': 1 } },
      examples: [
        {
          line: 3,
          leadKey: 'b@x.com',
          field: 'Title',
          reason: 'path-not-found',
          message: 'no "title" in the response',
        },
      ],
    });
    expect(s.problems.count).toBe(1);
    expect(formatDuration(s.sequentialMs)).toBe('30.1 s');
    expect(formatDuration(100_000 * 50)).toBe('1 h 23 min');
  });

  it('counts each distinct diagnostic once per lead', () => {
    const b = createSummaryBuilder({ runId: 'r', webhook: 'w', leadsFile: 'f', startedAt: 'now' });
    const diag = {
      severity: 'warning' as const,
      code: 'token-empty',
      message: 'lead.Phone is empty',
      location: { part: 'template' as const },
    };
    const exchange = { diagnostics: [diag, diag] } as unknown as RunRecord['exchange'];
    b.add({ ...ok, exchange });
    const mappingDiag = { severity: 'info' as const, code: 'xml-single-element-index', message: 'both forms reach it' };
    b.add({
      ...ok,
      line: 3,
      exchange: {
        diagnostics: [{ ...diag, message: 'other text' }],
        mapping: { diagnostics: [mappingDiag] },
      } as unknown as RunRecord['exchange'],
    });
    expect(b.finish({ state: 'done', finishedAt: 'x', wallMs: 1, files: {} }).lint).toEqual([
      { severity: 'warning', code: 'token-empty', message: 'lead.Phone is empty', leads: 2 },
      { severity: 'info', code: 'xml-single-element-index', message: 'both forms reach it', leads: 1 },
    ]);
  });

  it('judges a lead by status, outcome and mappings', () => {
    const mapping = (written: boolean) => ({
      status: 200,
      outcome: 'updated' as const,
      mappings: [{ index: 0, attribute: 'a', field: 'f', found: written, value: 1, coerced: 1, written }],
      lead: { before: {}, after: {} },
      diagnostics: [],
    });
    const response = (status: number) => ({ status }) as never;
    expect(exchangeSucceeded({ outcome: 'updated', response: response(200), mapping: mapping(true) })).toBe(true);
    expect(exchangeSucceeded({ outcome: 'updated', response: response(200), mapping: mapping(false) })).toBe(false);
    expect(exchangeSucceeded({ outcome: 'ignored', response: response(404), mapping: undefined })).toBe(false);
    expect(exchangeSucceeded({ outcome: 'timeout', response: undefined, mapping: undefined })).toBe(false);
    expect(exchangeSucceeded({ outcome: 'empty-body', response: response(204), mapping: undefined })).toBe(true);
  });
});

/** The JSON report's row as an object, as the report wrote it before it had its own writer: the oracle. */
function compactRow(record: RunRecord): Record<string, unknown> {
  const row: Record<string, unknown> = {
    line: record.line,
    leadKey: record.leadKey,
    outcome: record.outcome,
    succeeded: record.succeeded,
    status: record.status,
    totalMs: record.totalMs,
    message: record.message,
    notWritten: record.notWritten,
    updates: record.updates,
  };
  if (record.problem !== undefined) row['problem'] = record.problem;
  if (record.notRun) row['notRun'] = true;
  if (record.attempts > 1) row['attempts'] = record.attempts;
  return row;
}

describe('reports', () => {
  it('writes the JSON row exactly as JSON.stringify would, whatever the record holds', () => {
    const odd: RunRecord[] = [
      { ...ok, totalMs: Number.NaN, line: -0, message: 'line\nbreak \u2028 "q" \\ \ud800' },
      { ...timeout, attempts: 3, totalMs: 1e21, leadKey: '\u0000🎉' },
      { ...ok, problem: 'missing columns', notRun: true, status: 0, updates: { A: null, B: 1.5, C: true } },
      { ...notWritten, totalMs: Infinity, attempts: 0 },
    ];
    for (const r of [...records, ...odd]) expect(compactJson(r)).toBe(JSON.stringify(compactRow(r)));
  });

  it('writes timings as JSON.stringify does, whatever the number', () => {
    const samples = [0, -0, 0.001, 0.01, 0.1, 1.005, 12.5, 99.99, 123.456, 1e9, 1e9 - 0.001, 1e21, -1.5, NaN, Infinity];
    // Timings as runs round them (two or three decimals), and doubles with more.
    for (let i = 0; i < 20_000; i++) {
      const whole = Math.floor(Math.random() * 100_000);
      samples.push(whole + Math.round(Math.random() * 1000) / 1000, whole + Math.round(Math.random() * 100) / 100);
      samples.push(Math.random() * 10 ** Math.floor(Math.random() * 12));
    }
    for (const n of samples) expect(jsonMs(n), String(n)).toBe(JSON.stringify(n));
  });

  it('writes a mapped number JSON cannot hold (Infinity) as an empty cell, as results.jsonl holds it (null)', () => {
    const fields = [{ soapName: 'AnnualRevenue', displayName: 'Annual Revenue' }];
    const huge: RunRecord = { ...ok, updates: { AnnualRevenue: Infinity } };
    const csv = createLeadUpdatesCsv(fields);
    expect(csv.record(huge)).toBe('a@x.com,\r\n');
    const html = createHtmlReport();
    html.record(huge);
    expect(html.end(summarise())).toContain('<td>AnnualRevenue = </td>');
  });

  it('escapes for XML only what needs it, and leaves other text as it is', () => {
    expect(escapeXml('plain lead@example.com 🎉')).toBe('plain lead@example.com 🎉');
    expect(escapeXml(`a&b<c>d"e'f\u0001g\ud800h`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f\uFFFDg\uFFFDh');
    expect(escapeXml('🎉\uFFFE')).toBe('🎉\uFFFD');
  });

  it('writes JUnit XML that validates against the JUnit schema, one test case per lead', () => {
    const xml = write(createJunitReport('Enrich <lead>'));
    expect(validateJunit(xml)).toEqual([]);
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect(xml.match(/<failure /g)).toHaveLength(4);
    expect(xml).toContain('tests="5" failures="4"');
    expect(xml).toContain('type="mapping-not-written"');
    expect(xml).toContain('message="HTTP 500: Internal \uFFFD Error"');
    expect(xml).toContain('name="line 4: c&lt;x&gt;@x.com"');
    expect(xml).toContain('timestamp="2026-11-27T18:00:00"');
  });

  it('has a JUnit validator that can say no', () => {
    expect(validateJunit('<testsuites><testsuite tests="1"><testcase/></testsuite></testsuites>')).toEqual([
      'testsuites/testsuite: required attribute name is missing',
      'testsuites/testsuite/testcase: required attribute name is missing',
    ]);
    expect(validateJunit('<testsuites><testsuite name="s" tests="x"><failure/></testsuite></testsuites>')).toEqual([
      'testsuites/testsuite: attribute tests="x" is not a valid int',
      'testsuites/testsuite: <failure> is not allowed here (or out of order)',
    ]);
    expect(validateJunit('<testsuites><testsuite')[0]).toMatch(/^not well-formed XML/);
  });

  it('writes a JSON report with the summary and every lead', () => {
    const parsed = JSON.parse(write(createJsonReport())) as {
      summary: { counts: { leads: number } };
      leads: Array<{ line: number; problem?: string }>;
    };
    expect(parsed.summary.counts.leads).toBe(5);
    expect(parsed.leads.map((l) => l.line)).toEqual([2, 3, 4, 5, 6]);
    expect(parsed.leads[4]?.problem).toBe('missing columns: expected 3 cells, found 2');
  });

  it('writes a self-contained HTML report with everything escaped', () => {
    const html = write(createHtmlReport());
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<(script|link|img)\b/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('Run of Enrich &lt;lead&gt;');
    expect(html).toContain('1 of 5 leads succeeded.');
    expect(html).toContain('5 lines: 4 sent (1 succeeded, 1 partly mapped, 2 failed), 1 bad row, 0 not run.');
    expect(html).toContain('mapping not written: Title (path-not-found)');
    expect(html.match(/<tr class="(ok|fail)">/g)).toHaveLength(5);
  });

  it('writes lead updates as a Marketo list import keyed by email, fields by display name', () => {
    const fields = mappedFields(
      [
        { attribute: 'company.name', field: 'Company' },
        { attribute: 'title', field: 'Title' },
        { attribute: 'x', field: 'company' },
      ],
      defaultFieldCatalog,
    );
    expect(fields).toEqual([
      { soapName: 'Company', displayName: 'Company Name' },
      { soapName: 'Title', displayName: 'Job Title' },
    ]);
    const csv = write(createLeadUpdatesCsv(fields));
    const parsed = parseCsv(csv);
    expect(parsed.problems).toEqual([]);
    expect(parsed.headers).toEqual(['Email Address', 'Company Name', 'Job Title']);
    expect(parsed.rows.map((r) => r.cells)).toEqual([
      ['a@x.com', 'Jack & Jill, "Inc"', ''],
      ['b@x.com', 'B Co', ''],
    ]);
  });
});
