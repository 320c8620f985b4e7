import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretMasker } from '@services/sender/mask-file';
import { createSender } from '@services/sender/index';
import { spillFolderOf } from '@services/sender/spill';
import { readSpilledBody } from '@services/studio/body-file';
import { tokenContextSchema, webhookSchema } from '@shared/model';
import { startRawServer, type RawServer } from './raw-server';

// A service that echoes a secret in a body over 1 MiB used to leave it in clear in the body file.

const SECRET = 'k3y-Th4t-1s-L0ng-enough';
const KiB = 1024;
/** Where the echoed secret lands: in the kept first part, across a 64 KiB write, across the 1 MiB edge, across 256 KiB, near the end. */
const spots = [100, 20 * 64 * KiB - 5, 1024 * KiB - 7, 6 * 256 * KiB - 11, 2 * 1024 * KiB - 40];
let server: RawServer;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'spill-mask-'));
  server = await startRawServer((req, socket) => {
    const key = /\r\nX-Api-Key: ([^\r]*)\r\n/i.exec(req.toString('latin1'))?.[1] ?? 'none';
    const body = Buffer.alloc(2 * 1024 * KiB, 'a');
    for (const at of spots) body.write(key, at, 'utf8');
    socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n`);
    // In 64 KiB writes, so a secret placed across such an edge arrives in two chunks.
    for (let i = 0; i < body.length; i += 64 * KiB) socket.write(body.subarray(i, i + 64 * KiB));
  });
});
afterAll(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('a secret echoed in a body over 1 MiB', () => {
  it('is masked in the body file too, and the read-back shows the mask', async () => {
    const tempDir = await mkdtemp(path.join(tmp, 't-'));
    const sender = createSender({ proxy: 'none', tempDir });
    const webhook = webhookSchema.parse({
      name: 'echo',
      url: `${server.url}/echo`,
      method: 'GET',
      responseType: 'none',
      headers: [{ name: 'X-Api-Key', value: '', secret: true }],
    });
    const ex = await sender.send({
      sendId: 'echo-1',
      webhook,
      context: tokenContextSchema.parse({ name: 'c' }),
      resolveSecret: () => SECRET,
    });
    await sender.close();
    expect(ex.response?.bodyBytes).toBe(2 * 1024 * KiB);
    const file = ex.response?.bodyFile;
    expect(file).toBeDefined();
    expect(JSON.stringify(ex)).not.toContain(SECRET);
    const folder = spillFolderOf(tempDir);
    const names = await readdir(folder);
    expect(names.length).toBe(1);
    for (const name of names) expect((await readFile(path.join(folder, name))).includes(SECRET)).toBe(false);
    const back = await readSpilledBody(file as string, tempDir);
    expect(back.bodyEncoding).toBe('utf8');
    expect(back.body).not.toContain(SECRET);
    expect(back.body.split('••••••').length - 1).toBe(spots.length);
    expect(back.body.startsWith(`${'a'.repeat(100)}••••••a`)).toBe(true);
  });
});

describe('SecretMasker', () => {
  it('masks a secret wherever the chunks split it, longest match first', () => {
    const text = `xx${SECRET}yy${SECRET}${SECRET}z k3y-Th4t-1 ${SECRET.slice(0, 9)}`;
    const values = [SECRET, 'k3y-Th4t'];
    const bytes = Buffer.from(text);
    for (let size = 1; size <= bytes.length; size++) {
      const m = new SecretMasker(values);
      const out: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) out.push(m.push(bytes.subarray(i, i + size)));
      out.push(m.end());
      expect(Buffer.concat(out).toString(), `chunks of ${size}`).toBe('xx••••••yy••••••••••••z ••••••-1 ••••••-');
    }
  });
});
