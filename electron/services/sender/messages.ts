import type { MappingReport } from '@shared/model';
import { ConnectFailure } from '../net/connect-failure';

/** A network failure as a stable code and a sentence a person can act on. */
export function describeNetworkError(
  err: Error,
  where: string,
  context: { gotHeaders: boolean; bodyBytes: number; sent: boolean },
): { code: string; message: string } {
  if (err instanceof ConnectFailure) return { code: err.code, message: err.message };
  const code = (err as { code?: unknown }).code;
  const parserError = err.name === 'HTTPParserError';
  const c = typeof code === 'string' ? code : parserError ? 'HPE_INVALID_RESPONSE' : 'ERROR';
  if (c.startsWith('HPE_') || parserError) {
    return {
      code: c,
      message: `${where} answered with something that is not valid HTTP/1.1 (${c}: ${err.message}); Marketo could not read this answer either, so it writes no lead field`,
    };
  }
  if (c === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' && !context.gotHeaders) {
    // undici reports a head it rejects for its Content-Length (e.g. two different ones) this way.
    return {
      code: c,
      message: `${where} answered with a head whose Content-Length cannot be trusted (given twice with different values, or not matching the body); Marketo could not read this answer either, so it writes no lead field`,
    };
  }
  if (c === 'UND_ERR_SOCKET' || c === 'ECONNRESET' || c === 'EPIPE' || c === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    const how = c === 'ECONNRESET' ? 'reset the connection' : 'closed the connection';
    if (context.gotHeaders) {
      return {
        code: c,
        message: `${where} ${how} in the middle of the response body, after ${context.bodyBytes} byte(s); the answer is incomplete`,
      };
    }
    if (err.message !== 'other side closed' && c === 'UND_ERR_SOCKET') {
      return {
        code: c,
        message: `${where} sent an answer that cannot be accepted (${err.message}) and the connection was dropped; it may still have acted on the request`,
      };
    }
    return {
      code: c,
      message: context.sent
        ? `${where} ${how} without answering; it may still have acted on the request`
        : `${where} ${how} before the request was written`,
    };
  }
  if (c === 'UND_ERR_INFO' || c === 'UND_ERR_CLOSED' || c === 'UND_ERR_DESTROYED') {
    return { code: c, message: `the connection to ${where} was closed before an answer came (${err.message})` };
  }
  if (c === 'UND_ERR_INVALID_ARG') {
    return { code: c, message: `the request could not be written as rendered: ${err.message}` };
  }
  return { code: c, message: `the request to ${where} failed (${c}): ${err.message}` };
}

/**
 * The last "would write" sentence and what it was made from: a run answers lead after lead with the same
 * status and the same fields written, so the sentence is reused rather than built again per send.
 */
let lastUpdated = { status: 0, reason: '', count: -1, fields: '', total: -1, text: '' };

function updatedText(report: MappingReport, status: number, reason: string): string {
  // One pass for the count and the names (a message per send, so no intermediate arrays).
  let count = 0;
  let fields = '';
  for (const m of report.mappings) {
    if (!m.written) continue;
    fields = count === 0 ? m.field : `${fields}, ${m.field}`;
    count++;
  }
  const total = report.mappings.length;
  const last = lastUpdated;
  if (
    last.status === status &&
    last.reason === reason &&
    last.count === count &&
    last.total === total &&
    last.fields === fields
  )
    return last.text;
  const statusText = `HTTP ${status}${reason ? ` ${reason}` : ''}`;
  const skipped = total - count;
  const text =
    total === 0
      ? `${statusText}: a 2xx answer; the webhook has no response mappings, so no lead field changes`
      : `${statusText}: Marketo would write ${count} lead field(s)${count ? ` (${fields})` : ''}${skipped ? `; ${skipped} mapping(s) not written, see the mapping report` : ''}`;
  lastUpdated = { status, reason, count, fields, total, text };
  return text;
}

export function answeredMessage(
  report: MappingReport,
  status: number,
  reason: string,
  extra: { redirectTo?: string; truncatedAt?: number },
): string {
  let text: string;
  switch (report.outcome) {
    case 'updated':
      text = updatedText(report, status, reason);
      break;
    case 'empty-body':
      text = `HTTP ${status}${reason ? ` ${reason}` : ''} with an empty body: Marketo records code 1001 and writes no lead field`;
      break;
    default:
      text = `HTTP ${status}${reason ? ` ${reason}` : ''}: not 2xx, so Marketo writes no lead field; the "Webhook is Called" Error Type is '${report.errorType ?? reason}'`;
  }
  if (extra.truncatedAt === undefined && extra.redirectTo === undefined) return text;
  const notes: string[] = [];
  if (extra.truncatedAt !== undefined)
    notes.push(
      `the body was cut at ${extra.truncatedAt} bytes (profile option maxResponseBytes); mappings saw only that part`,
    );
  if (extra.redirectTo !== undefined)
    notes.push(
      `the redirect to ${extra.redirectTo} was not followed (profile option followRedirects is off, as Marketo's behaviour here is not documented)`,
    );
  return `${text}. Note: ${notes.join('; ')}`;
}

export function timeoutMessage(timeoutMs: number, sent: boolean): string {
  return sent
    ? `no complete answer within ${timeoutMs} ms: Marketo gives up at this point and writes no lead field, but a timeout does not mean the call failed: the service may still have acted on it`
    : `could not even send the request within ${timeoutMs} ms (connecting took too long); Marketo would log a timeout`;
}

export function cancelledMessage(sent: boolean): string {
  return sent
    ? 'cancelled after the request was sent: the service may still have acted on it'
    : 'cancelled before the request was sent';
}
