import type { Scalar } from '../model/context';
import type { FieldCatalog } from '../model/field-catalog';
import type { ResponseMapping } from '../model/webhook';
import { findField, findFieldBySoapName } from '../catalog';
import { createJsonTextMemo, jsonList, jsonMs, jsonNumber as num, jsonString } from './json-number';
import { accountingText, didNotSucceed, failureText, formatDuration, type RunRecord, type RunSummary } from './summary';

/**
 * Report writers. Each is fed every record in file order while the run writes results.jsonl, and
 * answers the text of that record's rows (the body); once the run is over, `head` is what goes before
 * the body (the figures of the run) and `end` what goes after. The body is written as it comes, so a
 * report of 100,000 leads never holds the leads in memory and results.jsonl is never read back.
 */
export interface ReportWriter {
  fileName: string;
  record(record: RunRecord): string;
  head(summary: RunSummary): string;
  end(summary: RunSummary): string;
}

/** What a report knows before the run's figures: the webhook's name and the lead fields its mappings write. */
export interface ReportSetup {
  webhook: string;
  updateFields: Array<{ soapName: string; displayName: string }>;
  /**
   * The leads file's data lines, when they were counted before the run: over the HTML row limit,
   * report.html lists only the leads that did not succeed, so the list of every lead is not built.
   */
  leads?: number | null;
}

export const reporterNames = ['json', 'junit', 'html', 'csv'] as const;
export type ReporterName = (typeof reporterNames)[number];

/** XML 1.0 cannot carry most control characters or lone surrogates, even escaped. */
const xmlInvalid =
  // eslint-disable-next-line no-control-regex -- the control characters XML cannot carry are what is being replaced
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Any character escapeXml changes; most names and messages have none, and skip the six replacements. */
const xmlSpecial =
  // eslint-disable-next-line no-control-regex -- the control characters XML cannot carry are among what is looked for
  /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;

