import type { Socket } from 'node:net';
import { tokenContextSchema, webhookSchema, type Exchange, type Profile, type WebhookInput } from '../../shared/model';
import type { Sender } from '../../electron/services/sender/index';
import { ok, startRawServer, type RawServer } from '../electron/services/sender/raw-server';

/** What a hostile route does with the socket once a whole request has arrived. */
export type Route = (socket: Socket) => void;

/** One raw TCP server on 127.0.0.1 playing a misbehaving web service per request path; `/ok` is a good one. */
export async function startHostile(routes: Record<string, Route>): Promise<RawServer> {
  return startRawServer((request, socket) => {
    const target = (request.toString('latin1').split(' ')[1] ?? '/').split('?')[0] as string;
    const route = routes[target];
    if (route) route(socket);
    else if (target === '/ok') socket.write(ok('{"name":"Robin"}'));
    else socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
}

/** A JSON body of exactly `size` bytes whose `name` is Kim, at its very end (so only the whole body maps it). */
export function jsonBody(size: number): Buffer {
  const frame = '{"pad":"","name":"Kim"}';
  return Buffer.from(`{"pad":"${'a'.repeat(size - frame.length)}","name":"Kim"}`);
}

export const webhook = (url: string, input: Partial<WebhookInput> = {}) =>
  webhookSchema.parse({
    name: 'hostile',
    url,
    method: 'GET',
    responseType: 'json',
    mappings: [{ attribute: 'name', field: 'FirstName' }],
    ...input,
  });

let n = 0;
export function send(
  sender: Sender,
  url: string,
  input: Partial<WebhookInput> = {},
  profile: Partial<Profile> = {},
): Promise<Exchange> {
  return sender.send({
    sendId: `hostile-${++n}`,
    webhook: webhook(url, input),
    context: tokenContextSchema.parse({ name: 'Sandy' }),
    profile: { timeoutMs: 10_000, ...profile },
  });
}

/** Writes `body` in pieces as a chunked transfer, then the last chunk. */
export function writeChunked(socket: Socket, body: Buffer, piece = 64 * 1024): void {
  for (let at = 0; at < body.length; at += piece) {
    const part = body.subarray(at, at + piece);
    socket.write(`${part.length.toString(16)}\r\n`);
    socket.write(part);
    socket.write('\r\n');
  }
  socket.write('0\r\n\r\n');
}

/** Resident memory now, after a collection when the test runs with --expose-gc (vitest's node project may not). */
export function rssMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / (1024 * 1024);
}
