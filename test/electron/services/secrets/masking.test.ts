import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistory } from '@services/history/index';
import { createSender, type Sender } from '@services/sender/index';
import { renderWebhook } from '@shared/engine';
import { tokenContextSchema, webhookSchema, type TokenContextInput, type WebhookInput } from '@shared/model';
import { ok, startRawServer, type RawServer } from '../sender/raw-server';

let server: RawServer;
let sender: Sender;
let tmp: string;
let n = 0;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'secret-masking-'));
  // Echoes the request body back, so what a service sends back is tested too.
  server = await startRawServer((request, socket) => {
    const text = request.toString('utf8');
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    socket.write(
      ok(
        body,
        `Content-Type: application/json\r\nX-Echo: ${body.length > 200 ? '' : body.replace(/[\r\n]/g, ' ')}\r\n`,
      ),
    );
  });
  sender = createSender({ proxy: 'none', tempDir: tmp });
});

afterAll(async () => {
  await sender.close();
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

const webhook = (w: Partial<WebhookInput>) =>
  webhookSchema.parse({ name: 'w', url: `${server.url}/hook`, method: 'POST', ...w });
const context = (c: Partial<TokenContextInput>) => tokenContextSchema.parse({ name: 'c', ...c });

/** The body as it reached the server. */
function wireBody(i: number): string {
  const text = (server.received[i] as Buffer).toString('utf8');
  return text.slice(text.indexOf('\r\n\r\n') + 4);
}

/** `wire` with each of `spans` (UTF-16 ranges) replaced by the mask: what the record must be, exactly. */
function expectMasked(recorded: string, wire: string, spans: Array<[number, number]>): void {
  let want = '';
  let at = 0;
  for (const [s, e] of spans) {
    want += `${wire.slice(at, s)}••••••`;
    at = e;
  }
  expect(recorded).toBe(want + wire.slice(at));
}

describe('secrets are masked by position, never by searching for the value', () => {
  it('a 1-character secret My Token: the recorded body is the wire body with only its span masked', async () => {
    const before = server.received.length;
    const w = webhook({ encoding: 'json', template: '{"email": "a@example.com", "key": {{my.Key}}, "x": "xx"}' });
    const c = context({ my: { Key: { type: 'text', secret: true } } });
    const ex = await sender.send({ sendId: `m${++n}`, webhook: w, context: c, resolveSecret: () => 'x' });
    expect(ex.outcome).toBe('updated');
    const wire = wireBody(before);
    expect(wire).toBe('{"email": "a@example.com", "key": "x", "x": "xx"}');
    const start = wire.indexOf('"x"') + 1;
    expectMasked(ex.request.body, wire, [[start, start + 1]]);
    // A 1-character secret is not searched for in the answer: the echoed body stays as it came.
    expect(ex.response?.body).toBe(wire);
    expect(ex.diagnostics.map((d) => d.code)).toContain('secret-not-searched');
  });

  it('a secret that is a prefix of another: each masked where it went, no tail left', async () => {
    const before = server.received.length;
    const w = webhook({
      encoding: 'form-url',
      template: 'a={{my.A}}&b={{my.B}}&c=abc123',
      headers: [{ name: 'X-Key', value: '', secret: true }],
    });
    const c = context({ my: { A: { type: 'text', secret: true }, B: { type: 'text', secret: true } } });
    const values: Record<string, string> = { 'my.A': 'abc1', 'my.B': 'abc12', 'X-Key': 'abc12' };
    const ex = await sender.send({
      sendId: `m${++n}`,
      webhook: w,
      context: c,
      resolveSecret: (name) => values[name] ?? { refused: 'none' },
    });
    expect(ex.outcome).toBe('updated');
    const wire = wireBody(before);
    expect(wire).toBe('a=abc1&b=abc12&c=abc123');
    expectMasked(ex.request.body, wire, [
      [2, 6],
      [9, 14],
    ]);
    expect(ex.request.head).toContain('X-Key: ••••••\r\n');
    expect(ex.request.head).not.toContain('abc1');
    expect((server.received[before] as Buffer).toString('latin1')).toContain('X-Key: abc12\r\n');
  });

  it('a secret My Token in the URL, a header and the body, and URL credentials: masked in url, target, head and body; the wire carries them', async () => {
    const before = server.received.length;
    const secret = 'tok-SECRET-1234';
    const url = server.url.replace('http://', 'http://robin:pa55-w0rd-long@');
    const w = webhook({
      url: `${url}/hook?key={{my.Token}}&x=1`,
      encoding: 'json',
      template: '{"t": {{my.Token}}}',
      headers: [{ name: 'X-T', value: 'Bearer {{my.Token}}' }],
    });
    const c = context({ my: { Token: { type: 'text', secret: true } } });
    const ex = await sender.send({ sendId: `m${++n}`, webhook: w, context: c, resolveSecret: () => secret });
    expect(ex.outcome).toBe('updated');
    const wire = (server.received[before] as Buffer).toString('latin1');
    expect(wire).toContain(`/hook?key=${secret}&x=1 HTTP/1.1`);
    expect(wire).toContain(`X-T: Bearer ${secret}\r\n`);
    expect(wire).toContain(`Authorization: Basic ${Buffer.from('robin:pa55-w0rd-long').toString('base64')}\r\n`);
    expect(ex.request.requestTarget).toBe('/hook?key=••••••&x=1');
    expect(ex.request.url).toBe(`http://••••••@127.0.0.1:${server.port}/hook?key=••••••&x=1`);
    expect(ex.request.head).toContain('POST /hook?key=••••••&x=1 HTTP/1.1\r\n');
    expect(ex.request.head).toContain('X-T: Bearer ••••••\r\n');
    expect(ex.request.head).toContain('Authorization: ••••••\r\n');
    expect(ex.request.body).toBe('{"t": "••••••"}');
    // The service echoed the secret back: a secret of 8 or more characters is masked in the answer.
    expect(ex.response?.body).toBe('{"t": "••••••"}');
    const all = JSON.stringify(ex);
    expect(all).not.toContain(secret);
    expect(all).not.toContain('pa55-w0rd-long');
    // History records the exchange as the sender gave it.
    const dir = await mkdtemp(path.join(tmp, 'hist-'));
    await createHistory(dir).record('webhooks/w.webhook.yaml', ex);
    const { readdir } = await import('node:fs/promises');
    const files = await readdir(path.join(dir, '.studio', 'history'), { recursive: true, withFileTypes: true });
    for (const f of files.filter((x) => x.isFile()))
      expect(await readFile(path.join(f.parentPath, f.name), 'utf8')).not.toContain(secret);
  });

  it('the render reports the spans; the preview shows the mask and never a value', () => {
    const w = webhook({
      encoding: 'json',
      template: '{"k": {{my.Key}}}',
      headers: [{ name: 'X-Api-Key', secret: true }],
    });
    const c = context({ my: { Key: { type: 'text', secret: true, value: 'real' } } });
    const shown = renderWebhook(w, c, { maskSecrets: true });
    expect(shown.headers.find((h) => h.name === 'X-Api-Key')?.value).toBe('••••••');
    expect(shown.body).toBe('{"k": "••••••"}');
    expect(JSON.stringify(shown)).not.toContain('real');
    expect(shown.secretSpans).toEqual(
      expect.arrayContaining([
        { part: 'body', start: 7, end: 13, name: 'my.Key' },
        { part: 'header', index: 2, start: 0, end: 6, name: 'X-Api-Key' },
      ]),
    );
  });
});

describe('secret sources for the sender', () => {
  it('a secret My Token with no value refuses the send, naming it; nothing goes out', async () => {
    const before = server.received.length;
    const w = webhook({ template: 'k={{my.Key}}' });
    const c = context({ my: { Key: { type: 'text', secret: true } } });
    const ex = await sender.send({
      sendId: `m${++n}`,
      webhook: w,
      context: c,
      resolveSecret: (name) => ({ refused: `no value for ${name}`, missing: true }),
    });
    expect(ex.outcome).toBe('not-sent');
    expect(ex.diagnostics.find((d) => d.code === 'secret-missing')?.message).toContain('my.Key');
    expect(server.received.length).toBe(before);
  });

  it('a secret My Token the webhook does not use is not asked for in vain', async () => {
    const w = webhook({ template: 'plain' });
    const c = context({ my: { Key: { type: 'text', secret: true } } });
    const ex = await sender.send({
      sendId: `m${++n}`,
      webhook: w,
      context: c,
      resolveSecret: () => ({ refused: 'none', missing: true }),
    });
    expect(ex.outcome).toBe('updated');
  });
});

describe('a secret never follows a redirect to another origin', () => {
  for (const status of [301, 302, 307, 308]) {
    it(`${status} to another port: secret headers, URL credentials and a secret-bearing query are dropped, and the exchange says so`, async () => {
      const other = await startRawServer((_req, socket) => socket.write(ok('{}')));
      const first = await startRawServer((_req, socket) =>
        socket.write(
          `HTTP/1.1 ${status} Moved\r\nLocation: http://127.0.0.1:${other.port}/next?key=tok-SECRET-1234\r\nContent-Length: 0\r\n\r\n`,
        ),
      );
      try {
        const w = webhook({
          url: `${first.url.replace('http://', 'http://robin:pa55-w0rd-long@')}/start?key={{my.Token}}`,
          method: 'GET',
          headers: [
            { name: 'X-Api-Key', value: '', secret: true, allowedHosts: [`127.0.0.1:${first.port}`] },
            { name: 'X-Plain', value: 'kept' },
          ],
        });
        const c = context({ my: { Token: { type: 'text', secret: true } } });
        const values: Record<string, string> = { 'X-Api-Key': 'api-key-VALUE-99', 'my.Token': 'tok-SECRET-1234' };
        const ex = await sender.send({
          sendId: `r${++n}`,
          webhook: w,
          context: c,
          profile: { followRedirects: true },
          resolveSecret: (name) => values[name] ?? { refused: 'none' },
        });
        expect(first.received.length).toBe(1);
        expect((first.received[0] as Buffer).toString('latin1')).toContain('X-Api-Key: api-key-VALUE-99');
        expect(other.received.length).toBe(1);
        const second = (other.received[0] as Buffer).toString('latin1');
        for (const v of [
          'api-key-VALUE-99',
          'tok-SECRET-1234',
          'pa55-w0rd-long',
          Buffer.from('robin:pa55-w0rd-long').toString('base64'),
        ])
          expect(second).not.toContain(v);
        expect(second).toContain('X-Plain: kept');
        expect(second.split('\r\n')[0]).toBe('GET /next HTTP/1.1');
        expect(ex.diagnostics.find((d) => d.code === 'secret-not-redirected')?.message).toMatch(
          /X-Api-Key.*URL credentials.*the query/,
        );
        expect(JSON.stringify(ex)).not.toContain('tok-SECRET-1234');
      } finally {
        await first.close();
        await other.close();
      }
    });
  }

  it('a 307 re-sending a body that holds a secret is not followed to another origin', async () => {
    const other = await startRawServer((_req, socket) => socket.write(ok('{}')));
    const first = await startRawServer((_req, socket) =>
      socket.write(`HTTP/1.1 307 Moved\r\nLocation: http://127.0.0.1:${other.port}/next\r\nContent-Length: 0\r\n\r\n`),
    );
    try {
      const w = webhook({ url: `${first.url}/start`, template: 'k={{my.Token}}' });
      const c = context({ my: { Token: { type: 'text', secret: true } } });
      const ex = await sender.send({
        sendId: `r${++n}`,
        webhook: w,
        context: c,
        profile: { followRedirects: true },
        resolveSecret: () => 'tok-SECRET-1234',
      });
      expect(other.received.length).toBe(0);
      expect(ex.diagnostics.map((d) => d.code)).toContain('secret-redirect-refused');
      expect(ex.response?.status).toBe(307);
    } finally {
      await first.close();
      await other.close();
    }
  });
});
