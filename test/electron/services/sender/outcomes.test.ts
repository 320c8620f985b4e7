import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatcher } from '@services/catcher/index';
import { createSender, type Sender } from '@services/sender/index';
import {
  exchangeSchema,
  tokenContextSchema,
  webhookSchema,
  type TokenContextInput,
  type WebhookInput,
} from '@shared/model';
import { ok, startRawServer, type RawServer } from './raw-server';

const context = (input: Partial<TokenContextInput> = {}) =>
  tokenContextSchema.parse({ name: 'Sandy', lead: { 'First Name': 'Sandy' }, ...input });
const webhook = (input: Partial<WebhookInput>) =>
  webhookSchema.parse({
    name: 'hook',
    url: 'http://x/',
    responseType: 'json',
    mappings: [{ attribute: 'name', field: 'FirstName' }],
    ...input,
  });

let server: RawServer;
let sender: Sender;
let tmp: string;
let n = 0;
const id = () => `outcome-${++n}`;

/** Routes by request path, so one raw server can play every kind of web service. */
function route(request: Buffer): string {
  return (request.toString('latin1').split(' ')[1] ?? '/').split('?')[0] as string;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'sender-outcomes-'));
  server = await startRawServer(respond);
  sender = createSender({ proxy: 'none', tempDir: tmp });
});

