import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initCollection, saveTriggers, saveWebhook } from '@services/collection/index';
import { createSender } from '@services/sender/index';
import { createRunner } from '@services/runner/index';
import { createRunnerChannels } from '@services/runner/channels';
import type { RunSummary } from '@shared/runner/summary';
import { enrichWebhook, startServer } from './helpers';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe('a run started from the studio counts leads per collection trigger', () => {
  it('reads triggers.yaml and writes the counts into summary.json', async () => {
    const server = await startServer((body) =>
      body.includes('missing')
        ? { status: 404, body: '{"error":"no lead"}' }
        : { status: 200, body: '{"title":"CTO"}' },
    );
    cleanups.push(() => server.close());
    const dir = await mkdtemp(path.join(tmpdir(), 'runner-triggers-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await initCollection(dir);
    const { path: webhookPath } = await saveWebhook(dir, { webhook: enrichWebhook(server.origin) });
    await saveTriggers(dir, [
      { name: 'Not found', constraints: [{ attribute: 'errorType', operator: 'is', values: ['Not Found'] }] },
      { name: 'Any call', webhooks: ['Enrich lead'] },
    ]);
    let settle!: () => void;
    const finished = new Promise<void>((resolve) => (settle = resolve));
    const channels = createRunnerChannels({
      runner: createRunner({ sender: createSender() }),
      emit: (_e, payload) => {
        if (payload.state !== 'running' && payload.state !== 'paused') settle();
      },
    });
    const content = 'Email Address,Company Name\na@x.com,A\nmissing@x.com,B\nc@x.com,C\n';
    const { runId } = await channels['runner:start']({
      dir,
      webhookPath,
      leads: { fileName: 'leads.csv', content },
      concurrency: 1,
      target: 'url',
    });
    await finished;
    // A progress event can say "done" while the reports are still being written: wait for the file.
    const file = path.join(dir, '.studio', 'runs', runId, 'summary.json');
    await expect
      .poll(
        () =>
          readFile(file, 'utf8').then(
            () => true,
            () => false,
          ),
        { timeout: 10_000 },
      )
      .toBe(true);
    const summary = JSON.parse(await readFile(file, 'utf8')) as RunSummary;
    expect(summary.triggers).toEqual([
      { name: 'Not found', leads: 1 },
      { name: 'Any call', leads: 3 },
    ]);
    expect(summary.rateLimited).toBeUndefined();
  });
});
