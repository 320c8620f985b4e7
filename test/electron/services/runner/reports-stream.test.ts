import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultFieldCatalog } from '@shared/catalog';
import { createReportWriter, mappedFields, reporterNames } from '@shared/runner/reports';
import type { RunRecord, RunSummary } from '@shared/runner/summary';
import { unpackRecord } from '@services/runner/record-codec';
import { createRunner } from '@services/runner/index';
import { createSender } from '@services/sender/index';
import { enrichWebhook, leadsCsv, startServer, triggerContext } from './helpers';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** Every 7th lead fails, every odd one misses its Title mapping: all three kinds of row appear in the reports. */
function answer(body: string): { status: number; body: string } {
  const lead = JSON.parse(body) as { email: string; company: string };
  const n = Number(/lead(\d+)@/.exec(lead.email)?.[1] ?? -1);
  if (n % 7 === 3) return { status: 500, body: '{"error":"boom"}' };
  return {
    status: 200,
    body: JSON.stringify({ company: { name: `${lead.company} Ltd` }, ...(n % 2 ? {} : { title: 'CTO' }) }),
  };
}

/** The reports as they would be built after the run from results.jsonl (what the runner did before it streamed them). */
async function rebuilt(out: string, webhook: ReturnType<typeof enrichWebhook>): Promise<Record<string, string>> {
  const records: RunRecord[] = (await readFile(path.join(out, 'results.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('{"dispatched"'))
    .map(unpackRecord);
  const onDisk = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
  // The reports carry the summary as it was before their own names joined `files`.
  const summary: RunSummary = { ...onDisk, files: { results: 'results.jsonl', summary: 'summary.json' } };
  const setup = { webhook: 'Enrich lead', updateFields: mappedFields(webhook.mappings, defaultFieldCatalog) };
  const out2: Record<string, string> = {};
  for (const name of reporterNames) {
    const writer = createReportWriter(name, setup);
    const body = records.map((r) => writer.record(r)).join('');
    out2[writer.fileName] = writer.head(summary) + body + writer.end(summary);
  }
  return out2;
}

describe('reports written while the run goes', () => {
  it.each([
    ['a run whose report bodies pass through part files', 3_000],
    ['a run small enough to keep every body in memory', 12],
  ])('%s: each report is what reading results.jsonl back would give, and no part file is left', async (_, leads) => {
    const server = await startServer(answer);
    cleanups.push(() => server.close());
    const out = await mkdtemp(path.join(tmpdir(), 'reports-stream-'));
    cleanups.push(() => rm(out, { recursive: true, force: true }));
    const webhook = enrichWebhook(server.origin);
    const run = createRunner({ sender: createSender() }).start({
      webhook,
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
      leads: { fileName: 'leads.csv', stream: leadsCsv(leads, (i) => `lead${i}@example.com,"Jack & <Jill> ${i}"`) },
      concurrency: 8,
      outDir: out,
    });
    const summary = await run.done;
    expect(summary.counts.leads).toBe(leads);
    expect(summary.counts.failed).toBeGreaterThan(0);
    const expected = await rebuilt(out, webhook);
    for (const [file, text] of Object.entries(expected))
      expect(await readFile(path.join(out, file), 'utf8')).toBe(text);
    if (leads > 1000) expect((expected['report.json'] ?? '').length).toBeGreaterThan(64 * 1024);
    expect((await readdir(out)).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('a report that cannot be written stops the run, as results.jsonl would, and leaves no part file', async () => {
    const server = await startServer(answer);
    cleanups.push(() => server.close());
    const out = await mkdtemp(path.join(tmpdir(), 'reports-stream-'));
    cleanups.push(() => rm(out, { recursive: true, force: true }));
    // Where the JSON report's rows would go stands a folder: the first 64 KB of them cannot be written.
    await mkdir(path.join(out, '.report.json.part'));
    const leads = 20_000;
    const run = createRunner({ sender: createSender() }).start({
      webhook: enrichWebhook(server.origin),
      webhookName: 'Enrich lead',
      context: triggerContext,
      fields: defaultFieldCatalog,
      leads: { fileName: 'leads.csv', stream: leadsCsv(leads, (i) => `lead${i}@example.com,Co ${i}`) },
      concurrency: 8,
      outDir: out,
    });
    await expect(run.done).rejects.toThrow(/\.report\.json\.part/);
    expect(server.received()).toBeLessThan(leads);
    // The folder put in the way stays; every part file the run wrote is gone.
    expect((await readdir(out)).filter((f) => f.endsWith('.part'))).toEqual(['.report.json.part']);
  });
});
