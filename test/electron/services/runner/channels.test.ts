import { describe, it, expect, afterEach } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StudioError } from '@shared/model/error';
import { type EventPayload } from '@shared/contract';
import { initCollection, saveContext, saveWebhook } from '@services/collection/index';
import { createSender } from '@services/sender/index';
import { createRunner } from '@services/runner/index';
import { createRunnerChannels } from '@services/runner/channels';
import { enrichWebhook, startServer, triggerContext } from './helpers';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setup() {
  const server = await startServer((body) => ({
    status: 200,
    body: JSON.stringify({
      company: { name: `${(JSON.parse(body) as { company: string }).company} Ltd` },
      title: 'CTO',
    }),
  }));
  cleanups.push(() => server.close());
  const dir = await mkdtemp(path.join(tmpdir(), 'runner-channels-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await initCollection(dir);
  const { path: webhookPath } = await saveWebhook(dir, { webhook: enrichWebhook(server.origin) });
  const { path: contextPath } = await saveContext(dir, { context: triggerContext });
  const events: Array<EventPayload<'runner:progress'>> = [];
  let settle!: () => void;
  const finished = new Promise<void>((resolve) => (settle = resolve));
  const channels = createRunnerChannels({
    runner: createRunner({ sender: createSender() }),
    emit: (_e, payload) => {
      events.push(payload);
      if (payload.state !== 'running' && payload.state !== 'paused') settle();
    },
  });
  return { dir, webhookPath, contextPath, channels, events, finished };
}

describe('runner channels', () => {
  it('runs a collection webhook over uploaded leads; rows and exchanges read back; files land in the collection state folder', async () => {
    const { dir, webhookPath, contextPath, channels, events, finished } = await setup();
    const content = 'Email Address,Company Name\na@x.com,A\nb@x.com\nc@x.com,C\n';
    const { runId } = await channels['runner:start']({
      dir,
      webhookPath,
      contextPath,
      leads: { fileName: 'leads.csv', content },
      concurrency: 2,
      target: 'url',
      record: 'all',
    });
    await finished;
    expect(events.at(-1)).toMatchObject({
      runId,
      state: 'done',
      counts: { total: 3, done: 3, skipped: 1, failed: 0, notRun: 0 },
    });
    const { rows, total } = await channels['runner:rows']({ runId, offset: 0, limit: 10 });
    expect(total).toBe(3);
    expect(rows.map((r) => [r.line, r.outcome, r.status])).toEqual([
      [2, 'updated', 200],
      [3, 'not-sent', undefined],
      [4, 'updated', 200],
    ]);
    // Each row says whether it has an exchange to open, and if not why, so the view need not ask.
    expect(rows.map((r) => [r.exchangeId !== undefined, r.noExchange])).toEqual([
      [true, undefined],
      [false, 'a bad row, not sent: missing columns: expected 2 cells, found 1'],
      [true, undefined],
    ]);
    const exchange = await channels['runner:exchange']({ runId, line: 4 });
    expect(exchange.request.body).toBe('{"email":"c@x.com","company":"C"}');
    expect(exchange.mapping?.lead.after).toMatchObject({ Company: 'C Ltd', Title: 'CTO' });
    // A bad row's detail says why it was bad, not just that it has no exchange.
    await expect(channels['runner:exchange']({ runId, line: 3 })).rejects.toMatchObject({
      code: 'not-found',
      where: 'line',
      message: 'line 3: a bad row, not sent: missing columns: expected 2 cells, found 1',
    });
    expect(existsSync(path.join(dir, '.studio', 'runs', runId, 'results.jsonl'))).toBe(true);
  });

  it('lists the collection’s past runs and reopens one in a new session, rows and exchanges included', async () => {
    const { dir, webhookPath, channels, finished } = await setup();
    const content = 'Email Address,Company Name\na@x.com,A\nb@x.com\nc@x.com,C\n';
    const { runId } = await channels['runner:start']({
      dir,
      webhookPath,
      leads: { fileName: 'leads.csv', content },
      concurrency: 1,
      target: 'url',
      record: 'all',
    });
    await finished;
    // A new session: a runner that never saw the run.
    const later = createRunnerChannels({ runner: createRunner({ sender: createSender() }), emit: () => undefined });
    const { runs } = await later['runner:runs']({ dir });
    expect(runs).toEqual([
      expect.objectContaining({
        runId,
        webhook: 'Enrich lead',
        state: 'done',
        accounting: '3 lines: 2 sent (2 succeeded, 0 partly mapped, 0 failed), 1 bad row, 0 not run',
      }),
    ]);
    expect(runs[0]?.files).toMatchObject({ results: 'results.jsonl', junit: 'junit.xml' });
    const opened = await later['runner:open']({ dir, runId });
    expect(opened).toMatchObject({
      runId,
      state: 'done',
      counts: { total: 3, done: 3, succeeded: 2, skipped: 1, notRun: 0 },
    });
    const { rows, total } = await later['runner:rows']({ runId, offset: 0, limit: 10 });
    expect(total).toBe(3);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect((await later['runner:exchange']({ runId, line: 4 })).request.body).toBe('{"email":"c@x.com","company":"C"}');
    await expect(later['runner:open']({ dir, runId: 'no-such-run' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('stops on the first bad row when asked, and names what is missing', async () => {
    const { dir, webhookPath, channels, events, finished } = await setup();
    const content = 'Email Address,Company Name\na@x.com,A\nb@x.com\nc@x.com,C\n';
    await channels['runner:start']({
      dir,
      webhookPath,
      leads: { fileName: 'leads.csv', content },
      concurrency: 1,
      target: 'url',
      onBadRow: 'stop',
    });
    await finished;
    expect(events.at(-1)).toMatchObject({
      state: 'failed',
      message: 'line 3: missing columns: expected 2 cells, found 1',
    });

    const unknown = channels['runner:start']({
      dir,
      webhookPath: 'webhooks/nope.webhook.yaml',
      leads: { fileName: 'leads.csv', content },
      concurrency: 1,
      target: 'url',
    });
    await expect(unknown).rejects.toBeInstanceOf(StudioError);
    await expect(unknown).rejects.toMatchObject({ code: 'not-found', where: 'webhookPath' });
    await expect(channels['runner:control']({ runId: 'run-x', action: 'pause' })).rejects.toMatchObject({
      code: 'not-found',
      where: 'runId',
    });
  });
});
