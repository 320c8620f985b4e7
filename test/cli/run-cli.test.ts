import { describe, it, expect, afterAll, afterEach, beforeAll } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initCollection, saveContext, saveWebhook } from '../../electron/services/collection/index';
import { createSender } from '../../electron/services/sender/index';
import { createRunner } from '../../electron/services/runner/index';
import { createRunnerChannels } from '../../electron/services/runner/channels';
import type { EventPayload } from '../../shared/contract';
import { unpackRecord } from '../../electron/services/runner/record-codec';
import type { RunRecord } from '../../shared/runner/summary';
import { validateJunit } from '../shared/runner/junit-schema';
import { enrichWebhook, leadsCsv, startServer, triggerContext } from '../electron/services/runner/helpers';

const cli = path.resolve('out/cli/index.js');
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'run-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function runCli(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'run', ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function enrichAnswer(body: string) {
  const lead = JSON.parse(body) as { email: string; company: string };
  if (lead.email.startsWith('fail')) return { status: 503, body: '{"error":"busy"}' };
  return { status: 200, body: JSON.stringify({ company: { name: `${lead.company} Ltd` }, title: 'CTO' }) };
}

async function records(outDir: string): Promise<RunRecord[]> {
  const text = await readFile(path.join(outDir, 'results.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('{"dispatched"'))
    .map(unpackRecord);
}

/** Everything in a record except what differs run to run: timings, ids, clocks, the server's Date header. */
function stable(record: RunRecord): unknown {
  const copy = JSON.parse(JSON.stringify(record)) as Record<string, unknown> & { exchange?: Record<string, unknown> };
  delete copy['totalMs'];
  const x = copy.exchange;
  if (x) {
    delete x['timings'];
    delete x['startedAt'];
    delete x['id'];
    const response = x['response'] as { headers: Array<{ name: string }>; head: string } | undefined;
    if (response) {
      response.headers = response.headers.filter((h) => h.name.toLowerCase() !== 'date');
      response.head = response.head.replace(/^date: .*\r\n/gim, '');
    }
  }
  return copy;
}

async function webhookFile(origin: string, name = 'webhook.yaml', extra = {}): Promise<string> {
  const file = path.join(tmp, name);
  await writeFile(file, JSON.stringify(enrichWebhook(origin, extra)));
  return file;
}

describe('run command', () => {
  it('exits 0 when every lead succeeded, writing the results and the chosen reports', async () => {
    const server = await startServer(enrichAnswer);
    cleanups.push(() => server.close());
    const hook = await webhookFile(server.origin);
    const leads = path.join(tmp, 'ok.csv');
    await writeFile(leads, leadsCsv(25));
    const out = path.join(tmp, 'out-ok');
    const r = await runCli(
      [hook, '--leads', leads, '--concurrency', '4', '--reporter', 'junit,csv', '--out', out],
      tmp,
    );
    expect(r.stderr).toContain('run: 25 of 25 leads, 0 did not succeed (done)');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Enrich lead: 25 of 25 leads succeeded; done\n25 lines: 25 sent (25 succeeded, 0 partly mapped, 0 failed), 0 bad rows, 0 not run',
    );
    expect(r.stdout).toMatch(/latency: p50 [\d.]+ ms/);
    expect(r.stdout).toMatch(/Marketo, calling one lead after another at this latency, would take /);
    expect((await readdir(out)).sort()).toEqual([
      'junit.xml',
      'lead-updates.csv',
      'results.jsonl',
      'run.json',
      'summary.json',
    ]);
    expect(validateJunit(await readFile(path.join(out, 'junit.xml'), 'utf8'))).toEqual([]);
    expect(await records(out)).toHaveLength(25);

    // Running again into the same folder would write over this run: refused, nothing touched.
    const before = await readFile(path.join(out, 'results.jsonl'), 'utf8');
    const again = await runCli([hook, '--leads', leads, '--out', out], tmp);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already holds a run: continue it with --resume');
    expect(await readFile(path.join(out, 'results.jsonl'), 'utf8')).toBe(before);
  });

  it('exits 1 when some leads did not succeed, and 2 on bad input', async () => {
    const server = await startServer(enrichAnswer);
    cleanups.push(() => server.close());
    const hook = await webhookFile(server.origin);
    const leads = path.join(tmp, 'some-fail.csv');
    await writeFile(
      leads,
      leadsCsv(5, (i) => (i === 2 ? 'fail@example.com,X' : `lead${i}@example.com,C${i}`)),
    );
    const some = await runCli([hook, '--leads', leads, '--out', path.join(tmp, 'out-some')], tmp);
    expect(some.code).toBe(1);
    expect(some.stdout).toContain(
      '4 of 5 leads succeeded; done\n5 lines: 5 sent (4 succeeded, 0 partly mapped, 1 failed), 0 bad rows, 0 not run',
    );

    const bad = path.join(tmp, 'bad.csv');
    await writeFile(bad, 'Email Address,Company Name\na@x.com,A\nb@x.com\n');
    const skipped = await runCli([hook, '--leads', bad, '--out', path.join(tmp, 'out-skip')], tmp);
    expect(skipped.code).toBe(1);
    expect(skipped.stdout).toContain('bad row: line 3: missing columns: expected 2 cells, found 1');
    const stopped = await runCli(
      [hook, '--leads', bad, '--on-bad-row', 'stop', '--out', path.join(tmp, 'out-stop')],
      tmp,
    );
    expect(stopped.code).toBe(2);
    expect(stopped.stdout).toContain('failed: line 3: missing columns');

    const empty = path.join(tmp, 'empty.csv');
    await writeFile(empty, '');
    const binary = path.join(tmp, 'binary.csv');
    await writeFile(
      binary,
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x0a, 0x41, 0x0a, 0x42, 0x0a]),
    );
    const fifo = path.join(tmp, 'leads-fifo.csv');
    execFileSync('mkfifo', [fifo]);
    const received = server.received();
    const cases: Array<[string[], RegExp]> = [
      [[hook, '--leads', empty], /empty\.csv: the leads file holds no leads/],
      [[hook, '--leads', binary], /binary\.csv: the leads file is not text/],
      [[hook], /--leads <file> is required/],
      [[hook, '--leads', path.join(tmp, 'missing.csv')], /cannot read the leads file .*missing\.csv': no such file/],
      [[hook, '--leads', path.join(tmp, 'leads.xlsx')], /must end in \.csv, \.json, \.jsonl or \.ndjson/],
      [[hook, '--leads', leads, '--concurrency', '0'], /--concurrency must be a whole number from 1 to 64, not '0'/],
      [
        [hook, '--leads', leads, '--concurrency', '-3'],
        /^webhook-studio run: --concurrency must be a whole number from 1 to 64, not '-3'\n$/,
      ],
      [
        [hook, '--leads', leads, '--retries', '-1'],
        /^webhook-studio run: --retries must be a whole number from 0 to 10, not '-1'\n$/,
      ],
      [[hook, '--leads', '/dev/zero.csv'], /no such file/],
      [[hook, '--leads', fifo], /not a regular file/],
      [
        [hook, '--leads', leads, '--out', leads],
        /^webhook-studio run: --out '.*some-fail\.csv' is a file, not a folder/,
      ],
      [
        [hook, '--leads', leads, '--out', '/proc/x'],
        /^webhook-studio run: cannot write the run's results to --out '\/proc\/x'/,
      ],
      [[hook, '--leads', leads, '--record', 'some'], /--record must be all, failures or none/],
      [['--resume', tmp], /not a run folder/],
      [[hook, '--leads', leads, '--reporter', 'pdf'], /unknown reporter 'pdf'/],
      [[path.join(tmp, 'nope.yaml'), '--leads', leads], /cannot read the webhook file/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, tmp);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(server.received()).toBe(received);
    // --retries 0 is the documented default, so it is accepted.
    const zero = await runCli([hook, '--leads', leads, '--retries', '0', '--out', path.join(tmp, 'out-zero')], tmp);
    expect(zero.code).toBe(1);
  }, 60_000);

  it('takes secret header values from the environment, never from the webhook file', async () => {
    const server = await startServer((body, _url, headers) =>
      headers.authorization === 'Bearer s3cret' ? enrichAnswer(body) : { status: 401, body: '{}' },
    );
    cleanups.push(() => server.close());
    const hook = await webhookFile(server.origin, 'secret.yaml', {
      headers: [{ name: 'Authorization', secret: true }],
    });
    const leads = path.join(tmp, 'secret.csv');
    await writeFile(leads, leadsCsv(3));
    const withSecret = await runCli(
      [hook, '--leads', leads, '--record', 'all', '--out', path.join(tmp, 'out-secret')],
      tmp,
      { WEBHOOK_STUDIO_SECRET_AUTHORIZATION: 'Bearer s3cret' },
    );
    expect(withSecret.code).toBe(0);
    const written = await readFile(path.join(tmp, 'out-secret', 'results.jsonl'), 'utf8');
    expect(written).toContain('Authorization: ••••••');
    expect(written).not.toContain('s3cret');
    const without = await runCli([hook, '--leads', leads, '--out', path.join(tmp, 'out-nosecret')], tmp, {
      WEBHOOK_STUDIO_SECRET_AUTHORIZATION: '',
    });
    expect(without.code).toBe(1);
  });

  it('sends every lead to a local catcher with --catcher', async () => {
    const hook = await webhookFile('https://api.example.com', 'catcher.yaml', { mappings: [] });
    const leads = path.join(tmp, 'catcher.jsonl');
    await writeFile(leads, '{"Email":"a@x.com"}\n{"Email":"b@x.com"}\n{"Email":"c@x.com"}\n');
    const out = path.join(tmp, 'out-catcher');
    const r = await runCli([hook, '--leads', leads, '--catcher', '--out', out], tmp);
    expect(r.code).toBe(0);
    const rows = await records(out);
    expect(rows.map((x) => x.status)).toEqual([200, 200, 200]);
  });

  it('gives the same result file as the app for the same input (timings aside)', async () => {
    const server = await startServer(enrichAnswer);
    cleanups.push(() => server.close());
    const dir = path.join(tmp, 'collection');
    await initCollection(dir);
    const { path: webhookPath } = await saveWebhook(dir, { webhook: enrichWebhook(server.origin) });
    const { path: contextPath } = await saveContext(dir, { context: triggerContext });
    const content = leadsCsv(60, (i) =>
      i === 7 ? 'fail@example.com,"Jack & Jill"' : i === 9 ? 'broken row' : `lead${i}@example.com,"Zoë ${i}"`,
    );
    const leadsFile = path.join(tmp, 'parity.csv');
    await writeFile(leadsFile, content);

    const appOut = path.join(tmp, 'app-run');
    const events: Array<EventPayload<'runner:progress'>> = [];
    let finished!: () => void;
    const over = new Promise<void>((resolve) => (finished = resolve));
    const channels = createRunnerChannels({
      runner: createRunner({ sender: createSender() }),
      emit: (_event, payload) => {
        events.push(payload);
        if (payload.state !== 'running' && payload.state !== 'paused') finished();
      },
      runsDir: () => appOut,
    });
    await channels['runner:start']({
      dir,
      webhookPath,
      contextPath,
      leads: { fileName: 'parity.csv', content },
      concurrency: 4,
      target: 'url',
    });
    await over;
    expect(events.at(-1)?.state).toBe('done');

    const cliOut = path.join(tmp, 'cli-run');
    const r = await runCli(
      [
        webhookPath,
        '--collection',
        dir,
        '--context',
        contextPath,
        '--leads',
        leadsFile,
        '--concurrency',
        '4',
        '--out',
        cliOut,
      ],
      tmp,
    );
    expect(r.code).toBe(1);

    const app = await records(appOut);
    const fromCli = await records(cliOut);
    expect(app).toHaveLength(60);
    expect(fromCli.map(stable)).toEqual(app.map(stable));
    expect(await readFile(path.join(cliOut, 'lead-updates.csv'), 'utf8')).toBe(
      await readFile(path.join(appOut, 'lead-updates.csv'), 'utf8'),
    );
    expect(existsSync(path.join(appOut, 'report.html'))).toBe(true);
  });
});
