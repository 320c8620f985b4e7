import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCatcherRules, startCatcher } from '../../electron/services/catcher/index';
import type { RunSummary } from '../../shared/runner/summary';
import { enrichWebhook, leadsCsv } from '../electron/services/runner/helpers';

const cli = path.resolve('out/cli/index.js');
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'run-triggers-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'run', ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const triggers = [
  {
    name: 'Rate limited',
    webhooks: ['Enrich lead'],
    constraints: [{ attribute: 'errorType', operator: 'is', values: ['Too Many Requests'] }],
  },
  {
    name: 'Updated',
    constraints: [
      { attribute: 'errorType', operator: 'is-empty' },
      { attribute: 'response', operator: 'contains', values: ['CTO'] },
    ],
  },
  {
    name: 'No answer',
    constraints: [
      { attribute: 'response', operator: 'is-empty' },
      { attribute: 'errorType', operator: 'is', values: ['Connection Error', 'Timeout'] },
    ],
  },
];

describe('run: leads per trigger and 429s apart', () => {
  it('against a catcher that allows 5 requests a minute: 5 updated, 3 refused; the triggers count them', async () => {
    const rules = parseCatcherRules(
      JSON.stringify([
        {
          path: '/enrich',
          status: 200,
          headers: [{ name: 'Content-Type', value: 'application/json' }],
          body: '{"title":"CTO","company":{"name":"X"}}',
          rateLimit: { requests: 5, windowMs: 60_000 },
        },
      ]),
      'rules.json',
    );
    const catcher = await startCatcher({ rules });
    try {
      await writeFile(path.join(tmp, 'hook.json'), JSON.stringify(enrichWebhook(catcher.url)));
      await writeFile(path.join(tmp, 'triggers.yaml'), JSON.stringify(triggers));
      await writeFile(path.join(tmp, 'leads.csv'), leadsCsv(8));
      const out = path.join(tmp, 'out-429');
      const r = await runCli([
        'hook.json',
        '--leads',
        'leads.csv',
        '--triggers',
        'triggers.yaml',
        '--reporter',
        'json',
        '--out',
        out,
      ]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        'rate limited: 3 lead(s) answered 429 (3 with Retry-After); Marketo does not retry them',
      );
      expect(r.stdout).toContain('trigger "Rate limited": fires for 3 of 8 lead(s)');
      expect(r.stdout).toMatch(/trigger "Updated": fires for 5 of 8 lead\(s\) \(assumed: errorTypeOn2xx\)/);
      expect(r.stdout).toContain('trigger "No answer": fires for 0 of 8 lead(s)');
      expect(r.stdout).toMatch(
        /note: the service began refusing \(429\) at about [\d.]+ requests\/s, after 5 calls in \d+ ms; Marketo, one lead after another at [\d.]+ ms, would call about [\d.]+ requests\/s/,
      );
      const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
      expect(summary.triggers).toEqual([
        { name: 'Rate limited', leads: 3 },
        { name: 'Updated', leads: 5, assumed: ['errorTypeOn2xx'] },
        { name: 'No answer', leads: 0 },
      ]);
      expect(summary.rateLimited).toMatchObject({
        leads: 3,
        withRetryAfter: 3,
        refusedFrom: { line: 7, callsBefore: 5 },
      });
    } finally {
      await catcher.close();
    }
  });

  it('a service that is not there: every lead is a network error, and the "No answer" trigger fires for each', async () => {
    // A port that was just free: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    await writeFile(path.join(tmp, 'gone.json'), JSON.stringify(enrichWebhook(`http://127.0.0.1:${port}`)));
    await writeFile(path.join(tmp, 'three.csv'), leadsCsv(3));
    const r = await runCli([
      'gone.json',
      '--leads',
      'three.csv',
      '--triggers',
      'triggers.yaml',
      '--reporter',
      'json',
      '--out',
      path.join(tmp, 'out-gone'),
    ]);
    expect(r.stdout).toContain('trigger "No answer": fires for 3 of 3 lead(s) (assumed: networkErrorType)');
    expect(r.stdout).not.toContain('rate limited:');
  });
});
