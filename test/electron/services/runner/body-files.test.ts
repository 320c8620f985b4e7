import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultFieldCatalog } from '@shared/catalog';
import { unpackRecord } from '@services/runner/record-codec';
import { createRunner } from '@services/runner/index';
import { createSender } from '@services/sender/index';
import { spillFolderOf } from '@services/sender/spill';
import { enrichWebhook, leadsCsv, startServer, triggerContext } from './helpers';

// A run used to leave every lead's body over 1 MiB in the temp folder until exit, and name it in results.jsonl.

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('a run with answers over 1 MiB', () => {
  it('keeps no body file once each lead is recorded, and its records name none', async () => {
    const pad = 'x'.repeat(1.5 * 1024 * 1024);
    const server = await startServer(() => ({
      status: 200,
      body: JSON.stringify({ company: { name: 'Big Ltd' }, title: 'CTO', pad }),
    }));
    const tempDir = await mkdtemp(path.join(tmpdir(), 'runner-spill-'));
    const out = await mkdtemp(path.join(tmpdir(), 'runner-spill-out-'));
    dirs.push(tempDir, out);
    try {
      const sender = createSender({ tempDir });
      const run = createRunner({ sender }).start({
        webhook: enrichWebhook(server.origin),
        webhookName: 'Enrich lead',
        context: triggerContext,
        fields: defaultFieldCatalog,
        leads: { fileName: 'leads.csv', stream: leadsCsv(5) },
        concurrency: 2,
        record: 'all',
        outDir: out,
      });
      const summary = await run.done;
      expect(summary.counts).toMatchObject({ leads: 5, sent: 5, succeeded: 5 });
      const left = await readdir(spillFolderOf(tempDir)).catch(() => [] as string[]);
      expect(left).toEqual([]);
      const text = await readFile(path.join(out, 'results.jsonl'), 'utf8');
      expect(text).not.toContain('bodyFile');
      const rows = text
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('{"dispatched"'))
        .map(unpackRecord);
      expect(rows).toHaveLength(5);
      for (const r of rows) {
        expect(r.exchange?.response?.truncated).toBe(true);
        expect(r.exchange?.response?.bodyBytes).toBeGreaterThan(1.5 * 1024 * 1024);
        expect(r.exchange?.diagnostics.map((d) => d.code)).toContain('body-file-not-kept');
      }
      await sender.close();
    } finally {
      await server.close();
    }
  });
});
