import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(root, 'out', 'cli', 'index.js');
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-serve-cli-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

function startServe(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, [cli, 'serve', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Webhook Studio is at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, out: () => out });
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited early (${code}): ${out}`)));
  });
}

describe('webhook-studio serve', () => {
  it('prints a 127.0.0.1 address with a token, serves the contract, uses the sample collection on first run, and stops cleanly', async () => {
    const data = path.join(tmp, 'data');
    const { child, url, out } = await startServe(['--port', '0'], { WEBHOOK_STUDIO_DATA: data });
    try {
      const token = new URL(url).searchParams.get('token')!;
      const origin = new URL(url).origin;
      expect(out()).toContain(`using the sample collection in ${path.join(data, 'sample')}`);
      expect(existsSync(path.join(data, 'sample', 'collection.yaml'))).toBe(true);
      const res = await fetch(`${origin}/api/app/info`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Studio-Request': '1' },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ shell: 'browser', collectionDir: path.join(data, 'sample') });
      const noToken = await fetch(`${origin}/api/app/info`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Studio-Request': '1' },
        body: '{}',
      });
      expect(noToken.status).toBe(401);
    } finally {
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('serves a given collection', async () => {
    const { child, url } = await startServe(['--collection', path.join(tmp, 'data', 'sample')], {
      WEBHOOK_STUDIO_DATA: path.join(tmp, 'data2'),
    });
    try {
      const origin = new URL(url).origin;
      const token = new URL(url).searchParams.get('token')!;
      const res = await fetch(`${origin}/api/collection/open`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Studio-Request': '1' },
        body: JSON.stringify({ dir: path.join(tmp, 'data', 'sample') }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { webhooks: unknown[] }).webhooks.length).toBeGreaterThan(0);
      expect(existsSync(path.join(tmp, 'data2', 'sample'))).toBe(false);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('says when the port is taken, with exit code 3', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = spawnSync(process.execPath, [cli, 'serve', '--port', String(port), '--collection', tmp], {
        encoding: 'utf8',
      });
      expect(r.status).toBe(3);
      expect(r.stderr).toContain(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('answers bad options with one line and exit code 2', () => {
    const badPort = spawnSync(process.execPath, [cli, 'serve', '--port', 'eighty'], {
      encoding: 'utf8',
      env: { ...process.env, WEBHOOK_STUDIO_DATA: path.join(tmp, 'd3') },
    });
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toMatch(/--port must be a number/);
    const missing = spawnSync(process.execPath, [cli, 'serve', '--collection', path.join(tmp, 'nope')], {
      encoding: 'utf8',
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such folder/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const unknown = spawnSync(process.execPath, [cli, 'serve', '--bogus'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/usage: webhook-studio serve/);
  });
});
