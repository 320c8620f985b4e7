import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderWebhook } from '@shared/engine';
import { detectImportFormat } from '@shared/formats/detect';
import { looksLikeHttpRequest, maxHttpRequestChars, parseHttpRequest } from '@shared/formats/http-request-import';
import { parseCurl } from '@shared/formats/curl';
import { tokenContextSchema } from '@shared/model';

function ok(text: string) {
  const r = parseHttpRequest(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

function failure(text: string) {
  const r = parseHttpRequest(text);
  if (r.ok) throw new Error(`read as a webhook: ${JSON.stringify(r.value.webhook)}`);
  return r;
}

describe('raw HTTP request import', () => {
  it('CRLF: method, origin from Host (https), target verbatim, headers, body; Host and Content-Length dropped', () => {
    const body = '{"name":"Jack & Jill","path":"a\\\\b"}';
    const text = [
      'POST /v1/lead?x=1&y=%26z&q=a%20b HTTP/1.1',
      'Host: hooks.example.com',
      'Content-Type: application/json; charset=utf-8',
      'Authorization: Bearer abc',
      `Content-Length: ${body.length}`,
      '',
      body,
    ].join('\r\n');
    const { webhook, notCarried } = ok(text);
    expect(webhook).toMatchObject({
      name: 'POST hooks.example.com/v1/lead',
      method: 'POST',
      url: 'https://hooks.example.com/v1/lead?x=1&y=%26z&q=a%20b',
      encoding: 'json',
      headers: [
        { name: 'Content-Type', value: 'application/json; charset=utf-8' },
        { name: 'Authorization', value: 'Bearer abc' },
      ],
    });
    expect(notCarried).toEqual([]);
    // The body reaches the wire byte for byte: the template escapes the backslash for Marketo's pre-parse.
    const sent = renderWebhook(webhook, tokenContextSchema.parse({ name: 'c' }));
    expect(sent.body).toBe(body);
    expect(sent.requestTarget).toBe('/v1/lead?x=1&y=%26z&q=a%20b');
  });

  it('LF lines, an absolute target, a form body, port 80 means http, other ports https', () => {
    const form = ok(
      'PUT http://api.example.com:8080/a/b HTTP/1.1\nHost: api.example.com:8080\nContent-Type: application/x-www-form-urlencoded\n\na=1&b=2',
    );
    expect(form.webhook).toMatchObject({
      method: 'PUT',
      url: 'http://api.example.com:8080/a/b',
      template: 'a=1&b=2',
      encoding: 'form-url',
      headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
    });
    expect(ok('GET /x HTTP/1.1\nHost: a.example:80\n\n').webhook.url).toBe('http://a.example:80/x');
    expect(ok('GET /x HTTP/1.1\nHost: a.example:8443\n').webhook.url).toBe('https://a.example:8443/x');
    expect(ok('delete /x HTTP/1.0\nHost: [::1]:3000\n').webhook).toMatchObject({
      method: 'DELETE',
      url: 'https://[::1]:3000/x',
    });
  });

  it('a body keeps CRLF and its text; a trailing line break past Content-Length is not part of it', () => {
    const body = 'line1\r\nline2';
    expect(
      ok(`PATCH /p HTTP/1.1\r\nHost: h\r\nContent-Length: ${body.length}\r\n\r\n${body}\r\n`).webhook.template,
    ).toBe(body);
    expect(ok('POST /p HTTP/1.1\nHost: h\n\nkeep\n').webhook.template).toBe('keep\n');
  });

  it('HTTP/2 copies (:authority, :scheme), folded header lines, hop-by-hop headers noted', () => {
    const r = ok(
      'POST /x HTTP/2\n:authority: h.example\n:scheme: http\nX-Long: a\n  b\nConnection: keep-alive\nExpect: 100-continue\n\n',
    );
    expect(r.webhook.url).toBe('http://h.example/x');
    expect(r.webhook.headers).toEqual([
      { name: 'X-Long', value: 'a b' },
      { name: 'Connection', value: 'keep-alive' },
    ]);
    expect(r.notCarried.map((n) => n.item)).toEqual(['Expect: 100-continue']);
  });

  it('methods Marketo does not offer are refused, naming the method and the line', () => {
    expect(failure('\n\nHEAD /x HTTP/1.1\nHost: h\n')).toMatchObject({
      message: 'line 3: request method HEAD is not one Marketo offers (GET, POST, PUT, PATCH, DELETE)',
      line: 3,
    });
    expect(failure('OPTIONS * HTTP/1.1\nHost: h\n').message).toMatch(/OPTIONS/);
  });

  it('hostile input: each refusal says what is wrong and where', () => {
    expect(failure('POST /x HTTP/1.1\nHost: h\nContent-Type application/json\n\n{}')).toMatchObject({
      message: expect.stringMatching(/^line 3: “Content-Type application\/json” is not a header/),
      line: 3,
    });
    // No blank line before the body: the body's first line is read as a header and named.
    expect(failure('POST /x HTTP/1.1\nHost: h\n{"a":1}')).toMatchObject({
      line: 3,
      message: expect.stringMatching(/blank line/),
    });
    expect(failure('POST /x HTT')).toMatchObject({ line: 1, message: expect.stringMatching(/not a request line/) });
    expect(failure('POST /x HTTP/1.1\nContent-Type: text/plain\n\nhi').message).toMatch(/no Host header/);
    expect(failure('POST x HTTP/1.1\nHost: h\n').message).toMatch(/neither a path/);
    expect(failure('POST ftp://h/x HTTP/1.1\n').message).toMatch(/not an http or https URL/);
    expect(failure('POST /x HTTP/1.1\nHost: a b/c\n')).toMatchObject({
      line: 2,
      message: expect.stringMatching(/not a host name/),
    });
    expect(failure('POST /x HTTP/1.1\nHost: a\nHost: b\n')).toMatchObject({ line: 3 });
    expect(failure('POST /x HTTP/1.1\nHost: h\nContent-Length: 100\n\n{"a":').message).toMatch(
      /^line 3: Content-Length says 100 bytes but the body has 5: the request looks cut off/,
    );
    expect(failure('POST /x HTTP/1.1\nHost: h\nContent-Length: ten\n\n').message).toMatch(/not a number/);
    expect(failure('POST /x HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n5\r\nhello\r\n0\r\n\r\n').message).toMatch(
      /chunk/,
    );
    expect(failure('POST /x HTTP/1.1\nHost: h\n\nab\u0000cd').message).toMatch(/binary data \(a NUL character\)/);
    expect(failure('POST /x HTTP/1.1\nHo\u0001st: h\n\n')).toMatchObject({
      line: 2,
      column: 3,
      message: expect.stringMatching(/U\+0001/),
    });
    expect(failure('').message).toMatch(/empty/);
    expect(failure('\r\n\r\n').message).toMatch(/empty/);
  });

  it('a request over 5 MB is refused before it is read', () => {
    const huge = `POST /x HTTP/1.1\nHost: h\n\n${'a'.repeat(maxHttpRequestChars)}`;
    const started = Date.now();
    expect(failure(huge).message).toMatch(/at most 5242880 \(5 MB\)/);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('never throws on any text, and anything it accepts has a method Marketo offers and an http(s) URL', () => {
    const line = fc.constantFrom(
      'POST /a HTTP/1.1',
      'GET https://h/x?y=%26 HTTP/1.1',
      'Host: h',
      'X: y',
      '',
      ':scheme: http',
      ' fold',
      'Content-Length: 3',
      '\u0000',
      'é',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(line, fc.string()), { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        (lines, eol) => {
          const r = parseHttpRequest(lines.join(eol));
          if (r.ok) {
            expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).toContain(r.value.webhook.method);
            expect(r.value.webhook.url).toMatch(/^https?:\/\//);
          } else expect(r.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is detected by content, for files and pastes alike; curl still is curl', () => {
    expect(detectImportFormat('paste', 'POST /x HTTP/1.1\r\nHost: h\r\n\r\n')).toBe('http-request');
    expect(detectImportFormat('req.txt', '\n  GET https://h/ HTTP/1.1\n')).toBe('http-request');
    expect(detectImportFormat('paste', '$ curl https://h/')).toBe('curl');
    expect(detectImportFormat('paste', 'POST /x\nHost: h')).toBeUndefined();
    expect(looksLikeHttpRequest('Hello there HTTP/1.1 fans')).toBe(false);
  });
});

describe('curl import, as the paste reads it', () => {
  it('a JSON body that already quotes its tokens keeps None: JSON encoding would quote their values again', () => {
    const request = (body: string) =>
      ['POST /lead HTTP/1.1', 'Host: h.example', 'Content-Type: application/json', '', body].join('\r\n');
    expect(ok(request('{"email":"{{lead.Email Address}}"}')).webhook.encoding).toBe('none');
    expect(ok(request('{"email":{{lead.Email Address}}}')).webhook.encoding).toBe('json');
    expect(ok(request('{"email":"ada@example.com"}')).webhook.encoding).toBe('json');
  });

  it('a shell prompt is allowed; Content-Type becomes the request token encoding', () => {
    const r = parseCurl(`$ curl https://h.example/x -H 'Content-Type: application/json' -d '{"a":1}'`);
    expect(r).toMatchObject({
      ok: true,
      value: { webhook: { method: 'POST', encoding: 'json', url: 'https://h.example/x' } },
    });
    expect(parseCurl(`curl https://h.example/x -d a=1`)).toMatchObject({
      ok: true,
      value: { webhook: { encoding: 'form-url' } },
    });
    expect(parseCurl(`curl https://h.example/x -H 'Content-Type: text/plain' -d a`)).toMatchObject({
      ok: true,
      value: { webhook: { encoding: 'none' } },
    });
  });

  it('a shell-quoting error names its line and column', () => {
    expect(parseCurl(`curl https://h/ \\\n  -d '{"a":1}\n`)).toEqual({
      ok: false,
      message: 'unterminated single quote at line 2, column 6',
      line: 2,
      column: 6,
    });
  });
});