/** Plays every kind of web service, by request path. */
function respond(request: Buffer, socket: Socket): void {
  const p = route(request);
  if (p === '/ok') socket.write(ok('{"name":"Robin"}'));
  else if (p === '/not-found') socket.write('HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nno such x');
  else if (p === '/custom-reason') socket.write('HTTP/1.1 422 Lead Rejected Here\r\nContent-Length: 0\r\n\r\n');
  else if (p === '/empty') socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
  else if (p === '/slow') setTimeout(() => socket.destroyed || socket.write(ok()), 2_000);
  else if (p === '/redirect') socket.write('HTTP/1.1 302 Found\r\nLocation: /ok\r\nContent-Length: 0\r\n\r\n');
  else if (p === '/garbage') socket.end('this is not HTTP at all\r\n\r\n');
  else if (p === '/mid-body') socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"name":"Rob');
  else if (p === '/silent-close') socket.destroy();
  else if (p === '/http10')
    socket.end('HTTP/1.0 200 Fine\r\nX-Spaced:   padded value  \r\nContent-Length: 2\r\n\r\n{}');
  else if (p === '/continue')
    socket.write(
      'HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}',
    );
  else if (p === '/continue100')
    socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
  else if (p === '/headers-spacing')
    socket.write(
      'HTTP/1.1 200 OK\r\nX-Pad:   padded value  \r\nX-Tab:\tt\t\r\nX-Empty:\r\nX-Bare:\r\nContent-Length: 2\r\n\r\n{}',
    );
  else if (p === '/headers-utf8')
    socket.write(Buffer.from('HTTP/1.1 200 OK\r\nX-Name: Müller\r\nContent-Length: 2\r\n\r\n{}', 'utf8'));
  else if (p === '/headers-case')
    socket.write(
      'HTTP/1.1 200 OK\r\nX-MiXeD-Case: 1\r\ncontent-type: application/json\r\nX-Dup: a\r\nX-Dup: b\r\nContent-Length: 2\r\n\r\n{}',
    );
  else if (p === '/big') {
    const body = Buffer.alloc(3 * 1024 * 1024 + 5, 'a');
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body);
  } else if (p === '/big-json') {
    const body = Buffer.from(`{"pad":"${'a'.repeat(2 * 1024 * 1024)}","name":"Kim"}`);
    socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body);
  } else if (p === '/binary')
    socket.write(
      Buffer.concat([
        Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n'),
        Buffer.from([0xff, 0x00, 0xfe, 0x01]),
      ]),
    );
  else socket.write('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n');
}
afterAll(async () => {
  await sender.close();
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

const send = (url: string, extra: Partial<WebhookInput> = {}, profile = {}) =>
  sender.send({
    sendId: id(),
    webhook: webhook({ url: `${server.url}${url}`, ...extra }),
    context: context(),
    profile,
  });

describe('Marketo outcomes', () => {
  it('2xx with a body: updated, mappings applied', async () => {
    const ex = await send('/ok');
    expect(ex.outcome).toBe('updated');
    expect(ex.mapping?.lead.after['FirstName']).toBe('Robin');
    expect(ex.message).toContain('FirstName');
    expect(ex.response?.status).toBe(200);
    expect(ex.response?.reason).toBe('OK');
    expect(ex.response?.body).toBe('{"name":"Robin"}');
  });

  it('non-2xx: ignored, Error Type is the reason phrase as the server sent it', async () => {
    const a = await send('/not-found');
    expect(a.outcome).toBe('ignored');
    expect(a.mapping?.errorType).toBe('Not Found');
    expect(a.message).toContain("Error Type is 'Not Found'");
    const b = await send('/custom-reason');
    expect(b.mapping?.errorType).toBe('Lead Rejected Here');
  });

  it('2xx with an empty body: empty-body (code 1001)', async () => {
    const ex = await send('/empty');
    expect(ex.outcome).toBe('empty-body');
    expect(ex.message).toContain('1001');
  });

  it('a slow server: timeout, with the note that the service may still have acted', async () => {
    const ex = await send('/slow', {}, { timeoutMs: 150 });
    expect(ex.outcome).toBe('timeout');
    expect(ex.message).toContain('may still have acted');
    expect(ex.response).toBeUndefined();
    expect(ex.mapping).toBeUndefined();
  });

  it('concurrent sends keep their own timeouts: a later, shorter one expires first; a quick one is untouched', async () => {
    const ended: string[] = [];
    const long = send('/slow', {}, { timeoutMs: 400 }).then((ex) => (ended.push('long'), ex));
    const short = send('/slow', {}, { timeoutMs: 100 }).then((ex) => (ended.push('short'), ex));
    const quick = await send('/ok', {}, { timeoutMs: 100 });
    const [a, b] = await Promise.all([long, short]);
    expect(quick.outcome).toBe('updated');
    expect(a.outcome).toBe('timeout');
    expect(b.outcome).toBe('timeout');
    expect(ended).toEqual(['short', 'long']);
  });

  it('a redirect is reported and not followed by default', async () => {
    const ex = await send('/redirect');
    expect(ex.outcome).toBe('ignored');
    expect(ex.redirects).toEqual([{ status: 302, location: '/ok' }]);
    expect(ex.response?.status).toBe(302);
    expect(ex.message).toContain('not followed');
  });

  it('a redirect is followed when the profile says so (302 after POST becomes GET)', async () => {
    const before = server.received.length;
    const ex = await send('/redirect', { template: 'a=1' }, { followRedirects: true });
    expect(ex.outcome).toBe('updated');
    expect(ex.redirects).toEqual([{ status: 302, location: '/ok' }]);
    expect(ex.request.requestTarget).toBe('/ok');
    expect(ex.request.method).toBe('GET');
    const second = server.received[before + 1] as Buffer;
    expect(second.toString('latin1').startsWith('GET /ok HTTP/1.1\r\n')).toBe(true);
    expect(Buffer.from(ex.request.head, 'utf8').equals(second)).toBe(true);
  });

  it('a followed redirect to another origin goes there with its own Host, without the credentials', async () => {
    const elsewhere = await startRawServer((_req, socket) => socket.write(ok('{"name":"Lee"}')));
    try {
      const before = server.received.length;
      server.respond = (request, socket) => {
        if (route(request) === '/away')
          socket.write(
            `HTTP/1.1 308 Permanent Redirect\r\nLocation: ${elsewhere.url}/landing?x=1\r\nContent-Length: 0\r\n\r\n`,
          );
      };
      const ex = await send(
        '/away',
        {
          template: 'a=1',
          headers: [
            { name: 'Authorization', value: 'Bearer t0ken' },
            { name: 'X-Keep', value: 'yes' },
          ],
        },
        { followRedirects: true },
      );
      expect(ex.outcome).toBe('updated');
      expect(ex.redirects).toEqual([{ status: 308, location: `${elsewhere.url}/landing?x=1` }]);
      expect((server.received[before] as Buffer).toString('latin1')).toContain('Authorization: Bearer t0ken');
      const landed = (elsewhere.received[0] as Buffer).toString('latin1');
      expect(landed.startsWith(`POST /landing?x=1 HTTP/1.1\r\nhost: 127.0.0.1:${elsewhere.port}\r\n`)).toBe(true);
      expect(landed).not.toContain('Authorization');
      expect(landed).toContain('X-Keep: yes');
      expect(landed.endsWith('\r\n\r\na=1')).toBe(true);
      expect(Buffer.from(ex.request.head + ex.request.body, 'utf8').equals(elsewhere.received[0] as Buffer)).toBe(true);
    } finally {
      server.respond = respond;
      await elsewhere.close();
    }
  });

  it('sent to the catcher, a followed redirect within the same origin stays with the catcher', async () => {
    const catcher = await startCatcher({
      rules: [
        { path: '/start', status: 307, headers: [{ name: 'Location', value: '/final' }] },
        { path: '/final', body: '{"name":"Kim"}' },
      ],
    });
    const s = createSender({ proxy: 'none', catcherUrl: async () => catcher.url });
    try {
      const ex = await s.send({
        sendId: id(),
        webhook: webhook({ url: 'https://api.example.com/start', template: 'a=1' }),
        context: context(),
        profile: { followRedirects: true },
        target: 'catcher',
      });
      expect(ex.outcome).toBe('updated');
      expect(ex.mapping?.lead.after['FirstName']).toBe('Kim');
      expect(catcher.requests().map((r) => `${r.method} ${r.target}`)).toEqual(['POST /start', 'POST /final']);
      expect(catcher.requests()[1]?.body).toBe('a=1');
    } finally {
      await s.close();
      await catcher.close();
    }
  });

  it('keeps response header names in their original case and order, duplicates included', async () => {
    const ex = await send('/headers-case');
    expect(ex.response?.headers.map((h) => h.name)).toEqual([
      'X-MiXeD-Case',
      'content-type',
      'X-Dup',
      'X-Dup',
      'Content-Length',
    ]);
    expect(ex.response?.head).toBe(
      'HTTP/1.1 200 OK\r\nX-MiXeD-Case: 1\r\ncontent-type: application/json\r\nX-Dup: a\r\nX-Dup: b\r\nContent-Length: 2\r\n\r\n',
    );
  });

  it('reads each header value from after the spaces and tabs that follow the colon up to the line end, empty values included', async () => {
    const ex = await send('/headers-spacing');
    expect(ex.response?.headers).toEqual([
      { name: 'X-Pad', value: 'padded value  ' },
      { name: 'X-Tab', value: 't\t' },
      { name: 'X-Empty', value: '' },
      { name: 'X-Bare', value: '' },
      { name: 'Content-Length', value: '2' },
    ]);
    const utf8 = await send('/headers-utf8');
    expect(utf8.response?.headers[0]).toEqual({ name: 'X-Name', value: 'Müller' });
    expect(utf8.response?.head).toBe('HTTP/1.1 200 OK\r\nX-Name: Müller\r\nContent-Length: 2\r\n\r\n');
  });

  it('records the response head exactly as it arrived: HTTP version, spacing, after a 103 Early Hints', async () => {
    const a = await send('/http10', { responseType: 'none', mappings: [] });
    expect(a.response?.httpVersion).toBe('1.0');
    expect(a.response?.head).toBe('HTTP/1.0 200 Fine\r\nX-Spaced:   padded value  \r\nContent-Length: 2\r\n\r\n');
    expect(a.response?.headers[0]?.name).toBe('X-Spaced');
    const b = await send('/continue', { responseType: 'none', mappings: [] });
    expect(b.response?.status).toBe(201);
    expect(b.response?.head).toBe('HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n');
  });

  it('a body that is not UTF-8 is kept as base64', async () => {
    const ex = await send('/binary', { responseType: 'none', mappings: [] });
    expect(ex.response?.bodyEncoding).toBe('base64');
    expect(Buffer.from(ex.response?.body ?? '', 'base64')).toEqual(Buffer.from([0xff, 0x00, 0xfe, 0x01]));
  });

  it('a body over 1 MiB streams to a temp file, the first MiB kept in memory', async () => {
    const ex = await send('/big', { responseType: 'none', mappings: [] });
    expect(ex.outcome).toBe('updated');
    expect(ex.response?.bodyBytes).toBe(3 * 1024 * 1024 + 5);
    expect(ex.response?.body.length).toBe(1024 * 1024);
    expect(ex.response?.truncated).toBe(false);
    const file = ex.response?.bodyFile as string;
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).length).toBe(3 * 1024 * 1024 + 5);
  });

  it('mappings read the whole body from its temp file, past the part kept in memory', async () => {
    const ex = await send('/big-json', { responseType: 'json', mappings: [{ attribute: 'name', field: 'FirstName' }] });
    expect(ex.response?.bodyFile).toBeDefined();
    expect(ex.outcome).toBe('updated');
    expect(ex.mapping?.lead.after['FirstName']).toBe('Kim');
  });

  it('maxResponseBytes cuts the body and says so; memory never holds more', async () => {
    const ex = await send('/big', { responseType: 'none', mappings: [] }, { maxResponseBytes: 1000 });
    expect(ex.response?.truncated).toBe(true);
    expect(ex.response?.bodyBytes).toBe(1000);
    expect(ex.response?.body.length).toBe(1000);
    expect(ex.response?.bodyFile).toBeUndefined();
    expect(ex.message).toContain('maxResponseBytes');
  });
});

