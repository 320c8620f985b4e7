import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrichWebhook, leadsCsv, startServer } from '../electron/services/runner/helpers';

// `send` and `run` used to die with a stack dump on an exception a service missed. A preloaded module
// plays the missed bug: a throw from a timer and a rejection nobody handles, while the send is waiting.

const cli = path.resolve('out/cli/index.js');
let tmp: string;
let crash: string;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'guard-cli-'));
  crash = path.join(tmp, 'crash.mjs');
  await writeFile(
    crash,
    // Once the command has installed its guard (the send is then waiting for the slow answer).
    `process.on('newListener', (event) => {
  if (event !== 'uncaughtException') return;
  setTimeout(() => { throw new Error('boom while handling authorization: Bearer s3cr3t-value'); }, 20);
  setTimeout(() => { void Promise.reject(new RangeError('nobody handled this')); }, 40);
});
`,
  );
  server = await startServer(() => ({ status: 200, body: '{"company":{"name":"Acme"},"title":"CTO"}', delayMs: 300 }));
  await writeFile(path.join(tmp, 'hook.json'), JSON.stringify(enrichWebhook(server.origin)));
  await writeFile(path.join(tmp, 'ctx.yaml'), 'name: Sandy\nlead:\n  Email: sandy@example.com\n  Company: Sandy Co\n');
  await writeFile(path.join(tmp, 'leads.csv'), leadsCsv(3));
});
afterAll(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (/^(https?|no|all)_proxy$/i.test(k)) delete env[k];
    const child = spawn(process.execPath, ['--import', pathToFileURL(crash).href, cli, ...args], {
      cwd: tmp,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectOneLineEach(stderr: string, command: string): void {
  const lines = stderr.split('\n').filter((l) => l.startsWith(`webhook-studio ${command}: kept running after`));
  expect(lines).toHaveLength(2);
  expect(lines[0]).toContain('an uncaught exception: Error: boom while handling authorization: ••••••');
  expect(lines[1]).toContain('an unhandled promise rejection: RangeError: nobody handled this');
  expect(stderr).not.toContain('s3cr3t-value');
  // One line each: no stack dump.
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('an exception a service missed, in the CLI', () => {
  it('send: one line on stderr, the exchange still printed, exit 1', async () => {
    const r = await runCli(['send', 'hook.json', '--context', 'ctx.yaml']);
    expectOneLineEach(r.stderr, 'send');
    expect(r.stdout).toContain('outcome: updated');
    expect(r.code).toBe(1);
  });

  it('run: one line on stderr, every lead recorded, exit 1', async () => {
    const out = path.join(tmp, 'out');
    const r = await runCli(['run', 'hook.json', '--leads', 'leads.csv', '--concurrency', '1', '--out', out]);
    expectOneLineEach(r.stderr, 'run');
    const lines = (await readFile(path.join(out, 'results.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('{"dispatched"'));
    expect(lines).toHaveLength(3);
    expect(r.stdout).toContain('3 of 3 leads succeeded');
    expect(r.code).toBe(1);
  });
});
