import { createHash } from 'node:crypto';
import type { Exchange } from '@shared/model/exchange';
import { exchangeSucceeded, type RunRecord } from '@shared/runner/summary';
import { mappingResults } from './record-codec';
import type { LeadRow } from '@shared/runner/leads';
import { leadEmail, leadKey } from '@shared/runner/leads';

/**
 * Bodies up to this size are kept byte for byte in results.jsonl; a larger one keeps its first part
 * and, for the request, a SHA-256 of the whole, so 100,000 leads with big payloads stay a file a
 * person can open.
 */
export const KEPT_BODY_CHARS = 16 * 1024;

function cut(body: string, encoding: 'utf8' | 'base64'): string {
  if (encoding === 'base64') return body.slice(0, Math.floor(KEPT_BODY_CHARS / 4) * 4);
  // Do not split a surrogate pair: the cut text must stay valid UTF-16 (and so valid JSON text).
  const end = KEPT_BODY_CHARS;
  const last = body.charCodeAt(end - 1);
  return body.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}

function requestBody(exchange: Exchange): { exchange: Exchange; body: NonNullable<RunRecord['requestBody']> } {
  const { body, bodyEncoding } = exchange.request;
  const encoding = bodyEncoding === 'base64' ? 'base64' : 'utf8';
  if (body.length <= KEPT_BODY_CHARS)
    return { exchange, body: { bytes: Buffer.byteLength(body, encoding), truncated: false } };
  const bytes = Buffer.from(body, encoding);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    exchange: { ...exchange, request: { ...exchange.request, body: cut(body, bodyEncoding) } },
    body: { bytes: bytes.length, sha256, truncated: true },
  };
}

function trimResponse(exchange: Exchange): Exchange {
  const response = exchange.response;
  if (!response || response.body.length <= KEPT_BODY_CHARS) return exchange;
  return { ...exchange, response: { ...response, body: cut(response.body, response.bodyEncoding), truncated: true } };
}

/**
 * A run does not keep a lead's whole body over 1 MiB (the sender's temp file): a long run with large
 * answers would fill the temp folder until exit, and results.jsonl would name files deleted later. The
 * record keeps the body's first part, says the whole was not kept, and the caller deletes the file.
 */
export function withoutBodyFile(exchange: Exchange): { exchange: Exchange; file: string | undefined } {
  const response = exchange.response;
  const file = response?.bodyFile;
  if (!response || file === undefined) return { exchange, file: undefined };
  const { bodyFile: _file, ...rest } = response;
  return {
    exchange: {
      ...exchange,
      response: { ...rest, truncated: true },
      diagnostics: [
        ...exchange.diagnostics,
        {
          severity: 'info',
          code: 'body-file-not-kept',
          message: `the whole body (${response.bodyBytes} bytes) is not kept by a run; this record holds its first part`,
        },
      ],
    },
    file,
  };
}

/** What results.jsonl keeps of one lead's exchange. */
export function recordFromExchange(lead: LeadRow, sent: Exchange, attempts: number): RunRecord {
  const { exchange: withRequest, body } = requestBody(sent);
  const exchange = trimResponse(withRequest);
  const { notWritten, updates } = mappingResults(exchange.mapping);
  const record: RunRecord = {
    line: lead.line,
    leadKey: leadKey(lead),
    outcome: exchange.outcome,
    succeeded: exchangeSucceeded(exchange),
    totalMs: Math.round(exchange.timings.totalMs * 100) / 100,
    message: exchange.message,
    attempts,
    notWritten,
    updates,
    requestBody: body,
    exchange,
  };
  const email = leadEmail(lead);
  if (email !== undefined) record.email = email;
  if (exchange.response) record.status = exchange.response.status;
  if (exchange.mapping) record.leadAfter = exchange.mapping.lead.after;
  return record;
}

/** A row that was not sent because it could not be read. */
export function recordFromProblem(problem: { line: number; message: string }): RunRecord {
  return {
    line: problem.line,
    leadKey: `line ${problem.line}`,
    outcome: 'not-sent',
    succeeded: false,
    totalMs: 0,
    message: `line ${problem.line} not sent: ${problem.message}`,
    problem: problem.message,
    attempts: 0,
    notWritten: [],
    updates: {},
  };
}

/** A lead that has no exchange to record (its send threw, or the run stopped first): its line, key and email, and why. */
function recordWithoutExchange(
  lead: LeadRow,
  outcome: RunRecord['outcome'],
  message: string,
  attempts: number,
  extra: Partial<RunRecord> = {},
): RunRecord {
  const record: RunRecord = {
    line: lead.line,
    leadKey: leadKey(lead),
    outcome,
    succeeded: false,
    totalMs: 0,
    message,
    attempts,
    notWritten: [],
    updates: {},
    ...extra,
  };
  const email = leadEmail(lead);
  if (email !== undefined) record.email = email;
  return record;
}

/** A lead whose send threw instead of answering with an exchange (a bug or a refused input): still accounted for. */
export function recordFromError(lead: LeadRow, error: unknown, attempts: number): RunRecord {
  const message = error instanceof Error ? error.message : String(error);
  return recordWithoutExchange(lead, 'not-sent', `not sent: ${message}`, attempts);
}

/** A lead the run never sent because it stopped first: accounted for as not run, and sent by a resume. */
export function recordNotRun(lead: LeadRow, why: string): RunRecord {
  return recordWithoutExchange(lead, 'cancelled', `not run: ${why}`, 0, { notRun: true });
}

/**
 * What is written for a lead whose record cannot be (an answer nested too deep for JSON.stringify,
 * say): the lead keeps its line, key, status and outcome, and the reason, and the run carries on.
 */
export function recordUnwritable(record: RunRecord, error: unknown): RunRecord {
  const reason = error instanceof Error ? error.message : String(error);
  const safe: RunRecord = {
    line: record.line,
    leadKey: record.leadKey,
    outcome: record.outcome,
    succeeded: false,
    totalMs: record.totalMs,
    message: `the exchange could not be recorded (${reason}); ${record.message.slice(0, 500)}`,
    attempts: record.attempts,
    notWritten: [],
    updates: {},
  };
  if (record.email !== undefined) safe.email = record.email;
  if (record.status !== undefined) safe.status = record.status;
  if (record.problem !== undefined) safe.problem = record.problem;
  if (record.notRun) safe.notRun = true;
  return safe;
}

/** A lead an earlier run sent without recording its answer, not sent again on resume. */
export function recordUnanswered(lead: LeadRow): RunRecord {
  const record: RunRecord = {
    line: lead.line,
    leadKey: leadKey(lead),
    outcome: 'cancelled',
    succeeded: false,
    totalMs: 0,
    message:
      'sent by an earlier run that stopped before its answer was recorded; not sent again (--resend-unanswered sends it)',
    attempts: 1,
    notWritten: [],
    updates: {},
  };
  const email = leadEmail(lead);
  if (email !== undefined) record.email = email;
  return record;
}
