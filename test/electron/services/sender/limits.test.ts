// The engine's limits seen through a real send on loopback: a request over maxRenderedBytes never
// leaves (the service receives nothing), and a 100,000-deep answer ends as a clear outcome.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender, type Sender } from '@services/sender/index';
import { tokenContextSchema, webhookSchema } from '@shared/model';

let server: Server;
let base: string;
let received = 0;
let requests = 0;
let sender: Sender;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    req.on('data', (c: Buffer) => (received += c.length));
    req.on('end', () => {
      if (req.url === '/deep') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000));
      } else if (req.url === '/deep-xml') {
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        res.end('<a>'.repeat(100_000) + 'x' + '</a>'.repeat(100_000));
      } else res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sender = createSender({ proxy: 'none' });
});

afterAll(async () => {
  await sender.close();
  await new Promise<void>((r) => server.close(() => r()));
});

const context = tokenContextSchema.parse({ name: 'c', lead: { Company: 'y'.repeat(100_000) } });

describe('limits on a real send', () => {
  it('a body that would exceed maxRenderedBytes is not sent: the service sees no request', async () => {
    const webhook = webhookSchema.parse({
      name: 'big',
      url: `${base}/in`,
      template: '{{lead.Company}}'.repeat(50),
      method: 'POST',
    });
    const ex = await sender.send({ sendId: 'big', webhook, context, profile: { maxRenderedBytes: 1024 * 1024 } });
    expect(ex.outcome).toBe('not-sent');
    expect(ex.message).toMatch(/maxRenderedBytes/);
    expect(ex.diagnostics.map((d) => d.code)).toContain('rendered-too-large');
    expect(requests).toBe(0);
    expect(received).toBe(0);
  });

  it('a 100,000-deep JSON answer: the send ends with an outcome, its mappings too-deep', async () => {
    const webhook = webhookSchema.parse({
      name: 'deep',
      url: `${base}/deep`,
      responseType: 'json',
      mappings: [{ attribute: 'a', field: 'Title' }],
    });
    const ex = await sender.send({ sendId: 'deep', webhook, context });
    expect(ex.outcome).toBe('updated');
    expect(ex.mapping?.mappings[0]).toMatchObject({ written: false, reason: 'too-deep' });
    expect(() => JSON.stringify(ex)).not.toThrow();
  });

  it('a 100,000-deep XML answer: the same, and the next send works', async () => {
    const webhook = webhookSchema.parse({
      name: 'deep',
      url: `${base}/deep-xml`,
      responseType: 'xml',
      mappings: [{ attribute: 'a.a', field: 'Title' }],
    });
    const ex = await sender.send({ sendId: 'deep-xml', webhook, context });
    expect(ex.mapping?.mappings[0]).toMatchObject({ written: false, reason: 'too-deep' });
    expect(ex.mapping?.diagnostics.map((d) => d.code)).toContain('response-too-deep');
    const next = await sender.send({
      sendId: 'next',
      webhook: webhookSchema.parse({ name: 'ok', url: `${base}/ok` }),
      context,
    });
    expect(next.response?.status).toBe(200);
  });
});