export function escapeXml(text: string): string {
  if (!xmlSpecial.test(text)) return text;
  return text
    .replace(xmlInvalid, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const escapeHtml = escapeXml;

/**
 * `(ms / 1000).toFixed(3)`: that is the nearest whole number of milliseconds with three decimals, which is
 * written from Math.round(ms) unless the fraction is within a hair of a half (there the division's
 * rounding could tip it, and toFixed decides). toFixed is the costlier call. Speed: docs/performance.md#runner
 */
export function seconds(ms: number): string {
  if (ms >= 0 && ms < 1e9 && Math.abs(ms - Math.floor(ms) - 0.5) > 1e-6) {
    const whole = Math.round(ms);
    const s = Math.floor(whole / 1000);
    const frac = whole - s * 1000;
    return `${s}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
  }
  return (ms / 1000).toFixed(3);
}

const outcomeJson = createJsonTextMemo();
const messageJson = createJsonTextMemo();

/**
 * The lead-level row each report shows, as the JSON report lists it: written in one pass, without an
 * intermediate object for JSON.stringify (the costliest part of the reports). `reports.test.ts` checks it
 * against JSON.stringify of that object.
 * Speed: docs/performance.md#runner
 */
export function compactJson(record: RunRecord): string {
  const str = JSON.stringify;
  let out = `{"line":${num(record.line)},"leadKey":${jsonString(record.leadKey)},"outcome":${outcomeJson(record.outcome)},"succeeded":${record.succeeded}`;
  if (record.status !== undefined) out += `,"status":${num(record.status)}`;
  out += `,"totalMs":${jsonMs(record.totalMs)},"message":${messageJson(record.message)},"notWritten":${jsonList(record.notWritten)},"updates":${str(record.updates)}`;
  if (record.problem !== undefined) out += `,"problem":${str(record.problem)}`;
  if (record.notRun) out += ',"notRun":true';
  if (record.attempts > 1) out += `,"attempts":${num(record.attempts)}`;
  return `${out}}`;
}

export function createJsonReport(): ReportWriter {
  let first = true;
  return {
    fileName: 'report.json',
    record(record) {
      const text = `${first ? '' : ',\n'}${compactJson(record)}`;
      first = false;
      return text;
    },
    head(summary) {
      return `{\n"summary": ${JSON.stringify(summary, null, 2)},\n"leads": [\n`;
    },
    end() {
      return '\n]\n}\n';
    },
  };
}

/** JUnit XML as CI servers read it: one test suite per run, one test case per lead. */
export function createJunitReport(webhook: string): ReportWriter {
  const suite = escapeXml(webhook);
  // What follows a test case's name: the same on every row, so put together once.
  const afterName = `" classname="${suite}" time="`;
  return {
    fileName: 'junit.xml',
    head(summary) {
      const time = seconds(summary.wallMs);
      // Bad rows, partly mapped and failed leads are failures; leads not run are skipped test cases.
      const failures = didNotSucceed(summary.counts) - summary.counts.notRun;
      const stamp = summary.startedAt.replace(/\.\d+Z$/, '').replace(/Z$/, '');
      const props = [
        ['leadsFile', summary.leadsFile],
        ['context', summary.context ?? ''],
        ['state', summary.state],
        ['sequentialMs', String(summary.sequentialMs)],
      ]
        .map(([name, value]) => `      <property name="${escapeXml(name ?? '')}" value="${escapeXml(value ?? '')}"/>\n`)
        .join('');
      return (
        `<?xml version="1.0" encoding="UTF-8"?>\n` +
        `<testsuites name="webhook-studio run" tests="${summary.counts.leads}" failures="${failures}" errors="0" skipped="${summary.counts.notRun}" time="${time}">\n` +
        `  <testsuite name="${suite}" id="0" package="webhook-studio" hostname="localhost" timestamp="${escapeXml(stamp)}" ` +
        `tests="${summary.counts.leads}" failures="${failures}" errors="0" skipped="${summary.counts.notRun}" time="${time}">\n` +
        `    <properties>\n${props}    </properties>\n`
      );
    },
    record(record) {
      // "line N: " holds nothing to escape, so the key alone is escaped (the same text, one concatenation less).
      const open = `    <testcase name="line ${record.line}: ${escapeXml(record.leadKey)}${afterName}${seconds(record.totalMs)}"`;
      if (record.succeeded) return `${open}/>\n`;
      if (record.notRun) return `${open}>\n      <skipped message="${escapeXml(record.message)}"/>\n    </testcase>\n`;
      const message = failureText(record);
      const type =
        record.problem !== undefined
          ? 'bad-row'
          : record.status === undefined
            ? record.outcome
            : record.status < 200 || record.status > 299
              ? 'non-2xx'
              : 'mapping-not-written';
      const details = [
        `outcome: ${record.outcome}`,
        record.status !== undefined ? `status: ${record.status}` : undefined,
        record.message ? `message: ${record.message}` : undefined,
        ...record.notWritten.map((n) => `not written: ${n.field} (${n.reason})${n.message ? `: ${n.message}` : ''}`),
      ]
        .filter((line): line is string => line !== undefined)
        .join('\n');
      return `${open}>\n      <failure message="${escapeXml(message)}" type="${escapeXml(type)}">${escapeXml(details)}</failure>\n    </testcase>\n`;
    },
    end() {
      return '    <system-out/>\n    <system-err/>\n  </testsuite>\n</testsuites>\n';
    },
  };
}

const HTML_ROW_LIMIT = 5_000;

/** The top of report.html: the figures of the run, then the head of the leads table. */
function htmlHead(summary: RunSummary, onlyFailures: boolean): string {
  const c = summary.counts;
  const lat = summary.latency;
  const kv = (rows: Array<[string, string]>): string =>
    `<table class="kv">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
  const outcomes = Object.entries(c.byOutcome).map(([k, v]): [string, string] => [k, String(v)]);
  const reasons = Object.entries(summary.notWritten.byReason).map(([k, v]): [string, string] => [k, `${v} mapping(s)`]);
  const lint = summary.lint
    .map(
      (d) =>
        `<tr><td>${escapeHtml(d.severity)}</td><td>${escapeHtml(d.code)}</td><td>${escapeHtml(d.message)}</td><td>${d.leads}</td></tr>`,
    )
    .join('');
  const problems = summary.problems.examples.map((p) => `<li>line ${p.line}: ${escapeHtml(p.message)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Run of ${escapeHtml(summary.webhook)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1d1d1f}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:.25rem .5rem;text-align:left;vertical-align:top}
table.kv th{background:#f3f4f8;font-weight:600}
tr.fail td{background:#fdecec}tr.ok td{background:#eefaf0}
.big{font-size:1.2rem;font-weight:600}
</style></head><body>
<h1>Run of ${escapeHtml(summary.webhook)}</h1>
<p class="big">${c.succeeded} of ${c.leads} leads succeeded.</p>
<p data-accounting>${escapeHtml(accountingText(c))}.</p>
${kv([
  ['Leads file', summary.leadsFile],
  ['Context', summary.context ?? '(none)'],
  ['State', summary.state + (summary.message ? `: ${summary.message}` : '')],
  ['Started', summary.startedAt],
  ['Wall time', formatDuration(summary.wallMs)],
  ['Marketo, one lead after another', formatDuration(summary.sequentialMs)],
  [
    'Latency p50 / p90 / p95 / p99',
    lat ? `${lat.p50Ms} / ${lat.p90Ms} / ${lat.p95Ms} / ${lat.p99Ms} ms` : 'no requests',
  ],
  ['Latency min / mean / max', lat ? `${lat.minMs} / ${lat.meanMs} / ${lat.maxMs} ms` : 'no requests'],
])}
<h2>Outcomes</h2>
${kv(outcomes)}
<h2>Mappings not written</h2>
${reasons.length ? `<p>${summary.notWritten.leads} lead(s) missed at least one mapping.</p>${kv(reasons)}` : '<p>Every mapping was written.</p>'}
<h2>Lint</h2>
${lint ? `<table><tr><th>Severity</th><th>Code</th><th>Message</th><th>Leads</th></tr>${lint}</table>` : '<p>No diagnostics.</p>'}
${problems ? `<h2>Malformed rows (${summary.problems.count})</h2><ul>${problems}</ul>` : ''}
<h2>Leads${onlyFailures ? ' that did not succeed' : ''}</h2>
<table><tr><th>Line</th><th>Lead</th><th>Outcome</th><th>Status</th><th>ms</th><th>Detail</th></tr>
`;
}

/** The rows of report.html kept while the run goes: every lead's, or only those that did not succeed. */
interface HtmlRows {
  text: string;
  shown: number;
  left: number;
}

/** What a succeeded lead's row says: the fields written, `Company = Acme, Title = CEO`. */
function updatesText(updates: Record<string, Scalar>): string {
  let text = '';
  for (const key in updates) text += `${text === '' ? '' : ', '}${key} = ${formatScalar(updates[key] as Scalar)}`;
  return text;
}

/** One lead's row of report.html. Speed: docs/performance.md#runner */
export function htmlRow(record: RunRecord): string {
  const detail = record.succeeded ? updatesText(record.updates) : failureText(record);
  return `<tr class="${record.succeeded ? 'ok' : 'fail'}"><td>${record.line}</td><td>${escapeHtml(record.leadKey)}</td><td>${escapeHtml(record.outcome)}</td><td>${record.status ?? ''}</td><td>${Math.round(record.totalMs)}</td><td>${escapeHtml(detail)}</td></tr>\n`;
}

/** Adds the row to the list, or counts it as left out once the list is full; answers the row for the next list. */
function keepRow(rows: HtmlRows, record: RunRecord, row: string | undefined): string | undefined {
  if (rows.shown >= HTML_ROW_LIMIT) {
    rows.left++;
    return row;
  }
  const text = row ?? htmlRow(record);
  rows.shown++;
  rows.text += text;
  return text;
}

/**
 * One HTML file with its styles inline: opens anywhere, needs no network. Over HTML_ROW_LIMIT leads it
 * lists only the leads that did not succeed. When the leads were counted before the run (`leads`), that
 * is known from the start; else only at the end, so both lists are kept as the records come (each at
 * most HTML_ROW_LIMIT rows) and the end picks one.
 */
export function createHtmlReport(leads?: number | null): ReportWriter {
  // Known to be over the limit: the every-lead list would be built only to be dropped at the end.
  const failuresKnown = leads !== undefined && leads !== null && leads > HTML_ROW_LIMIT;
  const all: HtmlRows = { text: '', shown: 0, left: 0 };
  const failed: HtmlRows = { text: '', shown: 0, left: 0 };
  const onlyFailures = (summary: RunSummary): boolean => failuresKnown || summary.counts.leads > HTML_ROW_LIMIT;
  return {
    fileName: 'report.html',
    record(record) {
      if (failuresKnown) {
        if (!record.succeeded) keepRow(failed, record, undefined);
        return '';
      }
      // The row is written once at most, and not at all once both lists it would join are full.
      const row = keepRow(all, record, undefined);
      if (!record.succeeded) keepRow(failed, record, row);
      return '';
    },
    head(summary) {
      return htmlHead(summary, onlyFailures(summary));
    },
    end(summary) {
      const rows = onlyFailures(summary) ? failed : all;
      const more = rows.left > 0 ? `<p>${rows.left} more lead(s) are in results.jsonl.</p>` : '';
      return `${rows.text}</table>\n${more}\n</body></html>\n`;
    },
  };
}

/** A mapped value as a cell: empty for none, and for a number JSON cannot hold (1e999 read as Infinity), as results.jsonl has it (null). */
function formatScalar(value: Scalar): string {
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return '';
  return String(value);
}

/** True when the lead got at least one field (Object.keys would build the list of them to count it). */
function hasField(updates: Record<string, Scalar>): boolean {
  for (const key in updates) if (Object.hasOwn(updates, key)) return true;
  return false;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The lead fields a webhook's mappings write, as (SOAP name, display name) pairs, in mapping order. */
export function mappedFields(
  mappings: ResponseMapping[],
  fields: FieldCatalog,
): Array<{ soapName: string; displayName: string }> {
  const seen = new Set<string>();
  const out: Array<{ soapName: string; displayName: string }> = [];
  for (const m of mappings) {
    const key = m.field.trim().toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const field = findFieldBySoapName(fields, m.field) ?? findField(fields, m.field);
    out.push({ soapName: m.field, displayName: field?.displayName ?? m.field });
  }
  return out;
}

/**
 * The lead updates as a Marketo list import: Email Address, then each mapped field by display name.
 * Only leads with an email address and at least one written mapping appear; a field a lead did not
 * get is left blank, which a Marketo import leaves unchanged.
 */
export function createLeadUpdatesCsv(fields: Array<{ soapName: string; displayName: string }>): ReportWriter {
  return {
    fileName: 'lead-updates.csv',
    head() {
      return `${['Email Address', ...fields.map((f) => f.displayName)].map(csvCell).join(',')}\r\n`;
    },
    record(record) {
      const updates = record.updates;
      if (!record.email || !hasField(updates)) return '';
      // One text built cell by cell: no list of cells, no spread. Speed: docs/performance.md#runner
      let row = csvCell(record.email);
      for (const f of fields)
        row += Object.hasOwn(updates, f.soapName) ? `,${csvCell(formatScalar(updates[f.soapName] ?? null))}` : ',';
      return `${row}\r\n`;
    },
    end() {
      return '';
    },
  };
}

export function createReportWriter(name: ReporterName, setup: ReportSetup): ReportWriter {
  switch (name) {
    case 'json':
      return createJsonReport();
    case 'junit':
      return createJunitReport(setup.webhook);
    case 'html':
      return createHtmlReport(setup.leads);
    case 'csv':
      return createLeadUpdatesCsv(setup.updateFields);
  }
}