describe('every exchange fits the shared Exchange schema (what IPC and history check)', () => {
  it('answered, timed out, failed and not sent', async () => {
    const exchanges = [
      await send('/ok'),
      await send('/not-found'),
      await send('/big', { responseType: 'none', mappings: [] }),
      await send('/slow', {}, { timeoutMs: 50 }),
      await send('/garbage'),
      await send('/mid-body'),
      await sender.send({
        sendId: id(),
        webhook: webhook({ url: `${server.url}/ok` }),
        context: context({ campaign: { Type: 'batch' } }),
      }),
    ];
    for (const ex of exchanges) expect(() => exchangeSchema.parse(ex)).not.toThrow();
    expect(exchanges.map((e) => e.outcome)).toEqual([
      'updated',
      'ignored',
      'updated',
      'timeout',
      'network-error',
      'network-error',
      'not-sent',
    ]);
  });
});

describe('failures end as clear outcomes, never a crash or a hang', () => {
  it('garbage instead of HTTP', async () => {
    const ex = await send('/garbage');
    expect(ex.outcome).toBe('network-error');
    expect(ex.error?.code).toMatch(/^HPE_/);
    expect(ex.message).toContain('not valid HTTP/1.1');
  });

  it('the connection closes in the middle of the body: the part that came is kept', async () => {
    const ex = await send('/mid-body');
    expect(ex.outcome).toBe('network-error');
    expect(ex.message).toContain('middle of the response body');
    expect(ex.response?.status).toBe(200);
    expect(ex.response?.body).toBe('{"name":"Rob');
    expect(ex.mapping).toBeUndefined();
  });

  it('an interim 100 Continue that was not asked for is a clear error', async () => {
    const ex = await send('/continue100');
    expect(ex.outcome).toBe('network-error');
    expect(ex.message).toContain('cannot be accepted');
  });

  it('the sender’s own code failing after the request went out: internal-error naming the cause, and the next send works', async () => {
    const ex = await sender.send({
      sendId: id(),
      webhook: webhook({ url: `${server.url}/ok` }),
      context: context(),
      onProgress: (p) => {
        if (p.phase === 'done') throw new TypeError('the progress listener broke');
      },
    });
    expect(ex.outcome).toBe('internal-error');
    expect(ex.message).toContain('internal error in the sender (TypeError: the progress listener broke)');
    expect(ex.error).toEqual({ code: 'INTERNAL', message: 'TypeError: the progress listener broke' });
    expect(ex.request.url).toBe(`${server.url}/ok`);
    expect(exchangeSchema.safeParse(ex).success).toBe(true);
    expect((await send('/ok')).outcome).toBe('updated');
  });

  it('the server closes without answering', async () => {
    const ex = await send('/silent-close');
    expect(ex.outcome).toBe('network-error');
    expect(ex.message).toContain('without answering');
  });

  it('a closed port', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const ex = await sender.send({
      sendId: id(),
      webhook: webhook({ url: `http://127.0.0.1:${port}/x` }),
      context: context(),
    });
    expect(ex.outcome).toBe('network-error');
    expect(ex.error?.code).toBe('ECONNREFUSED');
    expect(ex.message).toContain('refused the connection');
  });

  it('an unknown host', async () => {
    const ex = await sender.send({
      sendId: id(),
      webhook: webhook({ url: 'http://no-such-host.invalid/x' }),
      context: context(),
    });
    expect(ex.outcome).toBe('network-error');
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(ex.error?.code);
    expect(ex.message).toContain('no-such-host.invalid');
  });

  it('a header broken by a token value (NUL; Marketo turns line breaks into spaces) is refused before anything is sent', async () => {
    const before = server.connections.length;
    const received = server.received.length;
    const ex = await sender.send({
      sendId: id(),
      webhook: webhook({ url: `${server.url}/ok`, headers: [{ name: 'X-Name', value: '{{lead.First Name}}' }] }),
      context: context({ lead: { 'First Name': 'Sandy\u0000X-Injected: 1' } }),
    });
    expect(ex.outcome).toBe('not-sent');
    expect(ex.message).toContain('{{lead.First Name}}');
    expect(ex.diagnostics.some((d) => d.code === 'header-injection')).toBe(true);
    expect(server.received.length).toBe(received);
    expect(server.connections.length).toBe(before);
  });

  it('a batch campaign context is not sent (code 1000)', async () => {
    const ex = await sender.send({
      sendId: id(),
      webhook: webhook({ url: `${server.url}/ok` }),
      context: context({ campaign: { Type: 'batch' } }),
    });
    expect(ex.outcome).toBe('not-sent');
    expect(ex.message).toContain('1000');
  });

  it('a URL that cannot be parsed is not sent', async () => {
    const ex = await sender.send({ sendId: id(), webhook: webhook({ url: 'not a url' }), context: context() });
    expect(ex.outcome).toBe('not-sent');
    expect(ex.message.length).toBeGreaterThan(10);
  });

  it('unsafe URL characters are refused when the profile says so', async () => {
    const ex = await send('/a b', {}, { urlUnsafeCharacters: 'refuse' });
    expect(ex.outcome).toBe('not-sent');
  });

  it('cancel ends a send at once as cancelled', async () => {
    const sendId = id();
    const pending = sender.send({ sendId, webhook: webhook({ url: `${server.url}/slow` }), context: context() });
    await new Promise((r) => setTimeout(r, 50));
    expect(sender.cancel(sendId)).toBe(true);
    const ex = await pending;
    expect(ex.outcome).toBe('cancelled');
    expect(ex.message).toContain('may still have acted');
    expect(sender.cancel(sendId)).toBe(false);
  });
});

