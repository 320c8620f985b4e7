import { describe, it, expect, beforeAll, afterEach, vi } from 'vitest';
import { render, screen, fireEvent, waitFor, cleanup, within } from '@testing-library/react';
import type { ComponentType } from 'react';
import type { EventPayload, RunnerRow, StudioApi } from '@shared/contract';
import type { Exchange } from '@shared/model';

type Progress = EventPayload<'runner:progress'>;

/** A fake of the contract's runner slice, standing in for the main process. */
function createFakeApi() {
  const progressListeners = new Set<(p: Progress) => void>();
  const calls: {
    start: unknown[];
    control: unknown[];
    rows: Array<{ offset: number; limit: number; show?: string }>;
    exchange: unknown[];
    resume: unknown[];
    report: unknown[];
  } = { start: [], control: [], rows: [], exchange: [], resume: [], report: [] };
  let rowCount = 0;
  /** Rows (by index) whose exchange the run did not keep: they say why instead of naming one. */
  const withoutExchange = new Set<number>();
  const rowAt = (i: number): RunnerRow => {
    const row = fullRowAt(i);
    if (!withoutExchange.has(i)) return row;
    const { exchangeId: _kept, ...rest } = row;
    return {
      ...rest,
      noExchange: 'succeeded (HTTP 200, updated); its exchange is not kept when the run records only failures',
    };
  };
  const fullRowAt = (i: number): RunnerRow => ({
    line: i + 2,
    leadKey: `lead${i}@example.com`,
    status: i % 10 === 3 ? 500 : 200,
    outcome: i % 10 === 3 ? 'ignored' : 'updated',
    totalMs: 12,
    notWritten: i % 10 === 5 ? [{ field: 'Title', reason: 'path-not-found' }] : [],
    exchangeId: `x${i}`,
  });
  const exchange: Exchange = {
    id: 'x0',
    webhook: 'Enrich',
    startedAt: '2026-11-27T18:00:00.000Z',
    request: {
      method: 'POST',
      url: 'https://api.example.com/enrich',
      origin: 'https://api.example.com',
      requestTarget: '/enrich',
      head: 'POST /enrich HTTP/1.1\r\nHost: api.example.com\r\n\r\n',
      body: '{"email":"lead0@example.com"}',
      bodyEncoding: 'utf8',
    },
    response: {
      httpVersion: '1.1',
      status: 200,
      reason: 'OK',
      headers: [],
      head: 'HTTP/1.1 200 OK\r\n\r\n',
      body: '{"company":{"name":"Jack & Jill"}}',
      bodyEncoding: 'utf8',
      bodyBytes: 34,
      truncated: false,
    },
    timings: { dnsMs: null, connectMs: 1, tlsMs: null, sentMs: 1, ttfbMs: 5, downloadMs: 1, totalMs: 12 },
    outcome: 'updated',
    message: '',
    redirects: [],
    diagnostics: [],
    mapping: {
      status: 200,
      outcome: 'updated',
      mappings: [
        {
          index: 0,
          attribute: 'company.name',
          field: 'Company',
          found: true,
          value: 'Jack & Jill',
          coerced: 'Jack & Jill',
          written: true,
        },
        {
          index: 1,
          attribute: 'title',
          field: 'Title',
          found: false,
          value: null,
          coerced: null,
          written: false,
          reason: 'path-not-found',
        },
      ],
      lead: { before: {}, after: { Company: 'Jack & Jill' } },
      diagnostics: [],
    },
  };
  const api = {
    runner: {
      start: async (input: unknown) => {
        calls.start.push(input);
        return { runId: 'run-1' };
      },
      control: async (input: unknown) => {
        calls.control.push(input);
        return { ok: true as const };
      },
      rows: async ({ offset, limit, show }: { runId: string; offset: number; limit: number; show?: string }) => {
        calls.rows.push({ offset, limit, ...(show !== undefined ? { show } : {}) });
        // The leads that did not succeed are those answered 500 (every 10th from 3) or partly mapped (from 5).
        const all = Array.from({ length: rowCount }, (_, i) => rowAt(i));
        const listed = show === 'not-succeeded' ? all.filter((r) => r.status !== 200 || r.notWritten.length > 0) : all;
        return { rows: listed.slice(offset, offset + limit), total: listed.length };
      },
      exchange: async (input: { runId: string; line: number }) => {
        calls.exchange.push(input);
        return exchange;
      },
      runs: async () => ({
        runs: [
          {
            runId: 'run-old',
            webhook: 'Enrich',
            state: 'cancelled',
            startedAt: '2026-11-27T18:00:00.000Z',
            accounting: '20 lines: 12 sent (10 succeeded, 1 partly mapped, 1 failed), 0 bad rows, 8 not run',
            files: { results: 'results.jsonl', html: 'report.html', junit: 'junit.xml' },
            resumable: true,
          },
        ],
      }),
      resume: async (input: { runId: string; resendUnanswered: boolean }) => {
        calls.resume.push(input);
        return { runId: input.runId, unanswered: [7, 9], resent: input.resendUnanswered };
      },
      report: async (input: { runId: string; name: string }) => {
        calls.report.push(input);
        if (input.name === 'report.html')
          return {
            name: input.name,
            mediaType: 'text/html',
            content: '<!DOCTYPE html>\n<html><body><script>alert(1)</script>ok</body></html>',
          };
        return { name: input.name, mediaType: 'application/xml', content: '<testsuites/>' };
      },
      open: async ({ runId }: { runId: string }) => {
        rowCount = 20;
        return {
          runId,
          state: 'cancelled',
          counts: {
            total: 20,
            done: 20,
            byOutcome: { updated: 11 },
            skipped: 0,
            failed: 1,
            succeeded: 10,
            partlyMapped: 1,
            notRun: 8,
          },
        };
      },
    },
    on: (event: string, listener: (p: Progress) => void) => {
      if (event === 'runner:progress') progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
  };
  return {
    api: api as unknown as StudioApi,
    calls,
    withoutExchange,
    emit(p: Progress) {
      rowCount = p.counts.done;
      for (const l of progressListeners) l(p);
    },
  };
}

const fake = createFakeApi();
let RunnerView: ComponentType<import('@renderer/features/runner/RunnerView').RunnerViewProps>;

beforeAll(async () => {
  // api.ts takes the preload's bridge when there is one, as in Electron.
  window.studio = fake.api;
  RunnerView = (await import('@renderer/features/runner/RunnerView')).RunnerView;
});

afterEach(() => cleanup());

describe('RunnerView', () => {
  it('starts a run with the chosen file and options, then shows progress, counters and a virtualised lead table', async () => {
    render(<RunnerView dir="/c" webhookPath="webhooks/enrich.webhook.yaml" contextPath="contexts/a.context.yaml" />);
    const run = screen.getByRole<HTMLButtonElement>('button', { name: 'Run' });
    expect(run.disabled).toBe(true);
    const file = new File(['Email\na@x.com\n'], 'leads.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByLabelText('Leads file'), { target: { files: [file] } });
    fireEvent.change(screen.getByLabelText('Concurrency'), { target: { value: '8' } });
    fireEvent.change(screen.getByLabelText('Send each lead to'), { target: { value: 'catcher' } });
    fireEvent.change(screen.getByLabelText('On a bad row'), { target: { value: 'stop' } });
    fireEvent.change(screen.getByLabelText('Keep exchanges'), { target: { value: 'all' } });
    fireEvent.click(run);
    await waitFor(() => expect(fake.calls.start).toHaveLength(1));
    expect(fake.calls.start[0]).toEqual({
      dir: '/c',
      webhookPath: 'webhooks/enrich.webhook.yaml',
      contextPath: 'contexts/a.context.yaml',
      leads: { fileName: 'leads.csv', content: 'Email\na@x.com\n' },
      concurrency: 8,
      target: 'catcher',
      onBadRow: 'stop',
      record: 'all',
    });
    await screen.findByRole('region', { name: 'Run progress' });

    fake.emit({
      runId: 'other',
      counts: { total: 5, done: 5, byOutcome: {}, skipped: 0, failed: 0, succeeded: 5, partlyMapped: 0, notRun: 0 },
      state: 'done',
    });
    fake.emit({
      runId: 'run-1',
      counts: {
        total: 10_000,
        done: 2_500,
        byOutcome: { updated: 2_250, ignored: 250 },
        skipped: 3,
        failed: 400,
        succeeded: 2_000,
        partlyMapped: 97,
        notRun: 0,
      },
      state: 'running',
    });
    const bar = await screen.findByLabelText<HTMLProgressElement>('Leads done');
    await waitFor(() => expect(bar.value).toBe(2_500));
    expect(bar.max).toBe(10_000);
    expect(screen.getByTestId('count-succeeded').textContent).toBe('2000');
    expect(screen.getByTestId('count-partly').textContent).toBe('97');
    expect(screen.getByTestId('count-failed').textContent).toBe('400');
    expect(screen.getByTestId('count-not-run').textContent).toBe('0');
    expect(screen.getByTestId('count-skipped').textContent).toBe('3');
    expect(screen.getByText(/2500 of 10000 leads · running/)).toBeTruthy();

    const table = screen.getByRole('table', { name: 'Leads' });
    await within(table).findByText('lead0@example.com');
    // Only the rows in view (and a margin) exist, not 2,500.
    const rendered = within(table).getAllByRole('row').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(fake.calls.rows.every((c) => c.limit <= 100)).toBe(true);
    const failed = within(table).getByText('lead3@example.com').closest('[role="row"]');
    expect(failed?.className).toContain('fail');
    expect(within(table).getAllByText('Title (path-not-found)').length).toBeGreaterThan(0);

    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(fake.calls.control).toEqual([{ runId: 'run-1', action: 'pause' }]));
  });

  it('lists past runs and reopens one with its counts and rows', async () => {
    render(<RunnerView dir="/c" webhookPath="webhooks/enrich.webhook.yaml" />);
    const list = await screen.findByRole('list', { name: 'Past runs' });
    expect(within(list).getByText(/8 not run/)).toBeTruthy();
    expect(within(list).getByText(/report\.html/)).toBeTruthy();
    fireEvent.click(within(list).getByRole('button', { name: 'Open' }));
    await waitFor(() => expect(screen.getByTestId('count-not-run').textContent).toBe('8'));
    expect(screen.getByTestId('count-partly').textContent).toBe('1');
    await within(screen.getByRole('table', { name: 'Leads' })).findByText('lead0@example.com');
  });

  it('says why a lead has no exchange from its row, without asking the run for one', async () => {
    fake.withoutExchange.add(1);
    render(<RunnerView dir="/c" webhookPath="webhooks/enrich.webhook.yaml" />);
    const list = await screen.findByRole('list', { name: 'Past runs' });
    fireEvent.click(within(list).getByRole('button', { name: 'Open' }));
    const table = await screen.findByRole('table', { name: 'Leads' });
    const asked = fake.calls.exchange.length;
    fireEvent.click(await within(table).findByText('lead1@example.com'));
    // A success whose exchange was not kept is said as information, not raised as a problem.
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'Line 3: succeeded (HTTP 200, updated); its exchange is not kept when the run records only failures',
      ),
    );
    expect(screen.queryByRole('alert')).toBeNull();
    expect(fake.calls.exchange).toHaveLength(asked);
    fireEvent.click(within(table).getByText('lead0@example.com'));
    await waitFor(() => expect(fake.calls.exchange).toHaveLength(asked + 1));
    fake.withoutExchange.clear();
  });

  it('links the reports of the run shown once it has ended, beside its figures', async () => {
    fake.calls.report.length = 0;
    const opened = vi.spyOn(window, 'open').mockImplementation(() => null);
    const created = vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:studio/x');
    try {
      render(<RunnerView dir="/c" webhookPath="webhooks/enrich.webhook.yaml" />);
      // Before any run is shown, the reports are only in the past runs list.
      const list = await screen.findByRole('list', { name: 'Past runs' });
      expect(screen.queryByLabelText('Reports of this run')).toBeNull();
      fireEvent.click(within(list).getByRole('button', { name: 'Open' }));
      const reports = await screen.findByLabelText('Reports of this run');
      expect(within(reports).queryByRole('button', { name: /results\.jsonl/ })).toBeNull();
      fireEvent.click(within(reports).getByRole('button', { name: 'Open report.html of this run' }));
      await waitFor(() => expect(fake.calls.report).toEqual([{ dir: '/c', runId: 'run-old', name: 'report.html' }]));
      expect(within(reports).getByRole('button', { name: 'Open junit.xml of this run' })).toBeTruthy();
    } finally {
      opened.mockRestore();
      created.mockRestore();
    }
  });

  it('resumes a past run that has leads left, re-sending the unanswered ones only when the box is ticked', async () => {
    fake.calls.resume.length = 0;
    render(<RunnerView dir="/c" webhookPath="webhooks/enrich.webhook.yaml" />);
    const list = await screen.findByRole('list', { name: 'Past runs' });
    fireEvent.click(within(list).getByRole('button', { name: 'Resume run-old' }));
    await waitFor(() => expect(fake.calls.resume).toEqual([{ dir: '/c', runId: 'run-old', resendUnanswered: false }]));
    expect((await screen.findByRole('status')).textContent).toMatch(
      /2 lead\(s\) were sent without an answer \(lines 7, 9\): not sent again/,
    );
    await screen.findByRole('region', { name: 'Run progress' });
    fake.emit({
      runId: 'run-old',
      counts: {
        total: 20,
        done: 20,
        byOutcome: { updated: 18, cancelled: 2 },
        skipped: 0,
        failed: 2,
        succeeded: 18,
        partlyMapped: 0,
        notRun: 0,
      },
      state: 'done',
    });
    await waitFor(() => expect(screen.getByTestId('count-succeeded').textContent).toBe('18'));

    fireEvent.click(screen.getByLabelText('Re-send leads sent without an answer'));
    fireEvent.click(
      within(screen.getByRole('list', { name: 'Past runs' })).getByRole('button', { name: 'Resume run-old' }),
    );
    await waitFor(() => expect(fake.calls.resume).toHaveLength(2));
    expect(fake.calls.resume[1]).toEqual({ dir: '/c', runId: 'run-old', resendUnanswered: true });
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/sent again\.$/));
  });

  it('opens a past run’s HTML report in a new window (scripts off) and downloads the others', async () => {
    fake.calls.report.length = 0;
    const blobs: Blob[] = [];
    const created = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return `blob:studio/${blobs.length}`;
    });
    const opened = vi.spyOn(window, 'open').mockImplementation(() => null);
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    try {
      render(<RunnerView dir="/c" webhookPath="webhooks/enrich.webhook.yaml" />);
      const list = await screen.findByRole('list', { name: 'Past runs' });
      // Only reports are offered: results.jsonl is not among the links.
      expect(within(list).queryByRole('button', { name: /results\.jsonl/ })).toBeNull();
      fireEvent.click(within(list).getByRole('button', { name: 'Open report.html of run-old' }));
      await waitFor(() => expect(opened).toHaveBeenCalledWith('blob:studio/1', '_blank', 'noopener'));
      expect(fake.calls.report).toEqual([{ dir: '/c', runId: 'run-old', name: 'report.html' }]);
      const html = await blobs[0]?.text();
      expect(html).toMatch(
        /^<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/,
      );
      expect(blobs[0]?.type).toMatch(/^text\/html/);

      fireEvent.click(within(list).getByRole('button', { name: 'Open junit.xml of run-old' }));
      await waitFor(() => expect(clicked).toHaveBeenCalledTimes(1));
      const anchor = clicked.mock.contexts[0] as HTMLAnchorElement;
      expect(anchor.download).toBe('run-old-junit.xml');
      expect(anchor.href).toBe('blob:studio/2');
      expect(await blobs[1]?.text()).toBe('<testsuites/>');
    } finally {
      created.mockRestore();
      opened.mockRestore();
      clicked.mockRestore();
    }
  });

  it('shows, before a run, a sample leads header for the webhook’s tokens', () => {
    render(
      <RunnerView
        dir="/c"
        webhookPath="webhooks/enrich.webhook.yaml"
        webhook={{
          url: 'https://x.example/?e={{lead.Email Address}}',
          template: '{{lead.First Name}} {{company.Company Name}}',
          headers: [],
        }}
      />,
    );
    expect(screen.getByTestId('sample-header').textContent).toBe('Email Address,First Name,Company Name');
  });

  it('opens a lead’s exchange and its mapping results on click', async () => {
    render(<RunnerView dir="/c" webhookPath="webhooks/enrich.webhook.yaml" />);
    fireEvent.change(screen.getByLabelText('Leads file'), { target: { files: [new File(['Email\n'], 'leads.csv')] } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await screen.findByRole('region', { name: 'Run progress' });
    fake.emit({
      runId: 'run-1',
      counts: {
        total: 20,
        done: 20,
        byOutcome: { updated: 20 },
        skipped: 0,
        failed: 0,
        succeeded: 20,
        partlyMapped: 0,
        notRun: 0,
      },
      state: 'done',
    });
    fireEvent.click(await screen.findByText('lead0@example.com'));
    const detail = await screen.findByRole('region', { name: 'Exchange of line 2' });
    expect(fake.calls.exchange).toContainEqual({ runId: 'run-1', line: 2 });
    expect(within(detail).getByText(/POST \/enrich HTTP\/1\.1/)).toBeTruthy();
    expect(within(detail).getByText('company.name')).toBeTruthy();
    expect(within(detail).getByText('no: path-not-found')).toBeTruthy();
    expect(within(detail).getAllByText('Jack & Jill').length).toBeGreaterThan(0);
  });

  it('lists only the leads that did not succeed when asked, with live counts, and keeps an open lead that is in the list', async () => {
    fake.calls.rows.length = 0;
    render(<RunnerView dir="/c" webhookPath="webhooks/enrich.webhook.yaml" />);
    fireEvent.change(screen.getByLabelText('Leads file'), { target: { files: [new File(['Email\n'], 'leads.csv')] } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await screen.findByRole('region', { name: 'Run progress' });
    const progress = (done: number, failed: number, partlyMapped: number): Progress => ({
      runId: 'run-1',
      counts: {
        total: 100,
        done,
        byOutcome: { updated: done - failed, ignored: failed },
        skipped: 0,
        failed,
        succeeded: done - failed - partlyMapped,
        partlyMapped,
        notRun: 0,
      },
      state: 'running',
    });
    // None has failed yet: nothing to filter, and the button says why.
    fake.emit(progress(2, 0, 0));
    const shown = await screen.findByRole('group', { name: 'Leads shown' });
    const notSucceeded = await within(shown).findByRole<HTMLButtonElement>('button', { name: 'Did not succeed (0)' });
    expect(notSucceeded.disabled).toBe(true);
    expect(notSucceeded.title).toBe('Every lead so far succeeded');

    fake.emit(progress(40, 4, 4));
    const all = await within(shown).findByRole('button', { name: 'All leads (40)' });
    expect(all.getAttribute('aria-pressed')).toBe('true');
    await within(shown).findByRole('button', { name: 'Did not succeed (8)' });
    expect(notSucceeded.disabled).toBe(false);
    expect(notSucceeded.getAttribute('aria-pressed')).toBe('false');
    expect(fake.calls.rows.every((c) => c.show === 'all')).toBe(true);

    // A lead that succeeded is open; the filtered list does not have it, so its detail closes.
    fireEvent.click(await within(screen.getByRole('table', { name: 'Leads' })).findByText('lead0@example.com'));
    await screen.findByRole('region', { name: 'Exchange of line 2' });
    fireEvent.click(notSucceeded);
    expect(notSucceeded.getAttribute('aria-pressed')).toBe('true');
    expect(all.getAttribute('aria-pressed')).toBe('false');
    const table = await screen.findByRole('table', { name: 'Leads that did not succeed' });
    expect(screen.queryByRole('region', { name: 'Exchange of line 2' })).toBeNull();
    await within(table).findByText('lead3@example.com');
    expect(fake.calls.rows.at(-1)).toEqual({ offset: 0, limit: 100, show: 'not-succeeded' });
    const leads = () =>
      within(table)
        .getAllByText(/^lead\d+@example\.com$/)
        .map((e) => e.textContent);
    expect(leads()).toEqual(['3', '5', '13', '15', '23', '25', '33', '35'].map((i) => `lead${i}@example.com`));
    expect(table.getAttribute('aria-rowcount')).toBe('9');

    // The run goes on: the list grows as failures arrive.
    fake.emit(progress(60, 6, 6));
    await within(shown).findByRole('button', { name: 'Did not succeed (12)' });
    await within(table).findByText('lead55@example.com');
    expect(leads()).toHaveLength(12);

    // A lead of this list stays open when every lead is listed again.
    fireEvent.click(within(table).getByText('lead13@example.com'));
    await screen.findByRole('region', { name: 'Exchange of line 15' });
    fireEvent.click(all);
    await within(screen.getByRole('table', { name: 'Leads' })).findByText('lead0@example.com');
    expect(screen.getByRole('region', { name: 'Exchange of line 15' })).toBeTruthy();
    expect(fake.calls.rows.at(-1)).toMatchObject({ offset: 0, show: 'all' });
  });

  it('shows the outcome codes apart from the counts, in words, with each code kept', async () => {
    render(<RunnerView dir="/c" webhookPath="webhooks/enrich.webhook.yaml" />);
    fireEvent.change(screen.getByLabelText('Leads file'), { target: { files: [new File(['Email\n'], 'leads.csv')] } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    const region = await screen.findByRole('region', { name: 'Run progress' });
    fake.emit({
      runId: 'run-1',
      counts: {
        total: 62,
        done: 62,
        byOutcome: { updated: 60, 'not-sent': 2 },
        skipped: 2,
        failed: 0,
        succeeded: 60,
        partlyMapped: 0,
        notRun: 0,
      },
      state: 'done',
    });
    const outcomes = await within(region).findByText(/^Outcomes:/);
    expect(outcomes.textContent).toBe('Outcomes: updated 60 · not sent 2');
    expect(within(outcomes).getByText('not sent 2').getAttribute('title')).toBe('outcome code: not-sent');
    // The counters hold the counts by result only.
    const counters = region.querySelector('dl');
    expect(counters?.textContent).not.toMatch(/updated|not-sent/);
  });

  it('shows why a run could not start', async () => {
    const start = fake.api.runner.start;
    fake.api.runner.start = async () => {
      throw new Error('no webhook at webhooks/x.webhook.yaml in /c');
    };
    try {
      render(<RunnerView dir="/c" webhookPath="webhooks/x.webhook.yaml" />);
      fireEvent.change(screen.getByLabelText('Leads file'), {
        target: { files: [new File(['Email\n'], 'leads.csv')] },
      });
      fireEvent.click(screen.getByRole('button', { name: 'Run' }));
      expect((await screen.findByRole('alert')).textContent).toBe('no webhook at webhooks/x.webhook.yaml in /c');
    } finally {
      fake.api.runner.start = start;
    }
  });
});

describe('the open line without an exchange', () => {
  it('names the line once, whether or not the service already did', async () => {
    const { lineError } = await import('@renderer/features/runner/RunnerView');
    expect(lineError(3, 'line 3: a bad row, not sent: missing columns')).toBe(
      'Line 3: a bad row, not sent: missing columns',
    );
    expect(lineError(3, 'no run here')).toBe('Line 3: no run here');
    expect(lineError(3, 'line 31: other')).toBe('Line 3: line 31: other');
  });
});
