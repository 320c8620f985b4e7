import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender, type Sender } from '@services/sender/index';
import { predictHead, toWire } from '@services/sender/wire';
import { renderWebhook } from '@shared/engine';
import { tokenContextSchema, webhookSchema, type TokenContextInput, type WebhookInput } from '@shared/model';
import { startRawServer, type RawServer } from './raw-server';

const context = (input: Partial<TokenContextInput> = {}) =>
  tokenContextSchema.parse({
    name: 'Sandy',
    lead: { 'First Name': 'Sandy', 'Last Name': 'Müller & Söhne', Email: 'sandy@example.com' },
    ...input,
  });
const webhook = (input: Partial<WebhookInput>) => webhookSchema.parse({ name: 'hook', url: 'http://x/', ...input });

let server: RawServer;
let sender: Sender;
let n = 0;
const id = () => `send-${++n}`;

/** The bytes the sender says it wrote: the head text plus the body, as UTF-8 (how both are recorded). */
function reported(ex: { request: { head: string; body: string } }): Buffer {
  return Buffer.concat([Buffer.from(ex.request.head, 'utf8'), Buffer.from(ex.request.body, 'utf8')]);
}

beforeAll(async () => {
  server = await startRawServer();
  sender = createSender({ proxy: 'none' });
});
afterAll(async () => {
  await sender.close();
  await server.close();
});

