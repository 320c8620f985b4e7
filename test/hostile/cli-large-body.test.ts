import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spillFolderOf } from '../../electron/services/sender/spill';
import type { RawServer } from '../electron/services/sender/raw-server';
import { jsonBody, startHostile } from './hostile';

// Issue 11, item 1, as reported: `webhook-studio send` (and `run`) against a server answering a 1.1 MB
// JSON body with Connection: close died with undici's `assert(!this.paused)`, 6 tries out of 6.

const cli = path.resolve('out/cli/index.js');
let tmp: string;
let server: RawServer;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
    for (const k of Object.keys(env)) if (/^(https?|no|all)_proxy$/i.test(k)) delete env[k];
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hostile-cli-'));
  server = await startHostile({
    '/big-close': (s) => {
      const body = jsonBody(1_153_434);
      s.write(
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      );
      s.end(body);
    },
  });
  await writeFile(
    path.join(tmp, 'big.yaml'),
    `name: Big\nurl: ${JSON.stringify(`${server.url}/big-close`)}\nmethod: GET\nresponseType: json\nmappings:\n  - attribute: name\n    field: FirstName\n`,
  );
  await writeFile(path.join(tmp, 'ctx.yaml'), 'name: Sandy\nlead:\n  Email: sandy@example.com\n');
  await writeFile(path.join(tmp, 'leads.csv'), 'Email\na@example.com\nb@example.com\nc@example.com\n');
});

afterAll(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('the CLI and a 1.1 MB answer the server closes after', () => {
  it('send: three tries, three answers, the whole body mapped', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await runCli(['send', 'big.yaml', '--context', 'ctx.yaml']);
      expect(r.stderr).not.toContain('AssertionError');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('outcome: updated');
      expect(r.stdout).toContain('FirstName: written "Kim"');
      expect(r.stdout).toMatch(/\(1153434 bytes, whole body in \S+\.body\)/);
    }
  });

  it('run: every lead answered, and no body file left behind once it ends', async () => {
    const r = await runCli(['run', 'big.yaml', '--leads', 'leads.csv', '--out', 'out']);
    expect(r.stderr).not.toContain('AssertionError');
    expect(r.code).toBe(0);
    const left = await readdir(spillFolderOf(tmp)).catch(() => [] as string[]);
    // Only the bodies `send` kept for the person (pid 0 in their names) are there.
    expect(left.filter((f) => !/-0-\d+\.body$/.test(f))).toEqual([]);
  });
});
