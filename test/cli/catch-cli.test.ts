import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = path.resolve(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js');
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'catch-cli-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  url: string;
  lines: () => string[];
  stderr: () => string;
}

function startCatch(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [cli, 'catch', ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) resolve({ child, url: m[1] as string, lines: () => out.split('\n').filter(Boolean), stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`catch exited early (${code}): ${err}`)));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill(signal);
  return exited;
}

function runOnce(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'catch', ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('webhook-studio catch', () => {
  it('prints one JSON line per request with its exact head and body, and stops on SIGINT', async () => {
    const running = await startCatch([]);
    try {
      const res = await fetch(`${running.url}/hook?x=%26`, {
        method: 'POST',
        body: '{"a":1}',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('{"ok":true}');
      await fetch(`${running.url}/second`);
      await new Promise((r) => setTimeout(r, 100));
      const lines = running.lines().map((l) => JSON.parse(l));
      expect(lines.map((l) => l.target)).toEqual(['/hook?x=%26', '/second']);
      expect(lines[0]).toMatchObject({ seq: 1, method: 'POST', body: '{"a":1}', bodyEncoding: 'utf8' });
      expect(lines[0].head).toMatch(/^POST \/hook\?x=%26 HTTP\/1\.1\r\n[\s\S]*\r\n\r\n$/);
    } finally {
      expect(await stop(running.child, 'SIGINT')).toBe(0);
    }
    expect(running.stderr()).toContain('stopped after 2 request(s)');
  });

  it('--respond answers per the rules file; SIGTERM stops it', async () => {
    const rules = path.join(tmp, 'rules.yaml');
    await writeFile(rules, '- method: POST\n  path: /fail\n  status: 503\n  reason: Try Later\n  body: busy\n');
    const running = await startCatch(['--respond', rules, '--port', '0']);
    try {
      const res = await fetch(`${running.url}/fail`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(503);
      expect(res.statusText).toBe('Try Later');
      expect(await res.text()).toBe('busy');
    } finally {
      expect(await stop(running.child, 'SIGTERM')).toBe(0);
    }
  });

  it('a bad rules file or port is refused with exit 2 and a message naming the problem', async () => {
    const bad = path.join(tmp, 'bad.yaml');
    await writeFile(bad, '- status: 42\n');
    const r = await runOnce(['--respond', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:1:\d+: .*status/);
    const port = await runOnce(['--port', 'eighty']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port must be a number from 0 to 65535, not 'eighty'");
  });
});