describe('the sender records exactly the bytes that reached the server', () => {
  const payloads: Array<[string, Partial<WebhookInput>]> = [
    [
      'JSON',
      {
        encoding: 'json',
        template: '{"first":{{lead.First Name}},"last":{{lead.Last Name}}}',
        headers: [{ name: 'Content-Type', value: 'application/json' }],
      },
    ],
    [
      'form',
      { encoding: 'form-url', template: 'first={{lead.First Name}}&last={{lead.Last Name}}&email={{lead.Email}}' },
    ],
    [
      'XML',
      {
        template: '<lead><name>{{lead.Last Name}}</name><mail>{{lead.Email}}</mail></lead>',
        headers: [{ name: 'Content-Type', value: 'text/xml; charset=utf-8' }],
      },
    ],
  ];
  for (const [label, input] of payloads) {
    it(`${label} payload`, async () => {
      const before = server.received.length;
      const ex = await sender.send({
        sendId: id(),
        webhook: webhook({ ...input, url: `${server.url}/hook` }),
        context: context(),
      });
      expect(ex.outcome).toBe('updated');
      expect(server.received.length).toBe(before + 1);
      expect(reported(ex).equals(server.received[before] as Buffer)).toBe(true);
      expect(ex.request.head.startsWith('POST /hook HTTP/1.1\r\nhost: 127.0.0.1:')).toBe(true);
      expect(ex.request.head.endsWith('\r\n\r\n')).toBe(true);
    });
  }

  const urls: Array<[string, string]> = [
    ['/a?x=%26&y=1', '/a?x=%26&y=1'],
    ['/a?q=a&b', '/a?q=a&b'],
    ['/a|b', '/a|b'],
    ['/a{b}', '/a{b}'],
    ['/a/../b', '/a/../b'],
    ['/a#frag', '/a#frag'],
    ['/caf%C3%A9', '/caf%C3%A9'],
    ['/ü?q=日本', '/%C3%BC?q=%E6%97%A5%E6%9C%AC'],
  ];
  for (const [written, onWire] of urls) {
    it(`request target ${written} goes out as ${onWire}`, async () => {
      const before = server.received.length;
      const ex = await sender.send({
        sendId: id(),
        webhook: webhook({ method: 'GET', url: `${server.url}${written}` }),
        context: context(),
      });
      expect(ex.outcome).toBe('updated');
      const got = server.received[before] as Buffer;
      expect(got.toString('latin1').split('\r\n')[0]).toBe(`GET ${onWire} HTTP/1.1`);
      expect(ex.request.requestTarget).toBe(onWire);
      expect(reported(ex).equals(got)).toBe(true);
    });
  }

  it('a token value beyond ASCII in a header goes out as UTF-8 and is recorded as sent', async () => {
    const before = server.received.length;
    const ex = await sender.send({
      sendId: id(),
      webhook: webhook({
        url: `${server.url}/h`,
        headers: [{ name: 'X-Lead', value: '{{lead.Last Name}}' }],
        template: 'a=1',
      }),
      context: context(),
    });
    const got = server.received[before] as Buffer;
    expect(got.includes(Buffer.from('X-Lead: Müller & Söhne\r\n', 'utf8'))).toBe(true);
    expect(reported(ex).equals(got)).toBe(true);
  });

  it('a body holding a lone surrogate is recorded as the bytes that went out (U+FFFD), a well-formed one as rendered', async () => {
    for (const [last, recorded] of [
      ['Half \uD83D pair', 'Half \uFFFD pair'],
      ['Whole 😀 pair ü', 'Whole 😀 pair ü'],
    ] as const) {
      const before = server.received.length;
      const ex = await sender.send({
        sendId: id(),
        webhook: webhook({ url: `${server.url}/s`, template: '<n>{{lead.Last Name}}</n>' }),
        context: context({ lead: { 'Last Name': last } }),
      });
      const got = server.received[before] as Buffer;
      expect(ex.request.body).toBe(`<n>${recorded}</n>`);
      expect(got.subarray(got.indexOf('\r\n\r\n') + 4).toString('utf8')).toBe(ex.request.body);
      expect(reported(ex).equals(got)).toBe(true);
    }
  });
  it('GET without a body, DELETE without a body and PUT without a body: content-length as undici writes it', async () => {
    for (const method of ['GET', 'DELETE', 'PUT'] as const) {
      const before = server.received.length;
      const ex = await sender.send({
        sendId: id(),
        webhook: webhook({ method, url: `${server.url}/m` }),
        context: context(),
      });
      const got = server.received[before] as Buffer;
      expect(reported(ex).equals(got)).toBe(true);
      expect(got.toString('latin1').includes('content-length: 0')).toBe(method === 'PUT');
    }
  });

  it('keeps the connection alive between sends; the reused connection has no DNS, TCP or TLS time', async () => {
    const fresh = await startRawServer();
    const s = createSender({ proxy: 'none' });
    try {
      const first = await s.send({ sendId: id(), webhook: webhook({ url: `${fresh.url}/1` }), context: context() });
      const later = [];
      for (let i = 0; i < 4; i++)
        later.push(await s.send({ sendId: id(), webhook: webhook({ url: `${fresh.url}/${i}` }), context: context() }));
      // undici's pool may open a second connection while the first one is still being released; after that it reuses.
      expect(fresh.connections.length).toBeLessThanOrEqual(2);
      expect(first.timings.connectMs).not.toBeNull();
      expect(first.timings.dnsMs).toBeNull(); // an IP address needs no lookup
      const second = later[later.length - 1] as (typeof later)[number];
      expect(second.timings.connectMs).toBeNull();
      expect(second.timings.ttfbMs).not.toBeNull();
      expect(second.timings.totalMs).toBeGreaterThan(0);
      expect(second.request.head).toContain('\r\nconnection: keep-alive\r\n');
    } finally {
      await s.close();
      await fresh.close();
    }
  });

  it('a custom Connection: close header goes out as undici writes it, and is recorded so', async () => {
    const before = server.received.length;
    const ex = await sender.send({
      sendId: id(),
      webhook: webhook({ url: `${server.url}/c`, headers: [{ name: 'Connection', value: 'close' }] }),
      context: context(),
    });
    const got = server.received[before] as Buffer;
    expect(got.toString('latin1')).toContain('\r\nconnection: close\r\n');
    expect(reported(ex).equals(got)).toBe(true);
  });

  it('a fresh connection reports its connect phase first; every phase time is from the start of the send', async () => {
    const s = createSender({ proxy: 'none' });
    const progress: Array<{ phase: string; atMs: number }> = [];
    try {
      await s.send({
        sendId: id(),
        webhook: webhook({ url: `${server.url}/fresh`, template: 'x=1' }),
        context: context(),
        onProgress: (p) => progress.push(p),
      });
    } finally {
      await s.close();
    }
    expect(progress.map((p) => p.phase)).toEqual(['connect', 'sent', 'headers', 'body', 'done']);
    const times = progress.map((p) => p.atMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('a host name is looked up: DNS time is reported for the fresh connection', async () => {
    // The server listens where `localhost` resolves on this machine (IPv4 or IPv6), as the sender will look it up.
    const named = await startRawServer(undefined, undefined, 'localhost');
    const s = createSender({ proxy: 'none' });
    const phases: string[] = [];
    try {
      const ex = await s.send({
        sendId: id(),
        webhook: webhook({ url: `${named.url}/dns` }),
        context: context(),
        onProgress: (p) => phases.push(p.phase),
      });
      expect(ex.outcome).toBe('updated');
      expect(ex.timings.dnsMs).not.toBeNull();
      expect(ex.request.head).toContain(`\r\nhost: localhost:${named.port}\r\n`);
      expect(phases.slice(0, 2)).toEqual(['dns', 'connect']);
    } finally {
      await s.close();
      await named.close();
    }
  });

  it('reports progress phases in order, ending with done', async () => {
    const phases: string[] = [];
    await sender.send({
      sendId: id(),
      webhook: webhook({ url: `${server.url}/p`, template: 'x=1' }),
      context: context(),
      onProgress: (p) => phases.push(p.phase),
    });
    expect(phases.slice(-4)).toEqual(['sent', 'headers', 'body', 'done']);
  });

  it('the head predicted for a request that is not sent is the head undici writes', async () => {
    for (const [method, template, headers] of [
      ['POST', 'a={{lead.First Name}}', [{ name: 'X-A', value: 'Müller' }]],
      ['GET', '', []],
      ['DELETE', 'x', [{ name: 'Connection', value: 'close' }]],
      ['PATCH', '', [{ name: 'Content-Type', value: 'text/plain' }]],
    ] as const) {
      const w = webhook({ method, template, headers: [...headers], url: `${server.url}/predict?x=%26` });
      const ex = await sender.send({ sendId: id(), webhook: w, context: context() });
      expect(Buffer.from(predictHead(toWire(renderWebhook(w, context()))), 'latin1').toString('utf8')).toBe(
        ex.request.head,
      );
    }
  });
});
