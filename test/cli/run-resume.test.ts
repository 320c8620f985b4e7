import { describe, it, expect, afterAll, beforeAll, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unpackRecord } from '../../electron/services/runner/record-codec';
import type { RunRecord, RunSummary } from '../../shared/runner/summary';
import { parseCsv } from '../../shared/formats/csv';
import { validateJunit } from '../shared/runner/junit-schema';
import { enrichWebhook, leadsCsv, startServer } from '../electron/services/runner/helpers';

/**
 * Stops and resumes of `webhook-studio run` as whole processes: signals, kill -9 at random moments,
 * and `--resume`, against a loopback service that counts how often each lead reached it.
 */
const cli = path.resolve('out/cli/index.js');
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'run-resume-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function start(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [cli, 'run', ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

async function records(outDir: string): Promise<RunRecord[]> {
  const text = await readFile(path.join(outDir, 'results.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('{"dispatched"'))
    .map(unpackRecord);
}

/** A service that answers each lead after a short wait and counts, per email, how often it was called. */
async function countingServer(delayMs: number) {
  const calls = new Map<string, number>();
  const server = await startServer((body) => {
    const lead = JSON.parse(body) as { email: string; company: string };
    calls.set(lead.email, (calls.get(lead.email) ?? 0) + 1);
    return { status: 200, body: JSON.stringify({ company: { name: `${lead.company} Ltd` }, title: 'CTO' }), delayMs };
  });
  cleanups.push(() => server.close());
  return { ...server, calls };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(5);
  }
}

describe('run: stops and resume', () => {
  it('on SIGTERM finishes the leads in flight, writes the summary and reports, accounts for every line, exits 143', async () => {
    const server = await countingServer(30);
    const hook = path.join(tmp, 'term.json');
    await writeFile(hook, JSON.stringify(enrichWebhook(server.origin)));
    const leads = path.join(tmp, 'term.csv');
    await writeFile(leads, leadsCsv(200));
    const out = path.join(tmp, 'out-term');
    const run = start([hook, '--leads', leads, '--concurrency', '4', '--out', out]);
    await until(() => server.received() >= 12);
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.code).toBe(143);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.state).toBe('cancelled');
    expect(summary.message).toBe('stopped by SIGTERM');
    expect(summary.counts.leads).toBe(200);
    expect(summary.counts.sent + summary.counts.skipped + summary.counts.notRun).toBe(200);
    expect(summary.counts.notRun).toBeGreaterThan(0);
    // In flight leads were let finish: everything the service saw has its answer recorded.
    expect(summary.counts.sent).toBe(server.received());
    expect(summary.counts.succeeded).toBe(summary.counts.sent);
    for (const f of ['junit.xml', 'report.html', 'report.json', 'lead-updates.csv'])
      expect(existsSync(path.join(out, f)), f).toBe(true);
    expect(validateJunit(await readFile(path.join(out, 'junit.xml'), 'utf8'))).toEqual([]);
    expect(r.stdout).toContain(`200 lines: ${summary.counts.sent} sent`);
    expect((await stat(path.join(out, 'results.jsonl'))).mode & 0o777).toBe(0o600);

    // The rest is sent by a resume, and nothing twice.
    const resumed = await start(['--resume', out]).done;
    expect(resumed.code).toBe(0);
    expect([...server.calls.values()].every((n) => n === 1)).toBe(true);
    expect(server.calls.size).toBe(200);
    const after = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
    expect(after.counts).toMatchObject({ leads: 200, sent: 200, succeeded: 200, notRun: 0 });
    expect((await records(out)).map((r) => r.line)).toEqual(Array.from({ length: 200 }, (_, i) => i + 2));
    expect(parseCsv(await readFile(path.join(out, 'lead-updates.csv'), 'utf8')).rows).toHaveLength(200);
  }, 60_000);

  it('after kill -9 at random moments, --resume never sends a lead twice and names every lead sent without an answer (20 times)', async () => {
    const leadCount = 30;
    const leads = path.join(tmp, 'kill.csv');
    await writeFile(leads, leadsCsv(leadCount));
    let unansweredSeen = 0;
    for (let round = 0; round < 20; round++) {
      const server = await countingServer(3);
      const hook = path.join(tmp, `kill-${round}.json`);
      await writeFile(hook, JSON.stringify(enrichWebhook(server.origin)));
      const out = path.join(tmp, `out-kill-${round}`);
      const run = start([hook, '--leads', leads, '--concurrency', '4', '--out', out]);
      await until(() => existsSync(path.join(out, 'results.jsonl')));
      await sleep(Math.floor(Math.random() * 60));
      run.child.kill('SIGKILL');
      await run.done;
      const firstRun = new Map(server.calls);

      const resumed = await start(['--resume', out]).done;
      expect(resumed.code, resumed.stderr).toBeLessThanOrEqual(1);
      const rows = await records(out);
      expect(
        rows.map((r) => r.line),
        `round ${round}`,
      ).toEqual(Array.from({ length: leadCount }, (_, i) => i + 2));
      const unanswered = new Set(rows.filter((r) => r.outcome === 'cancelled' && !r.notRun).map((r) => r.email));
      unansweredSeen += unanswered.size;
      for (let i = 0; i < leadCount; i++) {
        const email = `lead${i}@example.com`;
        const n = server.calls.get(email) ?? 0;
        // Never sent twice; a lead the service never answered is one the resume named as sent without an answer.
        expect(n, `round ${round}: ${email}`).toBeLessThanOrEqual(1);
        if (n === 0) {
          // Should this ever fail, the message says what the lead's record was.
          const row = rows.find((r) => r.email === email);
          const seen = row ? `${row.outcome} (${row.message})${row.notRun ? ', not run' : ''}` : 'no record';
          expect(unanswered.has(email), `round ${round}: ${email}: ${seen}`).toBe(true);
        }
        if (unanswered.has(email)) expect(firstRun.has(email) || n === 0, `round ${round}: ${email}`).toBe(true);
      }
      if (unanswered.size > 0)
        expect(resumed.stdout).toMatch(/sent earlier without a recorded answer \(lines [\d, ]+\), not sent again/);
      const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
      expect(summary.counts.leads).toBe(leadCount);
      expect(existsSync(path.join(out, 'results.1.jsonl'))).toBe(false);
    }
    // Reported for the record: how many leads were caught in flight across the 20 kills.
    console.log(`kill -9 rounds: ${unansweredSeen} lead(s) dispatched without a recorded answer over 20 rounds`);
  }, 180_000);

  it('--resend-unanswered sends again the leads dispatched without an answer, and only those', async () => {
    const server = await countingServer(200);
    const hook = path.join(tmp, 'resend.json');
    await writeFile(hook, JSON.stringify(enrichWebhook(server.origin)));
    const leads = path.join(tmp, 'resend.csv');
    await writeFile(leads, leadsCsv(12));
    const out = path.join(tmp, 'out-resend');
    const run = start([hook, '--leads', leads, '--concurrency', '4', '--out', out]);
    // Killed while four leads wait for their answers.
    await until(() => server.received() >= 4);
    run.child.kill('SIGKILL');
    await run.done;
    const resumed = await start(['--resume', out, '--resend-unanswered']).done;
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(
      /4 lead\(s\) were sent earlier without a recorded answer \(lines 2, 3, 4, 5\), sent again/,
    );
    expect(
      [...server.calls.entries()]
        .filter(([, n]) => n === 2)
        .map(([e]) => e)
        .sort(),
    ).toEqual(['lead0@example.com', 'lead1@example.com', 'lead2@example.com', 'lead3@example.com']);
    expect(server.calls.size).toBe(12);
  }, 60_000);

  it('--record none and failures keep lead-updates.csv, JUnit and the summary complete', async () => {
    const server = await countingServer(0);
    const hook = path.join(tmp, 'record.json');
    await writeFile(hook, JSON.stringify(enrichWebhook(server.origin)));
    const leads = path.join(tmp, 'record.csv');
    await writeFile(leads, leadsCsv(20));
    const sizes: Record<string, number> = {};
    for (const setting of ['all', 'failures', 'none']) {
      const out = path.join(tmp, `out-record-${setting}`);
      const r = await start([hook, '--leads', leads, '--record', setting, '--concurrency', '2', '--out', out]).done;
      expect(r.code, setting).toBe(0);
      const rows = await records(out);
      expect(rows).toHaveLength(20);
      expect(
        rows.every((x) => (setting === 'all' ? x.exchange !== undefined : x.exchange === undefined)),
        setting,
      ).toBe(true);
      expect(rows[0]).toMatchObject({
        line: 2,
        leadKey: 'lead0@example.com',
        status: 200,
        outcome: 'updated',
        updates: { Company: 'Company 0 Ltd', Title: 'CTO' },
      });
      expect(typeof rows[0]?.totalMs).toBe('number');
      expect(parseCsv(await readFile(path.join(out, 'lead-updates.csv'), 'utf8')).rows).toHaveLength(20);
      const junit = await readFile(path.join(out, 'junit.xml'), 'utf8');
      expect(validateJunit(junit)).toEqual([]);
      expect(junit.match(/<testcase /g)).toHaveLength(20);
      const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
      expect(summary.counts).toMatchObject({ leads: 20, succeeded: 20 });
      expect(summary.lint.length).toBeGreaterThan(0);
      sizes[setting] = (await stat(path.join(out, 'results.jsonl'))).size;
    }
    expect(sizes['failures']).toBeLessThan((sizes['all'] ?? 0) / 3);
  }, 60_000);
});
