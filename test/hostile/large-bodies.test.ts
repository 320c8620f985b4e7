import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender, type Sender } from '../../electron/services/sender/index';
import { spillFolderOf } from '../../electron/services/sender/spill';
import type { RawServer } from '../electron/services/sender/raw-server';
import { jsonBody, send, startHostile, writeChunked } from './hostile';

// Issue 11, item 1: a body over 1 MiB followed by the server closing the connection took the process
// down (undici 7's parser asserted `!this.paused` when the socket ended while the sender had paused it
// for the temp file to drain). Every size around the 1 MiB boundary, with every way of ending a body.

const MiB = 1024 * 1024;
const sizes = [MiB - 1, MiB, MiB + 1, 1_153_434, 5_000_000];
const framings = ['close', 'keep-alive', 'chunked', 'chunked-close', 'until-eof'] as const;

let server: RawServer;
let sender: Sender;
let tmp: string;
const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => uncaught.push(e);

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hostile-large-'));
  const routes: Record<string, (s: import('node:net').Socket) => void> = {};
  for (const size of sizes) {
    const body = jsonBody(size);
    const json = 'Content-Type: application/json\r\n';
    routes[`/close/${size}`] = (s) => {
      s.write(`HTTP/1.1 200 OK\r\n${json}Content-Length: ${size}\r\nConnection: close\r\n\r\n`);
      s.end(body);
    };
    routes[`/keep-alive/${size}`] = (s) => {
      s.write(`HTTP/1.1 200 OK\r\n${json}Content-Length: ${size}\r\n\r\n`);
      s.write(body);
    };
    routes[`/chunked/${size}`] = (s) => {
      s.write(`HTTP/1.1 200 OK\r\n${json}Transfer-Encoding: chunked\r\n\r\n`);
      writeChunked(s, body);
    };
    routes[`/chunked-close/${size}`] = (s) => {
      s.write(`HTTP/1.1 200 OK\r\n${json}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n`);
      writeChunked(s, body);
      s.end();
    };
    // No length at all: the body is whatever comes until the server closes.
    routes[`/until-eof/${size}`] = (s) => {
      s.write(`HTTP/1.1 200 OK\r\n${json}Connection: close\r\n\r\n`);
      s.end(body);
    };
  }
  server = await startHostile(routes);
  sender = createSender({ proxy: 'none', tempDir: tmp });
  process.on('uncaughtException', onUncaught);
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await sender.close();
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('bodies around the 1 MiB boundary, however the server ends them', () => {
  for (const framing of framings) {
    for (const size of sizes) {
      it(`${framing}, ${size} bytes: the whole body arrives and maps, nothing crashes`, async () => {
        const ex = await send(sender, `${server.url}/${framing}/${size}`);
        expect(ex.message).not.toContain('internal error');
        expect(ex.outcome).toBe('updated');
        expect(ex.response?.bodyBytes).toBe(size);
        expect(ex.response?.truncated).toBe(false);
        // Only the whole body has the name, at its very end.
        expect(ex.mapping?.lead.after['FirstName']).toBe('Kim');
        const file = ex.response?.bodyFile;
        if (size > MiB) {
          expect(file).toBeDefined();
          expect(readFileSync(file as string).equals(jsonBody(size))).toBe(true);
          expect(path.dirname(file as string)).toBe(spillFolderOf(tmp));
          if (process.platform !== 'win32') {
            expect(statSync(file as string).mode & 0o777).toBe(0o600);
            expect(statSync(path.dirname(file as string)).mode & 0o777).toBe(0o700);
          }
        } else {
          expect(file).toBeUndefined();
          expect(ex.response?.body.length).toBe(size);
        }
        // Give the socket's end a turn to be handled, where the crash happened.
        await new Promise((r) => setTimeout(r, 20));
        expect(uncaught).toEqual([]);
        const after = await send(sender, `${server.url}/ok`);
        expect(after.outcome).toBe('updated');
      });
    }
  }

  it('a body cut at maxResponseBytes past 1 MiB, on a connection the server closes, ends cleanly too', async () => {
    const ex = await send(
      sender,
      `${server.url}/close/5000000`,
      { responseType: 'none', mappings: [] },
      { maxResponseBytes: 2 * MiB },
    );
    expect(ex.response?.truncated).toBe(true);
    expect(ex.response?.bodyBytes).toBe(2 * MiB);
    expect(readFileSync(ex.response?.bodyFile as string).length).toBe(2 * MiB);
    await new Promise((r) => setTimeout(r, 20));
    expect(uncaught).toEqual([]);
  });
});
