import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, readdir, readFile, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EventPayload } from '@shared/contract';
import { initCollection, saveWebhook } from '@services/collection/index';
import { createSender } from '@services/sender/index';
import { createRunner } from '@services/runner/index';
import { createRunnerChannels } from '@services/runner/channels';
import { enrichWebhook, leadsCsv, startServer } from './helpers';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

type Progress = EventPayload<'runner:progress'>;

/** A session of the studio: its own runner, and a way to wait for a run's end or a point in it. */
function session() {
  const events: Progress[] = [];
  const waiters: Array<{ test: (p: Progress) => boolean; resolve: (p: Progress) => void }> = [];
  const runner = createRunner({ sender: createSender() });
  const channels = createRunnerChannels({
    runner,
    emit: (_e, p) => {
      events.push(p);
      for (const w of [...waiters])
        if (w.test(p)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(p);
        }
    },
  });
  const until = (test: (p: Progress) => boolean) => new Promise<Progress>((resolve) => waiters.push({ test, resolve }));
  // The last event, once the run's summary and reports are on disk.
  const ended = async (runId: string) => {
    const last = await until((p) => p.runId === runId && p.state !== 'running' && p.state !== 'paused');
    await runner.get(runId)?.done.catch(() => undefined);
    return last;
  };
  return { channels, events, until, ended };
}

