import { isUtf8 } from 'node:buffer';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender, type Sender } from '@services/sender/index';
import { tokenContextSchema, webhookSchema } from '@shared/model';
import { startRawServer, type RawServer } from './raw-server';

// The response head is read from the socket's bytes: the usual short ASCII head in the first chunk by a
// string search, anything else (a long head, one split over chunks, bytes beyond ASCII) by the byte loop.
// Each must record the head exactly as it arrived.

const longValue = 'v'.repeat(3000);
const heads: Record<string, string[]> = {
  '/short': ['HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"name":"Jo"}'],
  '/long': [`HTTP/1.1 200 OK\r\nX-Long: ${longValue}\r\nContent-Length: 13\r\n\r\n{"name":"Jo"}`],
  // The blank line's four bytes are bytes 1,022 to 1,025: a search of the first 1,024 bytes alone misses it.
  '/straddle': [`HTTP/1.1 200 OK\r\nX-Pad: ${'p'.repeat(978)}\r\nContent-Length: 13\r\n\r\n{"name":"Jo"}`],
  '/split': ['HTTP/1.1 200 OK\r\nX-Fir', 'st: 1\r\nContent-Length: 13\r\n\r', '\n{"name":"Jo"}'],
  // UTF-8 in the reason phrase, written as its bytes (each part is written as latin1).
  '/utf8-reason': [
    `HTTP/1.1 200 ${Buffer.from('Très bien', 'utf8').toString('latin1')}\r\nContent-Length: 13\r\n\r\n{"name":"Jo"}`,
  ],
  '/latin1': ['HTTP/1.1 200 OK\r\nX-Name: Ren\xe9\r\nContent-Length: 13\r\n\r\n{"name":"Jo"}'],
  '/early-hints': [
    'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n{"name":"Jo"}',
  ],
};

let server: RawServer;
let sender: Sender;
let n = 0;

function respond(request: Buffer, socket: Socket): void {
  const target = (request.toString('latin1').split(' ')[1] ?? '/').split('?')[0] as string;
  const parts = heads[target] ?? ['HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'];
  // Each part is its own write, a little apart, so the sender reads them as separate chunks.
  parts.forEach((part, i) => setTimeout(() => socket.write(Buffer.from(part, 'latin1')), i * 30));
}

beforeAll(async () => {
  server = await startRawServer(respond);
  sender = createSender({ proxy: 'none' });
});
afterAll(async () => {
  await sender.close();
  await server.close();
});

const send = (target: string) =>
  sender.send({
    sendId: `head-${++n}`,
    webhook: webhookSchema.parse({
      name: 'hook',
      url: `${server.url}${target}`,
      responseType: 'json',
      mappings: [{ attribute: 'name', field: 'FirstName' }],
    }),
    context: tokenContextSchema.parse({ name: 'c', lead: {} }),
  });

/** The final head as the server wrote it, as text: UTF-8 when its bytes are, else one character per byte. */
function finalHead(target: string): string {
  const all = (heads[target] as string[]).join('');
  const start = all.lastIndexOf('HTTP/1.1 ');
  const bytes = Buffer.from(all.slice(start, all.indexOf('\r\n\r\n', start) + 4), 'latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}

describe('the response head as recorded', () => {
  for (const target of Object.keys(heads)) {
    it(`${target}: exactly as it arrived, its headers read from it, the mapping written`, async () => {
      const ex = await send(target);
      expect(ex.outcome).toBe('updated');
      expect(ex.response?.head).toBe(finalHead(target));
      expect(ex.response?.status).toBe(200);
      const lines = finalHead(target).split('\r\n').slice(1, -2);
      expect(ex.response?.headers.map((h) => `${h.name}: ${h.value}`)).toEqual(lines);
      expect(ex.mapping?.lead.after['FirstName']).toBe('Jo');
    });
  }
});
