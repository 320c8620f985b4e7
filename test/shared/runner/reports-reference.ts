/*
 * The report rows as the writers wrote them before their fast paths (8 Dec 2026), kept as the reference
 * the differential tests compare the writers with: same record in, same bytes out.
 */
import type { Scalar } from '@shared/model/context';
import { escapeXml } from '@shared/runner/reports';
import { jsonMs, jsonNumber as num } from '@shared/runner/json-number';
import { failureText, type RunRecord } from '@shared/runner/summary';

const str = JSON.stringify;

export function referenceJsonRow(record: RunRecord): string {
  let out = `{"line":${num(record.line)},"leadKey":${str(record.leadKey)},"outcome":${str(record.outcome)},"succeeded":${record.succeeded}`;
  if (record.status !== undefined) out += `,"status":${num(record.status)}`;
  out += `,"totalMs":${jsonMs(record.totalMs)},"message":${str(record.message)},"notWritten":${str(record.notWritten)},"updates":${str(record.updates)}`;
  if (record.problem !== undefined) out += `,"problem":${str(record.problem)}`;
  if (record.notRun) out += ',"notRun":true';
  if (record.attempts > 1) out += `,"attempts":${num(record.attempts)}`;
  return `${out}}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export function referenceJunitRow(suiteName: string, record: RunRecord): string {
  const suite = escapeXml(suiteName);
  const name = escapeXml(`line ${record.line}: ${record.leadKey}`);
  const open = `    <testcase name="${name}" classname="${suite}" time="${seconds(record.totalMs)}"`;
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
}

function formatScalar(value: Scalar): string {
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return '';
  return String(value);
}

export function referenceHtmlRow(record: RunRecord): string {
  const detail = record.succeeded
    ? Object.entries(record.updates)
        .map(([k, v]) => `${k} = ${formatScalar(v)}`)
        .join(', ')
    : failureText(record);
  return `<tr class="${record.succeeded ? 'ok' : 'fail'}"><td>${record.line}</td><td>${escapeXml(record.leadKey)}</td><td>${escapeXml(record.outcome)}</td><td>${record.status ?? ''}</td><td>${Math.round(record.totalMs)}</td><td>${escapeXml(detail)}</td></tr>\n`;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}

export function referenceCsvRow(fields: Array<{ soapName: string }>, record: RunRecord): string {
  if (!record.email || Object.keys(record.updates).length === 0) return '';
  const cells = [
    record.email,
    ...fields.map((f) =>
      Object.hasOwn(record.updates, f.soapName) ? formatScalar(record.updates[f.soapName] ?? null) : '',
    ),
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}