async function setup() {
  // The service counts each lead it receives, by e-mail address; answers come after a short wait so a cancel lands mid-run.
  const received = new Map<string, number>();
  const server = await startServer((body) => {
    const email = (JSON.parse(body) as { email: string }).email;
    received.set(email, (received.get(email) ?? 0) + 1);
    return { status: 200, body: JSON.stringify({ company: { name: 'Acme' }, title: 'CTO' }), delayMs: 25 };
  });
  cleanups.push(() => server.close());
  const dir = await mkdtemp(path.join(tmpdir(), 'runner-resume-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await initCollection(dir);
  const { path: webhookPath } = await saveWebhook(dir, { webhook: enrichWebhook(server.origin) });
  return { dir, webhookPath, received };
}

describe('resuming a studio run', () => {
  it('keeps the leads (0600) in the run folder; a cancelled run resumes: answered leads are never sent again, unanswered ones only when asked', async () => {
    const { dir, webhookPath, received } = await setup();
    const n = 30;
    const first = session();
    const { runId } = await first.channels['runner:start']({
      dir,
      webhookPath,
      leads: { fileName: 'leads.csv', content: leadsCsv(n) },
      concurrency: 3,
      target: 'url',
    });
    await first.until((p) => p.runId === runId && p.counts.done >= 8);
    await first.channels['runner:control']({ runId, action: 'cancel' });
    const cancelled = await first.ended(runId);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.counts.notRun).toBeGreaterThan(0);

    const runDir = path.join(dir, '.studio', 'runs', runId);
    const leadsFile = path.join(runDir, 'leads.csv');
    expect(await readFile(leadsFile, 'utf8')).toBe(leadsCsv(n));
    if (process.platform !== 'win32') expect((await stat(leadsFile)).mode & 0o777).toBe(0o600);

    // A new session (the studio restarted) lists the run as resumable and continues it.
    const second = session();
    // The summary is written just after the last progress event: wait for it to be listed.
    let runs = (await second.channels['runner:runs']({ dir })).runs;
    for (let i = 0; i < 100 && runs.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      runs = (await second.channels['runner:runs']({ dir })).runs;
    }
    expect(runs).toEqual([expect.objectContaining({ runId, state: 'cancelled', resumable: true })]);
    const sentBefore = new Map(received);
    const resumed = await second.channels['runner:resume']({ dir, runId, resendUnanswered: false });
    expect(resumed.runId).toBe(runId);
    expect(resumed.resent).toBe(false);
    const after = await second.ended(runId);
    expect(after.state).toBe('done');
    expect(after.counts).toMatchObject({ total: n, done: n, notRun: 0 });
    // The leads cancelled in flight were sent without an answer: listed, and not sent again.
    const unanswered = new Set(resumed.unanswered);
    // With three in flight and slow answers, the cancel always catches some on the wire.
    expect(unanswered.size).toBeGreaterThan(0);
    const emails = Array.from({ length: n }, (_, i) => `lead${i}@example.com`);
    for (const [i, email] of emails.entries()) {
      const line = i + 2;
      if (unanswered.has(line)) expect(received.get(email) ?? 0).toBe(sentBefore.get(email) ?? 0);
      else expect(received.get(email), `${email} answered exactly once across both runs`).toBe(1);
    }
    expect(after.counts.succeeded).toBe(n - unanswered.size);

    {
      // Asked to, the third go sends only those again; every lead then has exactly one answer recorded.
      const listed = (await second.channels['runner:runs']({ dir })).runs[0];
      expect(listed?.resumable).toBe(true);
      const again = await second.channels['runner:resume']({ dir, runId, resendUnanswered: true });
      expect(again.unanswered).toEqual(resumed.unanswered);
      const last = await second.ended(runId);
      expect(last.counts).toMatchObject({ total: n, succeeded: n, notRun: 0 });
      for (const [i, email] of emails.entries()) if (!unanswered.has(i + 2)) expect(received.get(email)).toBe(1);
    }
    const { rows } = await second.channels['runner:rows']({ runId, offset: 0, limit: 100 });
    expect(rows.map((r) => r.line)).toEqual(emails.map((_, i) => i + 2));
    expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['updated']));
    // Finished: nothing left to resume, and the earlier journals are gone.
    expect((await second.channels['runner:runs']({ dir })).runs[0]?.resumable).toBe(false);
    await expect(second.channels['runner:resume']({ dir, runId, resendUnanswered: false })).rejects.toMatchObject({
      code: 'nothing-to-resume',
    });
    // The earlier journals were carried into results.jsonl and removed.
    expect((await readdir(runDir)).filter((f) => /^results/.test(f))).toEqual(['results.jsonl']);
  });

  it('lists a run the studio stopped during (no summary) as interrupted, and resumes it to the end', async () => {
    const { dir, webhookPath, received } = await setup();
    const n = 12;
    const first = session();
    const { runId } = await first.channels['runner:start']({
      dir,
      webhookPath,
      leads: { fileName: 'leads.csv', content: leadsCsv(n) },
      concurrency: 2,
      target: 'url',
    });
    await first.until((p) => p.runId === runId && p.counts.done >= 4);
    await first.channels['runner:control']({ runId, action: 'cancel' });
    await first.ended(runId);
    // As after a crash: the journal is there, the summary and reports never were.
    await unlink(path.join(dir, '.studio', 'runs', runId, 'summary.json'));
    const second = session();
    const { runs } = await second.channels['runner:runs']({ dir });
    expect(runs).toEqual([
      expect.objectContaining({ runId, webhook: 'Enrich lead', state: 'interrupted', resumable: true }),
    ]);
    const resumed = await second.channels['runner:resume']({ dir, runId, resendUnanswered: true });
    const last = await second.ended(runId);
    expect(last.counts).toMatchObject({ total: n, succeeded: n, notRun: 0 });
    const unanswered = new Set(resumed.unanswered);
    for (let i = 0; i < n; i++) if (!unanswered.has(i + 2)) expect(received.get(`lead${i}@example.com`)).toBe(1);
    expect((await second.channels['runner:runs']({ dir })).runs).toEqual([
      expect.objectContaining({ runId, state: 'done', resumable: false }),
    ]);
  });

  it('refuses to resume a run whose folder keeps no leads (a CLI run, or one from before)', async () => {
    const { dir, webhookPath } = await setup();
    const s = session();
    const { runId } = await s.channels['runner:start']({
      dir,
      webhookPath,
      leads: { fileName: 'leads.csv', content: leadsCsv(2) },
      concurrency: 1,
      target: 'url',
    });
    await s.ended(runId);
    await unlink(path.join(dir, '.studio', 'runs', runId, 'studio-run.json'));
    await expect(s.channels['runner:resume']({ dir, runId, resendUnanswered: false })).rejects.toMatchObject({
      code: 'not-resumable',
      where: 'runId',
    });
  });

  it('opens a run’s reports by their fixed names only, never another file, a link or a path outside the run folder', async () => {
    const { dir, webhookPath } = await setup();
    const s = session();
    const { runId } = await s.channels['runner:start']({
      dir,
      webhookPath,
      leads: { fileName: 'leads.csv', content: leadsCsv(3) },
      concurrency: 1,
      target: 'url',
    });
    await s.ended(runId);
    const summary = await s.channels['runner:report']({ dir, runId, name: 'summary.json' });
    expect(summary.mediaType).toBe('application/json');
    expect(JSON.parse(summary.content)).toMatchObject({ state: 'done' });
    const html = await s.channels['runner:report']({ dir, runId, name: 'report.html' });
    expect(html.mediaType).toBe('text/html');
    expect(html.content).toMatch(/<html/i);
    expect((await s.channels['runner:report']({ dir, runId, name: 'junit.xml' })).content).toMatch(/<testsuite/);
    expect((await s.channels['runner:report']({ dir, runId, name: 'lead-updates.csv' })).mediaType).toBe('text/csv');

    for (const name of [
      'leads.csv',
      'results.jsonl',
      'studio-run.json',
      '../../webhooks',
      '../other/summary.json',
      '/etc/passwd',
      'summary.json/',
    ]) {
      await expect(s.channels['runner:report']({ dir, runId, name }), name).rejects.toMatchObject({
        code: 'not-a-report',
        where: 'name',
        message: expect.stringContaining('summary.json, report.html, junit.xml, lead-updates.csv'),
      });
    }
    for (const bad of ['..', '../..', `${runId}/..`, '.studio']) {
      await expect(s.channels['runner:report']({ dir, runId: bad, name: 'summary.json' })).rejects.toMatchObject({
        code: 'bad-input',
        where: 'runId',
      });
    }
    // A report replaced by a link to a file outside is refused, not followed.
    const outside = path.join(dir, 'outside.html');
    await writeFile(outside, '<p>not a report</p>');
    const reportPath = path.join(dir, '.studio', 'runs', runId, 'report.html');
    await unlink(reportPath);
    await symlink(outside, reportPath);
    await expect(s.channels['runner:report']({ dir, runId, name: 'report.html' })).rejects.toMatchObject({
      code: 'not-a-report',
      message: expect.stringContaining('not a plain file'),
    });
    // A report the run did not write says so.
    await unlink(path.join(dir, '.studio', 'runs', runId, 'junit.xml'));
    await expect(s.channels['runner:report']({ dir, runId, name: 'junit.xml' })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
