import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = path.resolve(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js');
let tmp: string;
let collection: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'catch-collection-'));
  collection = path.join(tmp, 'crm');
  await mkdir(path.join(collection, 'webhooks', 'leads'), { recursive: true });
  await writeFile(path.join(collection, 'collection.yaml'), 'name: CRM\n');
  await writeFile(
    path.join(collection, 'catcher.yaml'),
    '- path: /leads*\n  status: 404\n  reason: Not Found\n  body: \'{"error":"no such lead"}\'\n',
  );
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** Starts `catch` in `cwd`; resolves with its URL and what it said once it listens, or rejects with its exit. */
function startCatch(cwd: string, args: string[]): Promise<{ child: ChildProcess; url: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, 'catch', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) resolve({ child, url: m[1] as string, stderr: err });
    });
    child.on('exit', (code) => reject(new Error(`catch exited (${code}): ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGINT');
  return exited;
}

describe('webhook-studio catch inside a collection', () => {
  it("answers with the collection's catcher.yaml, from a subfolder too", async () => {
    const running = await startCatch(path.join(collection, 'webhooks', 'leads'), []);
    try {
      expect(running.stderr).toContain(`with 1 rule(s) from ${path.join(collection, 'catcher.yaml')}`);
      const res = await fetch(`${running.url}/leads/7`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('{"error":"no such lead"}');
    } finally {
      expect(await stop(running.child)).toBe(0);
    }
  });

  it('--respond wins over the collection rules', async () => {
    const rules = path.join(tmp, 'rules.yaml');
    await writeFile(rules, '- status: 202\n');
    const running = await startCatch(collection, ['--respond', rules]);
    try {
      expect((await fetch(`${running.url}/leads/7`, { method: 'POST', body: '{}' })).status).toBe(202);
    } finally {
      expect(await stop(running.child)).toBe(0);
    }
  });

  it('a bad catcher.yaml is refused with exit 2, naming the file, line, rule and key', async () => {
    const broken = path.join(tmp, 'broken');
    await mkdir(broken);
    await writeFile(path.join(broken, 'collection.yaml'), 'name: Broken\n');
    await writeFile(path.join(broken, 'catcher.yaml'), '- status: 404\n- delayMs: -1\n');
    await expect(startCatch(broken, [])).rejects.toThrow(
      /catch exited \(2\): .*catcher\.yaml:2:\d+: .*rule 2, delayMs/s,
    );
  });

  it('outside a collection it answers 200 {"ok":true} as before', async () => {
    const running = await startCatch(tmp, []);
    try {
      const res = await fetch(`${running.url}/leads/7`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('{"ok":true}');
    } finally {
      expect(await stop(running.child)).toBe(0);
    }
  });
});