describe('secret headers', () => {
  const secretHook = () =>
    webhook({ url: `${server.url}/ok`, headers: [{ name: 'X-Api-Key', value: '', secret: true }] });

  it('a hook that throws ends as a not-sent exchange naming why, never a rejected send', async () => {
    const before = server.received.length;
    const ex = await sender.send({
      sendId: id(),
      webhook: secretHook(),
      context: context(),
      resolveSecret: () => {
        throw new Error('the keychain is locked');
      },
    });
    expect(ex.outcome).toBe('not-sent');
    expect(ex.error).toEqual({ code: 'PREPARE_FAILED', message: 'the keychain is locked' });
    expect(ex.message).toContain('the keychain is locked');
    expect(server.received.length).toBe(before);
  });

  it('take their value from the hook, and the record masks it', async () => {
    const before = server.received.length;
    const asked: string[] = [];
    const ex = await sender.send({
      sendId: id(),
      webhook: secretHook(),
      context: context(),
      resolveSecret: (name, host) => {
        asked.push(`${name}@${host}`);
        return 's3cr3t-value';
      },
    });
    expect(ex.outcome).toBe('updated');
    expect(asked).toEqual([`X-Api-Key@127.0.0.1:${server.port}`]);
    expect((server.received[before] as Buffer).toString('latin1')).toContain('X-Api-Key: s3cr3t-value\r\n');
    expect(ex.request.head).toContain('X-Api-Key: ••••••\r\n');
    expect(JSON.stringify(ex)).not.toContain('s3cr3t-value');
  });

  it('a secrets hook that throws ends as not sent, never as a rejected send', async () => {
    const ex = await sender.send({
      sendId: id(),
      webhook: secretHook(),
      context: context(),
      resolveSecret: () => {
        throw new Error('keychain locked');
      },
    });
    expect(ex.outcome).toBe('not-sent');
    expect(ex.message).toContain('keychain locked');
  });

  it('a refusal beside a render error: not sent, naming the first error and counting the rest', async () => {
    const before = server.received.length;
    const w = webhook({
      url: `${server.url}/ok`,
      headers: [
        { name: 'Bad Name', value: 'x' },
        { name: 'X-Api-Key', value: '', secret: true },
      ],
    });
    const ex = await sender.send({
      sendId: id(),
      webhook: w,
      context: context(),
      resolveSecret: () => ({ refused: 'no stored value' }),
    });
    expect(ex.outcome).toBe('not-sent');
    expect(ex.message).toMatch(/^not sent: header 1 name 'Bad Name' holds characters .* \(and 1 more error\(s\)\)$/);
    expect(ex.diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(['invalid-header-name', 'secret-refused']),
    );
    expect(server.received.length).toBe(before);
  });

  it('a refusal means not sent, saying why', async () => {
    const ex = await sender.send({
      sendId: id(),
      webhook: secretHook(),
      context: context(),
      resolveSecret: () => ({ refused: 'it is bound to api.example.com' }),
    });
    expect(ex.outcome).toBe('not-sent');
    expect(ex.message).toContain('bound to api.example.com');
  });
});
