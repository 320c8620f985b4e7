import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunnerRow } from '@shared/contract';
import type { RunRecord } from '@shared/runner/summary';
import { initCollection, saveWebhook } from '@services/collection/index';
import { createSender } from '@services/sender/index';
import { createRunner } from '@services/runner/index';
import { createRunnerChannels, type RunnerChannels } from '@services/runner/channels';
import { createResultsFile } from '@services/runner/results-file';
import { indexResults } from '@services/runner/results-index';
import { readRows } from '@services/runner/rows';
import { enrichWebhook, startServer } from './helpers';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const LEADS = 700;
/** Data rows (0-based) the service answers 500, around and across the 256-record checkpoints. */
const serverErrors = new Set([3, 254, 255, 256, 511, 512, 513, 699]);
/** Rows answered 2xx without a title: their Title mapping is not written (partly mapped). */
const withoutTitle = new Set([100, 300, 600]);
/** Rows with one cell where two are expected: bad rows, never sent. */
const badRows = new Set([0, 257, 450]);

/** The leads file, and the lines (1-based, the header is line 1) of the leads that cannot succeed. */
function leadsFile(): { content: string; notSucceeded: number[] } {
  const lines = ['Email Address,Company Name'];
  const notSucceeded: number[] = [];
  for (let i = 0; i < LEADS; i++) {
    lines.push(badRows.has(i) ? `lead${i}@example.com` : `lead${i}@example.com,Company ${i}`);
    if (badRows.has(i) || serverErrors.has(i) || withoutTitle.has(i)) notSucceeded.push(i + 2);
  }
  return { content: `${lines.join('\n')}\n`, notSucceeded };
}

async function setup() {
  const server = await startServer((body) => {
    const i = Number(/lead(\d+)@/.exec(body)?.[1]);
    if (serverErrors.has(i)) return { status: 500, body: '{"error":"boom"}' };
    const company = { name: `Company ${i} Ltd` };
    return { status: 200, body: JSON.stringify(withoutTitle.has(i) ? { company } : { company, title: 'CTO' }) };
  });
  cleanups.push(() => server.close());
  const dir = await mkdtemp(path.join(tmpdir(), 'runner-not-succeeded-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await initCollection(dir);
  const { path: webhookPath } = await saveWebhook(dir, { webhook: enrichWebhook(server.origin) });
  return { dir, webhookPath };
}

function session(onEnd?: () => void): { channels: RunnerChannels; runner: ReturnType<typeof createRunner> } {
  const runner = createRunner({ sender: createSender() });
  const channels = createRunnerChannels({
    runner,
    emit: (_e, p) => {
      if (p.state !== 'running' && p.state !== 'paused') onEnd?.();
    },
  });
  return { channels, runner };
}

/** Every row the filter gives, read `pageSize` at a time, and the totals each page answered. */
async function readAllPages(
  channels: RunnerChannels,
  runId: string,
  pageSize: number,
): Promise<{ rows: RunnerRow[]; totals: Set<number> }> {
  const rows: RunnerRow[] = [];
  const totals = new Set<number>();
  for (let offset = 0; ; offset += pageSize) {
    const page = await channels['runner:rows']({ runId, offset, limit: pageSize, show: 'not-succeeded' });
    totals.add(page.total);
    rows.push(...page.rows);
    if (page.rows.length < pageSize) return { rows, totals };
  }
}

describe('runner rows: only the leads that did not succeed', () => {
  it('pages through exactly the failed, partly mapped and bad rows in file order, on the live run and reopened from disk', async () => {
    const { dir, webhookPath } = await setup();
    const { content, notSucceeded } = leadsFile();
    let ended!: () => void;
    const finished = new Promise<void>((resolve) => (ended = resolve));
    const live = session(() => ended());
    const { runId } = await live.channels['runner:start']({
      dir,
      webhookPath,
      leads: { fileName: 'leads.csv', content },
      concurrency: 8,
      target: 'url',
    });
    await finished;
    const summary = await live.runner.get(runId)?.done;
    expect(summary?.counts).toMatchObject({ leads: LEADS, failed: 8, partlyMapped: 3, skipped: 3, notRun: 0 });
    expect(notSucceeded).toHaveLength(14);

    const later = session();
    await later.channels['runner:open']({ dir, runId });
    for (const [name, channels] of [
      ['live', live.channels],
      ['reopened', later.channels],
    ] as const) {
      // Pages of 4 and 5 start and end on both sides of the checkpoints at records 256 and 512.
      for (const pageSize of [1, 4, 5, 1000]) {
        const { rows, totals } = await readAllPages(channels, runId, pageSize);
        expect(
          rows.map((r) => r.line),
          `${name}, pages of ${pageSize}`,
        ).toEqual(notSucceeded);
        expect([...totals], `${name}, pages of ${pageSize}`).toEqual([14]);
      }
      const straddling = await channels['runner:rows']({ runId, offset: 2, limit: 6, show: 'not-succeeded' });
      expect(straddling.rows.map((r) => [r.line, r.outcome, r.status])).toEqual([
        [102, 'updated', 200],
        [256, 'ignored', 500],
        [257, 'ignored', 500],
        [258, 'ignored', 500],
        [259, 'not-sent', undefined],
        [302, 'updated', 200],
      ]);
      expect(straddling.rows[0]?.notWritten).toEqual([{ field: 'Title', reason: 'path-not-found' }]);
      // Past the end: no rows, the same total; every lead is still there without the filter.
      expect(await channels['runner:rows']({ runId, offset: 14, limit: 10, show: 'not-succeeded' })).toEqual({
        rows: [],
        total: 14,
      });
      expect((await channels['runner:rows']({ runId, offset: 0, limit: 10, show: 'all' })).total).toBe(LEADS);
      expect((await channels['runner:rows']({ runId, offset: 0, limit: 10 })).rows.map((r) => r.line)).toEqual([
        2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
      ]);
    }
  }, 60_000);

  it('counts only records whose bytes reached the file, as the unfiltered rows do', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'runner-not-succeeded-file-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'results.jsonl');
    const { writer, index } = createResultsFile(file);
    const record = (line: number, succeeded: boolean): RunRecord => ({
      line,
      leadKey: `lead${line}@example.com`,
      outcome: succeeded ? 'updated' : 'ignored',
      succeeded,
      totalMs: 1,
      message: '',
      attempts: 1,
      notWritten: [],
      updates: {},
    });
    // A lead key that reads like the key being looked for must not be taken for it when the file is reopened.
    writer.append({ ...record(2, true), leadKey: '"succeeded":false' });
    writer.append(record(3, false));
    writer.append(record(4, true));
    // A lead key long enough to push the flag past the first bytes of its line.
    writer.append({ ...record(5, false), leadKey: `${'x'.repeat(300)}@example.com` });
    // Batched, not yet written: nothing to read.
    expect(await readRows(file, index, 0, 10, 'not-succeeded')).toEqual({ rows: [], total: 0 });
    await writer.close();
    const live = await readRows(file, index, 0, 10, 'not-succeeded');
    expect(live.total).toBe(2);
    expect(live.rows.map((r) => r.line)).toEqual([3, 5]);
    expect(await readRows(file, await indexResults(file), 0, 10, 'not-succeeded')).toEqual(live);
  });
});
