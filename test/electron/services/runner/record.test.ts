import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import type { Exchange } from '../../../../shared/model';
import { KEPT_BODY_CHARS, recordFromError, recordFromExchange, recordFromProblem } from '../../../../electron/services/runner/record';

function exchange(body: string, responseBody = '{}'): Exchange {
  return {
    id: 'x', webhook: 'w', startedAt: '2026-11-27T18:00:00.000Z',
    request: { method: 'POST', url: 'https://h/x', origin: 'https://h', requestTarget: '/x', head: 'POST /x HTTP/1.1\r\n\r\n', body, bodyEncoding: 'utf8' },
    response: { httpVersion: '1.1', status: 200, reason: 'OK', headers: [], head: 'HTTP/1.1 200 OK\r\n\r\n', body: responseBody, bodyEncoding: 'utf8', bodyBytes: Buffer.byteLength(responseBody), truncated: false },
    timings: { dnsMs: null, connectMs: null, tlsMs: null, sentMs: 1, ttfbMs: 2, downloadMs: 1, totalMs: 4.567 },
    outcome: 'updated', message: 'ok', redirects: [], diagnostics: [],
    mapping: {
      status: 200, outcome: 'updated',
      mappings: [
        { index: 0, attribute: 'a', field: 'Company', found: true, value: 'A', coerced: 'A', written: true },
        { index: 1, attribute: 'b', field: 'Title', found: false, value: null, coerced: null, written: false, reason: 'path-not-found', message: 'no b' },
      ],
      lead: { before: {}, after: { Company: 'A' } }, diagnostics: [],
    },
  };
}

const lead = { line: 7, values: { 'Email Address': 'a@x.com' } };

describe('results records', () => {
  it('keeps a small request body byte for byte, with updates and unwritten mappings', () => {
    const r = recordFromExchange(lead, exchange('{"e":"Zoë"}'), 1);
    expect(r).toMatchObject({
      line: 7, leadKey: 'a@x.com', email: 'a@x.com', status: 200, succeeded: false, totalMs: 4.57,
      updates: { Company: 'A' }, notWritten: [{ field: 'Title', reason: 'path-not-found', message: 'no b' }],
      requestBody: { bytes: 12, truncated: false }, leadAfter: { Company: 'A' },
    });
    expect(r.exchange?.request.body).toBe('{"e":"Zoë"}');
  });

  it('keeps the first part and a SHA-256 of a big body, never splitting a character', () => {
    const big = `${'a'.repeat(KEPT_BODY_CHARS - 1)}😀${'b'.repeat(5000)}`;
    const r = recordFromExchange(lead, exchange(big, 'x'.repeat(KEPT_BODY_CHARS + 10)), 1);
    expect(r.requestBody).toEqual({ bytes: Buffer.byteLength(big), sha256: createHash('sha256').update(big).digest('hex'), truncated: true });
    expect(r.exchange?.request.body).toBe('a'.repeat(KEPT_BODY_CHARS - 1));
    expect(r.exchange?.response?.body).toHaveLength(KEPT_BODY_CHARS);
    expect(r.exchange?.response?.truncated).toBe(true);
  });

  it('accounts for rows not sent and sends that threw', () => {
    expect(recordFromProblem({ line: 3, message: 'missing columns' })).toMatchObject({ line: 3, outcome: 'not-sent', succeeded: false, problem: 'missing columns', attempts: 0 });
    expect(recordFromError(lead, new Error('refused'), 1)).toMatchObject({ line: 7, outcome: 'not-sent', message: 'not sent: refused', email: 'a@x.com' });
  });
});
