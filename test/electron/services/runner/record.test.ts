import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import type { Exchange } from '@shared/model';
import { KEPT_BODY_CHARS, recordFromError, recordFromExchange, recordFromProblem } from '@services/runner/record';
import { packRecord, unpackRecord } from '@services/runner/record-codec';
import type { RunRecord } from '@shared/runner/summary';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanResults } from '@services/runner/results-file';

function exchange(body: string, responseBody = '{}'): Exchange {
  return {
    id: 'x',
    webhook: 'w',
    startedAt: '2026-11-27T18:00:00.000Z',
    request: {
      method: 'POST',
      url: 'https://h/x',
      origin: 'https://h',
      requestTarget: '/x',
      head: 'POST /x HTTP/1.1\r\n\r\n',
      body,
      bodyEncoding: 'utf8',
    },
    response: {
      httpVersion: '1.1',
      status: 200,
      reason: 'OK',
      headers: [],
      head: 'HTTP/1.1 200 OK\r\n\r\n',
      body: responseBody,
      bodyEncoding: 'utf8',
      bodyBytes: Buffer.byteLength(responseBody),
      truncated: false,
    },
    timings: { dnsMs: null, connectMs: null, tlsMs: null, sentMs: 1, ttfbMs: 2, downloadMs: 1, totalMs: 4.567 },
    outcome: 'updated',
    message: 'ok',
    redirects: [],
    diagnostics: [],
    mapping: {
      status: 200,
      outcome: 'updated',
      mappings: [
        { index: 0, attribute: 'a', field: 'Company', found: true, value: 'A', coerced: 'A', written: true },
        {
          index: 1,
          attribute: 'b',
          field: 'Title',
          found: false,
          value: null,
          coerced: null,
          written: false,
          reason: 'path-not-found',
          message: 'no b',
        },
      ],
      lead: { before: {}, after: { Company: 'A' } },
      diagnostics: [],
    },
  };
}

const lead = { line: 7, values: { 'Email Address': 'a@x.com' } };

describe('results records', () => {
  it('keeps a small request body byte for byte, with updates and unwritten mappings', () => {
    const r = recordFromExchange(lead, exchange('{"e":"Zoë"}'), 1);
    expect(r).toMatchObject({
      line: 7,
      leadKey: 'a@x.com',
      email: 'a@x.com',
      status: 200,
      succeeded: false,
      totalMs: 4.57,
      updates: { Company: 'A' },
      notWritten: [{ field: 'Title', reason: 'path-not-found', message: 'no b' }],
      requestBody: { bytes: 12, truncated: false },
      leadAfter: { Company: 'A' },
    });
    expect(r.exchange?.request.body).toBe('{"e":"Zoë"}');
  });

  it('keeps the first part and a SHA-256 of a big body, never splitting a character', () => {
    const big = `${'a'.repeat(KEPT_BODY_CHARS - 1)}😀${'b'.repeat(5000)}`;
    const r = recordFromExchange(lead, exchange(big, 'x'.repeat(KEPT_BODY_CHARS + 10)), 1);
    expect(r.requestBody).toEqual({
      bytes: Buffer.byteLength(big),
      sha256: createHash('sha256').update(big).digest('hex'),
      truncated: true,
    });
    expect(r.exchange?.request.body).toBe('a'.repeat(KEPT_BODY_CHARS - 1));
    expect(r.exchange?.response?.body).toHaveLength(KEPT_BODY_CHARS);
    expect(r.exchange?.response?.truncated).toBe(true);
  });

  it('accounts for rows not sent and sends that threw', () => {
    expect(recordFromProblem({ line: 3, message: 'missing columns' })).toMatchObject({
      line: 3,
      outcome: 'not-sent',
      succeeded: false,
      problem: 'missing columns',
      attempts: 0,
    });
    expect(recordFromError(lead, new Error('refused'), 1)).toMatchObject({
      line: 7,
      outcome: 'not-sent',
      message: 'not sent: refused',
      email: 'a@x.com',
    });
  });
});

