// The browser host's answers under hostile input (issue 11 item 8): not-found is 404, bad input a 400
// naming the field, a body over the limit gets its 413 before the socket closes (a real client sending
// a huge body receives it), and concurrent large bodies are bounded in total.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../../electron/host/serve';
import { createStudio, type Studio } from '@services/studio/index';
import { errorOf, rawRequest } from './http-helper';

let tmp: string;
let studio: Studio;
let host: Host;
let small: Host;

const api = (h: Host, extra: Record<string, string> = {}) => ({
  Host: new URL(h.origin).host,
  Authorization: `Bearer ${h.token}`,
  'Content-Type': 'application/json',
  'X-Studio-Request': '1',
  ...extra,
});

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-host-limits-'));
  const rendererDir = path.join(tmp, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Webhook Studio</title>');
  studio = createStudio({ shell: 'browser', userDataDir: path.join(tmp, 'data'), env: {} });
  host = await startHost({ rendererDir, studio, port: 0 });
  // The same host with small limits, so the concurrency bound is tested without moving gigabytes.
  small = await startHost({
    rendererDir,
    studio,
    port: 0,
    maxBodyBytes: 1024 * 1024,
    maxInFlightBytes: 2 * 1024 * 1024,
  });
});

afterAll(async () => {
  await host.close();
  await small.close();
  await studio.close();
  await rm(tmp, { recursive: true, force: true });
});

interface Upload {
  status: number;
  body: string;
  sentBytes: number;
}

/**
 * A real client streaming `total` bytes of body in 64 KiB writes (chunked when `declare` is false),
 * stopping its upload once an answer arrives, as browsers and undici do.
 */
function upload(h: Host, total: number, declare: boolean, hold?: Promise<void>): Promise<Upload> {
  const url = new URL(h.origin);
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const headers: Record<string, string> = { ...api(h), ...(declare ? { 'Content-Length': String(total) } : {}) };
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: 'POST', path: '/api/app/info', headers },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), sentBytes }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    const piece = Buffer.alloc(64 * 1024, 0x20);
    const pump = async (): Promise<void> => {
      if (hold) {
        // Send half, then wait: the request holds its bytes while others arrive.
        while (sentBytes < total / 2 && !answered) {
          const ok = req.write(piece);
          sentBytes += piece.length;
          if (!ok) await new Promise((r) => req.once('drain', r));
        }
        await hold;
      }
      while (sentBytes < total && !answered) {
        const n = Math.min(piece.length, total - sentBytes);
        const ok = req.write(n === piece.length ? piece : piece.subarray(0, n));
        sentBytes += n;
        if (!ok) await new Promise((r) => req.once('drain', r));
      }
      if (!answered) req.end();
      else req.destroy();
    };
    pump().catch(reject);
  });
}

describe('host answers', () => {
  it('a folder that does not exist is a 404, not a 500', async () => {
    const r = await rawRequest(
      host.origin,
      'POST',
      '/api/collection/open',
      api(host),
      JSON.stringify({ dir: path.join(tmp, 'no-such-folder') }),
    );
    expect(r.status).toBe(404);
    expect(errorOf(r).code).toBe('not-found');
  });

  it('a folder that is not a collection is a 422 that says how to make one, not a 500', async () => {
    const plain = await mkdtemp(path.join(tmp, 'plain-'));
    const r = await rawRequest(host.origin, 'POST', '/api/collection/open', api(host), JSON.stringify({ dir: plain }));
    expect(r.status).toBe(422);
    expect(errorOf(r).code).toBe('not-a-collection');
    expect(errorOf(r).message).toContain('webhook-studio init');
  });

  it("a NUL in a path is a 400 naming the field, without Node's own words", async () => {
    const r = await rawRequest(
      host.origin,
      'POST',
      '/api/collection/open',
      api(host),
      JSON.stringify({ dir: `${tmp}/a\u0000b` }),
    );
    expect(r.status).toBe(400);
    const e = errorOf(r);
    expect(e.code).toBe('bad-input');
    expect(e.issues?.[0]?.path).toBe('dir');
    expect(e.message).toMatch(/dir holds a NUL character/);
    expect(r.body).not.toMatch(/ERR_INVALID_ARG|null bytes/);
  });

  it('an input nested deeper than 64 levels is bad input', async () => {
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const r = await rawRequest(host.origin, 'POST', '/api/app/info', api(host), deep);
    expect(r.status).toBe(400);
    expect(errorOf(r).message).toMatch(/nests deeper than 64 levels/);
  });

  it('a declared body over 64 MiB gets its 413 before a byte of it is read', async () => {
    const r = await upload(host, 100 * 1024 * 1024, true);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe('too-large');
    expect(r.sentBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('a chunked body that grows over 64 MiB: the client receives the 413', async () => {
    const r = await upload(host, 80 * 1024 * 1024, false);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.message).toMatch(/larger than 67108864 bytes/);
    // The host still answers.
    const next = await rawRequest(host.origin, 'POST', '/api/app/info', api(host), '{}');
    expect(next.status).toBe(200);
  });

  it('concurrent large bodies are bounded in total: beyond it 503 with Retry-After, and the rest go through', async () => {
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    // Five 1,000 KB chunked bodies (each under the 1 MiB limit) against a 2 MiB total: each sends half and
    // holds it, so together they hold 2.4 MiB and at least one must be refused while the others wait.
    const uploads = Array.from({ length: 5 }, () => upload(small, 1000 * 1024, false, hold));
    await new Promise((r) => setTimeout(r, 500));
    // A declared body that does not fit beside them is refused at once.
    const declared = await upload(small, 900 * 1024, true);
    expect(declared.status).toBe(503);
    expect(JSON.parse(declared.body).error.code).toBe('busy');
    release();
    const results = await Promise.all(uploads);
    const statuses = results.map((r) => r.status).sort();
    // At least one is refused as the host fills; the others are answered (400: app:info takes no such input).
    expect(statuses).toContain(503);
    expect(statuses.filter((s) => s === 400 || s === 200).length).toBeGreaterThan(0);
    // Once they are answered the budget is free again.
    const after = await upload(small, 900 * 1024, true);
    expect(after.status).not.toBe(503);
  });
});
