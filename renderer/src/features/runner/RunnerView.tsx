import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChannelOutput, EventPayload } from '@shared/contract';
import type { Exchange, Profile, Trigger, Webhook } from '@shared/model';
import { sampleLeadsHeader } from '@shared/runner/leads';
import { api } from '../../api';
import { ExchangeDetail } from './ExchangeDetail';
import { LeadTable } from './LeadTable';
import './runner.css';

export interface RunnerViewProps {
  dir: string;
  webhookPath: string;
  contextPath?: string;
  /** The webhook, for the sample leads header the empty state shows. */
  webhook?: Pick<Webhook, 'url' | 'template' | 'headers'>;
  /** The collection's "Webhook is Called" triggers, shown for each lead's exchange. */
  triggers?: readonly Trigger[];
  profile?: Partial<Profile>;
}

type Progress = EventPayload<'runner:progress'>;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The reports `runner:report` opens (the same fixed list the channel accepts). */
const reportFiles = ['summary.json', 'report.html', 'junit.xml', 'lead-updates.csv'];

/**
 * The report opens from a blob URL, which shares the studio page's origin: a policy that allows no
 * script keeps anything in a lead or an answer from acting as the studio. Styles stay (inline in the report).
 */
function withoutScripts(html: string): string {
  const policy = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`;
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  return doctype ? `${doctype[0]}${policy}${html.slice(doctype[0].length)}` : `${policy}${html}`;
}

/**
 * The lead-matrix runner: pick a leads file, run the webhook once per lead as a trigger campaign
 * would, watch the counters, and open any lead's exchange and mappings.
 */
export function RunnerView({ dir, webhookPath, contextPath, webhook, triggers, profile }: RunnerViewProps) {
  const [file, setFile] = useState<File | undefined>();
  const [concurrency, setConcurrency] = useState(1);
  const [rate, setRate] = useState('');
  const [target, setTarget] = useState<'url' | 'catcher'>('url');
  const [onBadRow, setOnBadRow] = useState<'skip' | 'stop'>('skip');
  const [record, setRecord] = useState<'all' | 'failures' | 'none'>('failures');
  const [runId, setRunId] = useState<string | undefined>();
  const [progress, setProgress] = useState<Progress | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);
  const [pastRuns, setPastRuns] = useState<ChannelOutput<'runner:runs'>['runs']>([]);
  const [resendUnanswered, setResendUnanswered] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [selected, setSelected] = useState<{ line: number; exchange?: Exchange; error?: string } | undefined>();
  const runIdRef = useRef<string | undefined>(undefined);
  // Events can arrive before `start` answers; keep the latest per run and pick ours up once known.
  const latest = useRef(new Map<string, Progress>());

  useEffect(
    () =>
      api.on('runner:progress', (p) => {
        latest.current.set(p.runId, p);
        if (p.runId === runIdRef.current) setProgress(p);
      }),
    [],
  );

  const start = async () => {
    if (!file) return;
    setError(undefined);
    setStarting(true);
    setSelected(undefined);
    try {
      const content = await file.text();
      const rateValue = rate.trim() === '' ? undefined : Number(rate);
      if (rateValue !== undefined && !(rateValue > 0))
        throw new Error('Rate must be a positive number of requests per second');
      const { runId: id } = await api.runner.start({
        dir,
        webhookPath,
        ...(contextPath ? { contextPath } : {}),
        leads: { fileName: file.name, content },
        concurrency,
        ...(rateValue !== undefined ? { rate: rateValue } : {}),
        target,
        onBadRow,
        record,
      });
      runIdRef.current = id;
      setRunId(id);
      setProgress(latest.current.get(id));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setStarting(false);
    }
  };

  const control = async (action: 'pause' | 'resume' | 'cancel') => {
    if (!runId) return;
    try {
      await api.runner.control({ runId, action });
    } catch (e) {
      setError(errorText(e));
    }
  };

  const loadRows = useCallback(
    (offset: number, limit: number) =>
      runId ? api.runner.rows({ runId, offset, limit }) : Promise.resolve({ rows: [], total: 0 }),
    [runId],
  );

  const open = async (line: number) => {
    if (!runId) return;
    setSelected({ line });
    try {
      const exchange = await api.runner.exchange({ runId, line });
      setSelected((s) => (s?.line === line ? { line, exchange } : s));
    } catch (e) {
      setSelected((s) => (s?.line === line ? { line, error: errorText(e) } : s));
    }
  };

  const counts = progress?.counts;
  const state = progress?.state;
  const finishedState = state === 'done' || state === 'cancelled' || state === 'failed';
  useEffect(() => {
    let live = true;
    // Listed on opening, and again when a run ends: its summary is then on disk.
    api.runner
      .runs({ dir })
      .then((r) => live && setPastRuns(r.runs))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [dir, finishedState]);

  const openPast = async (id: string) => {
    setError(undefined);
    setSelected(undefined);
    try {
      const opened = await api.runner.open({ dir, runId: id });
      runIdRef.current = id;
      setRunId(id);
      setProgress({
        runId: id,
        counts: opened.counts,
        state: opened.state,
        ...(opened.message !== undefined ? { message: opened.message } : {}),
      });
    } catch (e) {
      setError(errorText(e));
    }
  };
  const resumePast = async (id: string) => {
    setError(undefined);
    setNotice(undefined);
    setSelected(undefined);
    try {
      const resumed = await api.runner.resume({ dir, runId: id, resendUnanswered });
      runIdRef.current = resumed.runId;
      setRunId(resumed.runId);
      setProgress(latest.current.get(resumed.runId));
      if (resumed.unanswered.length > 0) {
        const shown = resumed.unanswered.slice(0, 20).join(', ');
        setNotice(
          `${resumed.unanswered.length} lead(s) were sent without an answer (lines ${shown}${resumed.unanswered.length > 20 ? ', …' : ''}): ` +
            (resumed.resent
              ? 'sent again.'
              : 'not sent again; tick "Re-send leads sent without an answer" to send them.'),
        );
      }
    } catch (e) {
      setError(errorText(e));
    }
  };

  const openReport = async (id: string, name: string) => {
    setError(undefined);
    try {
      const report = await api.runner.report({ dir, runId: id, name });
      const html = report.mediaType === 'text/html';
      const blob = new Blob([html ? withoutScripts(report.content) : report.content], {
        type: `${report.mediaType};charset=utf-8`,
      });
      const url = URL.createObjectURL(blob);
      if (html) window.open(url, '_blank', 'noopener');
      else {
        // The others download under the run's name, to open in the tool they are for (a CI viewer, a spreadsheet).
        const a = document.createElement('a');
        a.href = url;
        a.download = `${id}-${name}`;
        document.body.append(a);
        a.click();
        a.remove();
      }
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const active = state === 'running' || state === 'paused';
  const done = counts?.done ?? 0;
  const succeeded = counts?.succeeded ?? 0;

  return (
    <div className="runner-view">
      <form
        className="runner-setup"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <label>
          Leads file
          <input type="file" accept=".csv,.json,.jsonl,.ndjson" onChange={(e) => setFile(e.currentTarget.files?.[0])} />
        </label>
        <label>
          Concurrency
          <input
            type="number"
            min={1}
            max={64}
            value={concurrency}
            onChange={(e) => setConcurrency(Math.min(64, Math.max(1, Number(e.currentTarget.value) || 1)))}
          />
        </label>
        <label>
          Rate (requests/s)
          <input
            type="text"
            inputMode="decimal"
            placeholder="no limit"
            value={rate}
            onChange={(e) => setRate(e.currentTarget.value)}
          />
        </label>
        <label>
          Send each lead to
          <select value={target} onChange={(e) => setTarget(e.currentTarget.value === 'catcher' ? 'catcher' : 'url')}>
            <option value="url">the webhook URL</option>
            <option value="catcher">the built-in catcher</option>
          </select>
        </label>
        <label>
          On a bad row
          <select value={onBadRow} onChange={(e) => setOnBadRow(e.currentTarget.value === 'stop' ? 'stop' : 'skip')}>
            <option value="skip">report it and skip it</option>
            <option value="stop">stop the run</option>
          </select>
        </label>
        <label>
          Keep exchanges
          <select
            value={record}
            onChange={(e) =>
              setRecord(
                e.currentTarget.value === 'all' ? 'all' : e.currentTarget.value === 'none' ? 'none' : 'failures',
              )
            }
          >
            <option value="failures">of leads that did not succeed</option>
            <option value="all">of every lead</option>
            <option value="none">of no lead (a line per lead)</option>
          </select>
        </label>
        <button type="submit" className="btn primary" disabled={!file || starting || active}>
          Run
        </button>
      </form>
      {error && (
        <p role="alert" className="runner-error">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="runner-notice">
          {notice}
        </p>
      )}
      {!runId && webhook && (
        <div className="empty-state" aria-label="Sample leads file">
          <p>A leads file for this webhook starts with a header naming the lead (and company) fields its tokens use:</p>
          <pre data-testid="sample-header">{sampleLeadsHeader(webhook)}</pre>
          <p>One lead per line after it; a CSV, JSON array or JSON Lines export all work.</p>
        </div>
      )}
      {runId && (
        <section className="runner-progress" aria-label="Run progress">
          <div className="runner-progress-line">
            <progress
              aria-label="Leads done"
              max={counts?.total ?? undefined}
              value={counts?.total ? done : undefined}
            />
            <button
              type="button"
              className="btn small"
              disabled={state !== 'running'}
              onClick={() => void control('pause')}
            >
              Pause
            </button>
            <button
              type="button"
              className="btn small"
              disabled={state !== 'paused'}
              onClick={() => void control('resume')}
            >
              Resume
            </button>
            <button
              type="button"
              className="btn small danger"
              disabled={!active}
              onClick={() => void control('cancel')}
            >
              Cancel
            </button>
          </div>
          <p className="runner-status" aria-live="polite">
            {done}
            {counts?.total !== null && counts?.total !== undefined ? ` of ${counts.total}` : ''} leads ·{' '}
            {state ?? 'starting'}
            {progress?.message ? `: ${progress.message}` : ''}
          </p>
          <dl className="runner-counters">
            <div>
              <dt>Succeeded</dt>
              <dd data-testid="count-succeeded">{succeeded}</dd>
            </div>
            <div>
              <dt>Partly mapped</dt>
              <dd data-testid="count-partly">{counts?.partlyMapped ?? 0}</dd>
            </div>
            <div>
              <dt>Failed</dt>
              <dd data-testid="count-failed">{counts?.failed ?? 0}</dd>
            </div>
            <div>
              <dt>Bad rows</dt>
              <dd data-testid="count-skipped">{counts?.skipped ?? 0}</dd>
            </div>
            <div>
              <dt>Not run</dt>
              <dd data-testid="count-not-run">{counts?.notRun ?? 0}</dd>
            </div>
            {Object.entries(counts?.byOutcome ?? {}).map(([outcome, n]) => (
              <div key={outcome}>
                <dt>{outcome}</dt>
                <dd>{n}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      {pastRuns.length > 0 && (
        <details className="runner-past" open={!runId}>
          <summary>Past runs of this collection ({pastRuns.length})</summary>
          {pastRuns.some((r) => r.resumable) && (
            <label className="runner-resend">
              <input
                type="checkbox"
                checked={resendUnanswered}
                onChange={(e) => setResendUnanswered(e.currentTarget.checked)}
              />
              Re-send leads sent without an answer
            </label>
          )}
          <ul aria-label="Past runs">
            {pastRuns.map((r) => (
              <li key={r.runId}>
                {r.state !== 'interrupted' && (
                  // A run stopped before its summary has no rows to reopen yet; Resume finishes it.
                  <>
                    <button
                      type="button"
                      className="btn small"
                      disabled={active}
                      onClick={() => void openPast(r.runId)}
                    >
                      Open
                    </button>{' '}
                  </>
                )}
                {r.resumable && (
                  <>
                    <button
                      type="button"
                      className="btn small"
                      aria-label={`Resume ${r.runId}`}
                      title="Send the leads this run did not get to; a lead with an answer is never sent again"
                      disabled={active}
                      onClick={() => void resumePast(r.runId)}
                    >
                      Resume
                    </button>{' '}
                  </>
                )}
                {r.webhook} · {r.startedAt.replace('T', ' ').slice(0, 19)} · {r.state} · {r.accounting}
                <span className="runner-files">
                  {' '}
                  · reports:{' '}
                  {Object.values(r.files)
                    .filter((f) => reportFiles.includes(f))
                    .map((f) => (
                      <button
                        key={f}
                        type="button"
                        className="btn link"
                        aria-label={`Open ${f} of ${r.runId}`}
                        onClick={() => void openReport(r.runId, f)}
                      >
                        {f}
                      </button>
                    ))}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {runId && (
        <div className={selected ? 'runner-body with-detail' : 'runner-body'}>
          <LeadTable
            runId={runId}
            total={done}
            loadRows={loadRows}
            {...(selected ? { selectedLine: selected.line } : {})}
            onSelect={(line) => void open(line)}
          />
          {selected?.exchange && (
            <ExchangeDetail
              line={selected.line}
              exchange={selected.exchange}
              onClose={() => setSelected(undefined)}
              triggers={triggers}
              profile={profile}
            />
          )}
          {selected?.error && (
            <p role="alert" className="runner-error">
              Line {selected.line}: {selected.error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

export default RunnerView;