describe('results.jsonl lines', () => {
  const withHead = (e: Exchange, head: string, headers: Array<{ name: string; value: string }>): Exchange => ({
    ...e,
    response: { ...(e.response as NonNullable<Exchange['response']>), head, headers },
  });
  const realistic = withHead(
    {
      ...exchange('{"email":"a@x.com"}', '{"company":{"name":"Acme"}}'),
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:8080/enrich?email=a@x.com',
        origin: 'http://127.0.0.1:8080',
        requestTarget: '/enrich?email=a@x.com',
        head: 'POST /enrich?email=a@x.com HTTP/1.1\r\nhost: 127.0.0.1:8080\r\nconnection: keep-alive\r\ncontent-length: 19\r\n\r\n',
        body: '{"email":"a@x.com"}',
        bodyEncoding: 'utf8',
      },
      diagnostics: [
        { severity: 'info', code: 'profile-assumptions', message: 'rests on defaults', assumed: ['jsonNonAscii'] },
      ],
    },
    'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nDate: Fri, 27 Nov 2026 21:04:14 GMT\r\n\r\n',
    [
      { name: 'content-type', value: 'application/json' },
      { name: 'Date', value: 'Fri, 27 Nov 2026 21:04:14 GMT' },
    ],
  );
  const roundTrip = (r: RunRecord): RunRecord => unpackRecord(packRecord(r));

  it('reads back every record exactly as it was written', () => {
    const cases: RunRecord[] = [
      recordFromExchange(lead, realistic, 1),
      recordFromExchange(lead, exchange('{"e":"Zoë"}'), 2),
      recordFromExchange(lead, exchange(`${'a'.repeat(KEPT_BODY_CHARS)}tail`, 'x'.repeat(KEPT_BODY_CHARS + 10)), 1),
      recordFromProblem({ line: 3, message: 'missing columns' }),
      recordFromError(lead, new Error('refused'), 1),
      // Nothing left the machine: no head, no response, an outcome of its own.
      recordFromExchange(
        lead,
        {
          ...exchange(''),
          request: { ...exchange('').request, head: '' },
          response: undefined,
          mapping: undefined,
          outcome: 'not-sent',
          message: 'not sent: bad URL',
        },
        1,
      ),
      // A server writing `Name:value` keeps its parsed headers; an HTTP/1.0 answer keeps its version.
      recordFromExchange(
        lead,
        withHead(realistic, 'HTTP/1.0 200 OK\r\nX-A:1\r\n\r\n', [{ name: 'X-A', value: '1' }]),
        1,
      ),
      // Sent to the catcher (the origin is not the URL's) through a proxy that got the absolute form.
      recordFromExchange(
        lead,
        {
          ...realistic,
          request: {
            ...realistic.request,
            origin: 'http://127.0.0.1:9999',
            head: `POST http://127.0.0.1:8080/enrich?email=a@x.com HTTP/1.1\r\n\r\n`,
          },
        },
        1,
      ),
      // A binary answer, a redirect and a network error.
      recordFromExchange(
        lead,
        {
          ...realistic,
          response: {
            ...(realistic.response as NonNullable<Exchange['response']>),
            body: 'AAEC',
            bodyEncoding: 'base64',
            bodyFile: '/tmp/b.body',
          },
          redirects: [{ status: 302, location: '/x' }],
          error: { code: 'E', message: 'm' },
        },
        1,
      ),
      // A mapping report whose lead after lacks a key of the lead before cannot be rebuilt from changes.
      recordFromExchange(
        lead,
        {
          ...realistic,
          mapping: {
            ...(realistic.mapping as NonNullable<Exchange['mapping']>),
            lead: { before: { A: 1, B: 2 }, after: { A: 3 } },
            errorType: 'Bad',
          },
        },
        1,
      ),
    ];
    for (const r of cases) {
      expect(roundTrip(r)).toEqual(r);
      // The compact line is the line of the record without its exchange, lead after and request body.
      const { exchange: _exchange, leadAfter: _after, requestBody: _body, ...compact } = r;
      if (r.exchange) expect(packRecord(r, false)).toBe(packRecord(compact));
    }
  });

  it('leaves out what the rest of the line repeats, so a typical lead costs far fewer bytes', () => {
    const r = recordFromExchange(lead, realistic, 1);
    const line = packRecord(r);
    expect(line.length).toBeLessThan(JSON.stringify(r).length * 0.7);
    const parsed = JSON.parse(line) as {
      exchange: Record<string, unknown> & { response: Record<string, unknown>; request: Record<string, unknown> };
    };
    expect(parsed.exchange.response['headers']).toBeUndefined();
    expect(parsed.exchange.request['requestTarget']).toBeUndefined();
    expect(parsed.exchange['message']).toBeUndefined();
  });

  it('reads a line written whole (the first format) the same way', () => {
    const r = recordFromExchange(lead, realistic, 1);
    expect(unpackRecord(JSON.stringify(r))).toEqual(r);
  });
});

describe('results.jsonl numbers', () => {
  it('writes every timing as JSON would, whatever its decimals', () => {
    const values = [
      0,
      0.001,
      0.01,
      0.1,
      0.5,
      1,
      1.047,
      1.04,
      1.4,
      12.345,
      30000,
      0.123456789,
      1e9 + 0.5,
      2.0000000001,
      999.999,
      100.05,
    ];
    for (const v of values) {
      const r = recordFromExchange(
        lead,
        {
          ...exchange('{}'),
          timings: { dnsMs: v, connectMs: null, tlsMs: v, sentMs: v, ttfbMs: v, downloadMs: v, totalMs: v },
        },
        1,
      );
      const parsed = JSON.parse(packRecord(r)) as { exchange: { timings: Record<string, number | null> } };
      expect(parsed.exchange.timings).toEqual(r.exchange?.timings);
      expect(JSON.stringify(parsed.exchange.timings)).toBe(JSON.stringify(r.exchange?.timings));
    }
  });

  it('keeps the lists of a record whose two mappings write one field', () => {
    const base = exchange('{}');
    const mapping = base.mapping as NonNullable<Exchange['mapping']>;
    const twice = {
      ...base,
      mapping: {
        ...mapping,
        mappings: [mapping.mappings[0]!, { ...mapping.mappings[0]!, index: 1, value: 'B', coerced: 'B' }],
      },
    };
    const r = recordFromExchange(lead, twice, 1);
    expect(unpackRecord(packRecord(r))).toEqual(r);
    expect(r.updates).toEqual({ Company: 'B' });
  });
});

describe('reading a results file back', () => {
  it('names the file and line of a line that is not a record, after reading the ones before it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'results-read-'));
    try {
      const file = path.join(dir, 'results.jsonl');
      const good = recordFromProblem({ line: 2, message: 'missing columns' });
      const text = `${packRecord(good)}\n{"line":3,"leadKey":\n`;
      await writeFile(file, text);
      const read: RunRecord[] = [];
      const failure = await scanResults(file, 0, Buffer.byteLength(text), (r) => read.push(r) > 0).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(read).toEqual([good]);
      expect(failure?.message).toMatch(/results\.jsonl: line 2 after byte 0 is not a results record/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
