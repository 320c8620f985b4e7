import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultFieldCatalog } from '@shared/catalog';
import { parseCsv } from '@shared/formats/csv';
import { unpackRecord } from '@services/runner/record-codec';
import type { RunRecord, RunSummary } from '@shared/runner/summary';
import { createSender } from '@services/sender/index';
import { startCatcher } from '@services/catcher/index';
import { createRunner, RunInputError, type RunProgress } from '@services/runner/index';
import { validateJunit } from '../../../shared/runner/junit-schema';
import { enrichWebhook, leadsCsv, startServer, triggerContext } from './helpers';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'runner-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function records(outDir: string): Promise<RunRecord[]> {
  const text = await readFile(path.join(outDir, 'results.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('{"dispatched"'))
    .map(unpackRecord);
}

/** Company comes back for every lead; Title only for even leads, so odd leads miss one mapping. */
function enrichAnswer(body: string) {
  const lead = JSON.parse(body) as { email: string; company: string };
  const n = Number(/lead(\d+)@/.exec(lead.email)?.[1] ?? -1);
  if (lead.email.startsWith('fail')) return { status: 500, body: '{"error":"boom"}' };
  return {
    status: 200,
    body: JSON.stringify({ company: { name: `${lead.company} Ltd` }, ...(n % 2 === 0 ? { title: 'CTO' } : {}) }),
  };
}

describe('runner service', () => {
  it('runs 10,000 leads against the catcher with every lead accounted for, in file order', async () => {
    const out = await tempDir();
    const catcher = await startCatcher({ keep: 20_000 });
    cleanups.push(() => catcher.close());
    const runner = createRunner({ sender: createSender({ catcherUrl: async () => catcher.url }) });
    const progress: RunProgress[] = [];
    const run = runner.start({
      webhook: enrichWebhook('https://api.example.com'),
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
      leads: { fileName: 'leads.csv', stream: leadsCsv(10_000, (i) => `lead${i}@example.com,Zoë ${i}`) },
      concurrency: 8,
      target: 'catcher',
      outDir: out,
    });
    run.onProgress((p) => progress.push(p));
    const summary = await run.done;
    expect(summary.state).toBe('done');
    expect(summary.counts.leads).toBe(10_000);
    expect(summary.counts.sent).toBe(10_000);
    const rows = await records(out);
    expect(rows.map((r) => r.line)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 2));
    expect(new Set(rows.map((r) => r.leadKey)).size).toBe(10_000);
    expect(rows.every((r) => r.status !== undefined)).toBe(true);
    expect(catcher.requests().length).toBe(10_000);
    expect(progress.at(-1)).toMatchObject({ state: 'done', counts: { total: 10_000, done: 10_000 } });
    expect(progress.at(-1)?.message).toMatch(
      /^0 of 10000 leads succeeded · p50 [\d.]+ ms, p95 [\d.]+ ms · Marketo, one lead after another: /,
    );
    const junit = await readFile(path.join(out, 'junit.xml'), 'utf8');
    expect(validateJunit(junit)).toEqual([]);
    expect(junit.match(/<testcase /g)).toHaveLength(10_000);
    const onDisk = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
    expect(onDisk.counts.leads).toBe(10_000);
    expect(onDisk.latency?.count).toBe(10_000);
    // Rows are read back from byte offsets kept every 256 records: deep pages must land on the right lines.
    const deep = await run.rows(5_000, 300);
    expect(deep.total).toBe(10_000);
    expect(deep.rows.map((r) => r.line)).toEqual(Array.from({ length: 300 }, (_, i) => 5_002 + i));
    expect(deep.rows.map((r) => r.leadKey)).toEqual(rows.slice(5_000, 5_300).map((r) => r.leadKey));
    const late = await run.exchange(9_001);
    expect(late?.request.head).toContain('email=lead8999@example.com');
  });

  it('records per lead the exact request, status, mappings and the lead after; summarises what was not written', async () => {
    const server = await startServer(enrichAnswer);
    cleanups.push(() => server.close());
    const out = await tempDir();
    const runner = createRunner({ sender: createSender() });
    const csv = leadsCsv(6, (i) =>
      i === 4 ? 'fail@example.com,"Jack & Jill, Inc."' : `lead${i}@example.com,"Zoë 🎉 ${i}"`,
    );
    const run = runner.start({
      webhook: enrichWebhook(server.origin),
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
      leads: { fileName: 'leads.csv', stream: csv },
      concurrency: 3,
      record: 'all',
      outDir: out,
    });
    const summary = await run.done;
    const rows = await records(out);
    expect(rows).toHaveLength(6);
    const first = rows[0] as RunRecord;
    expect(first.exchange?.request.body).toBe('{"email":"lead0@example.com","company":"Zoë 🎉 0"}');
    expect(first.exchange?.request.head).toContain('POST /enrich?email=lead0@example.com HTTP/1.1');
    expect(first).toMatchObject({ status: 200, succeeded: true, updates: { Company: 'Zoë 🎉 0 Ltd', Title: 'CTO' } });
    expect(first.leadAfter).toMatchObject({ Company: 'Zoë 🎉 0 Ltd' });
    expect(rows[1]).toMatchObject({ succeeded: false, notWritten: [{ field: 'Title', reason: expect.any(String) }] });
    expect(rows[4]).toMatchObject({ status: 500, succeeded: false, leadKey: 'fail@example.com' });
    // Odd leads get no Title: answered 2xx but partly mapped, counted apart from the one that failed.
    expect(summary.counts).toMatchObject({
      leads: 6,
      sent: 6,
      succeeded: 2,
      partlyMapped: 3,
      failed: 1,
      skipped: 0,
      notRun: 0,
    });
    expect(summary.notWritten.leads).toBeGreaterThanOrEqual(3);
    expect(summary.notWritten.byField['Title']).toBeDefined();
    expect(summary.sequentialMs).toBeGreaterThan(0);

    const updates = parseCsv(await readFile(path.join(out, 'lead-updates.csv'), 'utf8'));
    expect(updates.headers).toEqual(['Email Address', 'Company Name', 'Job Title']);
    expect(updates.rows.map((r) => r.cells)).toContainEqual(['lead0@example.com', 'Zoë 🎉 0 Ltd', 'CTO']);
    expect(updates.rows.map((r) => r.cells)).toContainEqual(['lead1@example.com', 'Zoë 🎉 1 Ltd', '']);
    expect(updates.rows.map((r) => r.cells[0])).not.toContain('fail@example.com');

    const page = await run.rows(2, 3);
    expect(page.total).toBe(6);
    expect(page.rows.map((r) => r.line)).toEqual([4, 5, 6]);
    expect((await run.exchange(6))?.response?.status).toBe(500);
    expect(await run.exchange(99)).toBeUndefined();
  });

  it('reports malformed rows by line and skips them, or stops the run on the first one', async () => {
    const server = await startServer(enrichAnswer);
    cleanups.push(() => server.close());
    const runner = createRunner({ sender: createSender() });
    const csv =
      'Email Address,Company Name\nlead0@example.com,A\nlead1@example.com\nlead2@example.com,C,extra\nlead3@example.com,D\n';
    const base = {
      webhook: enrichWebhook(server.origin),
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
      concurrency: 1,
    };

    const skipOut = await tempDir();
    const skipped = await runner.start({ ...base, leads: { fileName: 'leads.csv', stream: csv }, outDir: skipOut })
      .done;
    expect(skipped.state).toBe('done');
    expect(skipped.counts).toMatchObject({ leads: 4, sent: 2, skipped: 2 });
    expect(skipped.problems.examples).toEqual([
      { line: 3, message: 'missing columns: expected 2 cells, found 1' },
      { line: 4, message: 'too many cells: expected 2 cells, found 3' },
    ]);
    const rows = await records(skipOut);
    expect(rows.map((r) => [r.line, r.outcome])).toEqual([
      [2, 'updated'],
      [3, 'not-sent'],
      [4, 'not-sent'],
      [5, 'updated'],
    ]);

    const stopOut = await tempDir();
    const before = server.received();
    const stopped = await runner.start({
      ...base,
      leads: { fileName: 'leads.csv', stream: csv },
      outDir: stopOut,
      onBadRow: 'stop',
    }).done;
    expect(stopped.state).toBe('failed');
    expect(stopped.message).toBe('line 3: missing columns: expected 2 cells, found 1');
    expect(server.received() - before).toBe(1);
    // The rest of the file is still accounted for: line 4 is a bad row, line 5 was not run.
    expect((await records(stopOut)).map((r) => [r.line, r.notRun === true, r.problem !== undefined])).toEqual([
      [2, false, false],
      [3, false, true],
      [4, false, true],
      [5, true, false],
    ]);
    expect(stopped.counts).toMatchObject({ leads: 4, sent: 1, skipped: 2, notRun: 1 });

    const dupOut = await tempDir();
    const dup = await runner.start({
      ...base,
      leads: { fileName: 'leads.csv', stream: 'Email,Email Address\na@x.com,b@x.com\n' },
      outDir: dupOut,
      onBadRow: 'stop',
    }).done;
    expect(dup.state).toBe('failed');
    expect(dup.counts).toMatchObject({ leads: 1, sent: 0, notRun: 1 });
  });

  it('reads leads as bytes, reporting text that is not UTF-8 on its line', async () => {
    const server = await startServer(enrichAnswer);
    cleanups.push(() => server.close());
    const out = await tempDir();
    const bytes = Buffer.concat([
      Buffer.from('Email Address,Company Name\nlead0@example.com,Ren'),
      Buffer.from([0xe9]),
      Buffer.from('e\nlead2@example.com,Ok\n'),
    ]);
    async function* stream() {
      yield bytes.subarray(0, 40);
      yield bytes.subarray(40);
    }
    const summary = await createRunner({ sender: createSender() }).start({
      webhook: enrichWebhook(server.origin),
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
      leads: { fileName: 'leads.csv', stream: stream() },
      outDir: out,
    }).done;
    expect(summary.problems.examples).toEqual([
      { line: 2, message: 'column "Company Name" is not valid UTF-8 text (bad encoding?)' },
    ]);
    expect(summary.counts).toMatchObject({ leads: 2, sent: 1, skipped: 1 });
  });

  it('pauses, resumes and cancels; a cancelled run still accounts for every lead it read', async () => {
    const server = await startServer((body) => ({ ...enrichAnswer(body), delayMs: 20 }));
    cleanups.push(() => server.close());
    const runner = createRunner({ sender: createSender() });
    const base = {
      webhook: enrichWebhook(server.origin),
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
      concurrency: 2,
    };

    const out = await tempDir();
    const run = runner.start({ ...base, leads: { fileName: 'leads.csv', stream: leadsCsv(40) }, outDir: out });
    // Paused before its first send: nothing goes out until it resumes.
    run.pause();
    expect(run.state()).toBe('paused');
    await new Promise((r) => setTimeout(r, 300));
    expect(server.received()).toBe(0);
    expect(run.counts().done).toBe(0);
    run.resume();
    expect((await run.done).counts.leads).toBe(40);

    const cancelOut = await tempDir();
    const cancelled = runner.start({
      ...base,
      leads: { fileName: 'leads.csv', stream: leadsCsv(2_000) },
      outDir: cancelOut,
    });
    await new Promise<void>((resolve) => cancelled.onProgress((p) => p.counts.done >= 10 && resolve()));
    cancelled.cancel();
    const summary = await cancelled.done;
    expect(summary.state).toBe('cancelled');
    // Every line is accounted for: sent (some cancelled in flight), or not run.
    expect(summary.counts.leads).toBe(2_000);
    expect(summary.counts.sent + summary.counts.skipped + summary.counts.notRun).toBe(2_000);
    expect(summary.counts.notRun).toBeGreaterThan(1_000);
    expect(cancelled.counts().notRun).toBe(summary.counts.notRun);
    const rows = await records(cancelOut);
    expect(rows).toHaveLength(2_000);
    expect(rows.filter((r) => r.notRun).length).toBe(summary.counts.notRun);
    expect(rows.map((r) => r.line)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 2));
    const junit = await readFile(path.join(cancelOut, 'junit.xml'), 'utf8');
    expect(validateJunit(junit)).toEqual([]);
    expect(junit.match(/<skipped /g)).toHaveLength(summary.counts.notRun);
    // Leads in flight at the cancel are cancelled, and still have their line in the results.
    expect(server.received() - 40).toBeLessThanOrEqual(rows.length);
  });

  it('accounts for all 50 lines of a CSV whose line 22 has an unclosed quote', async () => {
    const server = await startServer(enrichAnswer);
    cleanups.push(() => server.close());
    const out = await tempDir();
    const lines = ['Email Address,Company Name,Last Name'];
    for (let i = 2; i <= 51; i++)
      lines.push(i === 22 ? '"Unclosed quote,Smith,Acme' : `lead${i}@example.com,"Co ${i}",Smith`);
    const summary = await createRunner({ sender: createSender() }).start({
      webhook: enrichWebhook(server.origin),
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
      leads: { fileName: 'leads.csv', stream: `${lines.join('\n')}\n` },
      concurrency: 4,
      outDir: out,
    }).done;
    expect(summary.counts).toMatchObject({ leads: 50, sent: 49, skipped: 1, notRun: 0 });
    expect(summary.problems.examples).toHaveLength(1);
    expect(summary.problems.examples[0]?.line).toBe(22);
    expect(summary.problems.examples[0]?.message).toMatch(
      /unclosed quote\? the row starting on line 22 ran on through line 23/,
    );
    expect(server.received()).toBe(49);
    expect((await records(out)).map((r) => r.line)).toEqual(Array.from({ length: 50 }, (_, k) => k + 2));
    const html = await readFile(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('50 lines: 49 sent (');
    expect(html).toContain('1 bad row, 0 not run');
  });

  it('refuses a file that is not text, or holds no leads, before any request', async () => {
    const server = await startServer(enrichAnswer);
    cleanups.push(() => server.close());
    const runner = createRunner({ sender: createSender() });
    const base = {
      webhook: enrichWebhook(server.origin),
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
    };
    const binary = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x0a, 0x01, 0x02,
      0x00, 0x0a, 0x03,
    ]);
    async function* bytes(b: Buffer) {
      yield b;
    }
    for (const [name, stream, code] of [
      ['binary as bytes', bytes(binary), 'not-text'],
      ['binary as text', binary.toString('latin1'), 'not-text'],
      ['latin-1 header', bytes(Buffer.from([0x4e, 0x61, 0x6d, 0xe9, 0x0a, 0x61, 0x0a])), 'not-text'],
      ['empty', '', 'no-leads'],
      ['header only', 'Email Address,Company Name\n', 'no-leads'],
    ] as const) {
      const out = await tempDir();
      const err = await runner
        .start({ ...base, leads: { fileName: 'leads.csv', stream }, outDir: out })
        .done.catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(RunInputError);
      expect((err as RunInputError).code, name).toBe(code);
    }
    expect(server.received()).toBe(0);
  });

  it('fails only its own lead when one answer is nested 100,000 deep', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const server = await startServer((body) =>
      body.includes('lead3@')
        ? { status: 200, body: `{"company":{"name":${deep}},"title":"CTO"}` }
        : enrichAnswer(body),
    );
    cleanups.push(() => server.close());
    const out = await tempDir();
    const summary = await createRunner({ sender: createSender() }).start({
      webhook: enrichWebhook(server.origin),
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
      leads: { fileName: 'leads.csv', stream: leadsCsv(8) },
      concurrency: 2,
      outDir: out,
    }).done;
    expect(summary.state).toBe('done');
    expect(summary.counts).toMatchObject({ leads: 8, sent: 8 });
    expect(server.received()).toBe(8);
    const rows = await records(out);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows[3]?.succeeded).toBe(false);
    expect(rows.filter((r) => r.succeeded).length).toBeGreaterThan(0);
    expect(validateJunit(await readFile(path.join(out, 'junit.xml'), 'utf8'))).toEqual([]);
  });

  it('retries a lead only when asked, and only after a timeout or network error', async () => {
    const out = await tempDir();
    // Nothing listens on this port: every attempt is a network error.
    const runner = createRunner({ sender: createSender() });
    const summary = await runner.start({
      webhook: enrichWebhook('http://127.0.0.1:9'),
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
      leads: { fileName: 'leads.jsonl', stream: '{"Email":"a@x.com"}\n{"Email":"b@x.com"}\n' },
      retries: 2,
      outDir: out,
    }).done;
    expect(summary.counts.byOutcome).toEqual({ 'network-error': 2 });
    expect((await records(out)).map((r) => r.attempts)).toEqual([3, 3]);
  });

  it('starts no more requests per second than the rate allows', async () => {
    const server = await startServer(enrichAnswer);
    cleanups.push(() => server.close());
    const out = await tempDir();
    await createRunner({ sender: createSender() }).start({
      webhook: enrichWebhook(server.origin),
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
      leads: { fileName: 'leads.csv', stream: leadsCsv(6) },
      concurrency: 6,
      rate: 20,
      record: 'all',
      outDir: out,
    }).done;
    const starts = (await records(out)).map((r) => Date.parse(r.exchange?.startedAt ?? ''));
    expect(starts).toHaveLength(6);
    // A limit is a lower bound on spacing: 6 starts at 20 per second span at least 5 × 50 ms, however fast the machine
    // (less 1 ms for the clock's millisecond resolution).
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(249);
  });

  it('records a timeout as a failed lead and carries on with the next', async () => {
    const server = await startServer((body) => ({
      ...enrichAnswer(body),
      ...(body.includes('slow@') ? { delayMs: 3_000 } : {}),
    }));
    cleanups.push(() => server.close());
    const out = await tempDir();
    const summary = await createRunner({ sender: createSender() }).start({
      webhook: enrichWebhook(server.origin),
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
      profile: { timeoutMs: 300 },
      leads: { fileName: 'leads.csv', stream: 'Email Address,Company Name\nslow@example.com,S\nlead0@example.com,A\n' },
      outDir: out,
    }).done;
    expect((await records(out)).map((r) => [r.line, r.outcome, r.succeeded])).toEqual([
      [2, 'timeout', false],
      [3, 'updated', true],
    ]);
    expect(summary.counts.byOutcome).toEqual({ timeout: 1, updated: 1 });
    expect(await readFile(path.join(out, 'junit.xml'), 'utf8')).toContain('type="timeout"');
  });

  it('refuses a leads file of unknown kind before sending anything', () => {
    const runner = createRunner({ sender: createSender() });
    expect(() =>
      runner.start({
        webhook: enrichWebhook('http://127.0.0.1:9'),
        webhookName: 'w',
        context: triggerContext,
        fields: defaultFieldCatalog,
        leads: { fileName: 'leads.xlsx', stream: '' },
        outDir: '/nonexistent',
      }),
    ).toThrow(RunInputError);
  });
});
