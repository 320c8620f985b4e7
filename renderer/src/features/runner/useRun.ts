import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChannelOutput, EventPayload, LeadsShown, RunnerRow } from '@shared/contract';
import type { Exchange } from '@shared/model';
import { api } from '../../api';
import { openReport } from './reports';
import type { RunAction } from './RunControls';
import type { RunOptions } from './RunSetup';

export type Progress = EventPayload<'runner:progress'>;
/** The lead whose exchange is open, once it has loaded (or why it did not). */
/** `note`: why the lead has no exchange to show (its row says so); `error`: its exchange could not be read. */
export type SelectedLead = { line: number; exchange?: Exchange; note?: string; error?: string };

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What Resume says about leads that were sent without an answer, if there were any. */
function unansweredNotice(resumed: ChannelOutput<'runner:resume'>): string | undefined {
  const n = resumed.unanswered.length;
  if (n === 0) return undefined;
  const shown = resumed.unanswered.slice(0, 20).join(', ');
  return (
    `${n} lead(s) were sent without an answer (lines ${shown}${n > 20 ? ', …' : ''}): ` +
    (resumed.resent ? 'sent again.' : 'not sent again; tick "Re-send leads sent without an answer" to send them.')
  );
}

/** The run on screen and its latest progress, followed from `runner:progress`. */
function useRunProgress() {
  const [runId, setRunId] = useState<string | undefined>();
  const [progress, setProgress] = useState<Progress | undefined>();
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
  /** Shows a run: its progress as given, or as last heard. */
  const follow = useCallback((id: string, known?: Progress) => {
    runIdRef.current = id;
    setRunId(id);
    setProgress(known ?? latest.current.get(id));
  }, []);
  return { runId, progress, follow };
}

/** The collection's past runs: listed on opening, and again when a run ends (its summary is then on disk). */
export function usePastRuns(dir: string, runEnded: boolean) {
  const [pastRuns, setPastRuns] = useState<ChannelOutput<'runner:runs'>['runs']>([]);
  useEffect(() => {
    let live = true;
    api.runner
      .runs({ dir })
      .then((r) => live && setPastRuns(r.runs))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [dir, runEnded]);
  return pastRuns;
}

/** The lead whose exchange is open: selecting a line loads its exchange from the run. */
function useLeadExchange(runId: string | undefined) {
  const [selected, setSelected] = useState<SelectedLead | undefined>();
  const open = async (row: Pick<RunnerRow, 'line' | 'exchangeId' | 'noExchange'>) => {
    if (!runId) return;
    const { line } = row;
    // A row without an exchange says why itself: no call that can only be refused.
    if (row.exchangeId === undefined && row.noExchange !== undefined) {
      setSelected({ line, note: row.noExchange });
      return;
    }
    setSelected({ line });
    const same = (s: SelectedLead | undefined) => s?.line === line;
    try {
      const exchange = await api.runner.exchange({ runId, line });
      setSelected((s) => (same(s) ? { line, exchange } : s));
    } catch (e) {
      setSelected((s) => (same(s) ? { line, error: errorText(e) } : s));
    }
  };
  return { selected, setSelected, open };
}

/** Reads the rate field: blank for no limit, else a positive number of requests per second. */
function rateOf(rate: string): number | undefined {
  const value = rate.trim() === '' ? undefined : Number(rate);
  if (value !== undefined && !(value > 0)) throw new Error('Rate must be a positive number of requests per second');
  return value;
}

type RunWhere = { dir: string; webhookPath: string; contextPath?: string };

/** Starts a run of the webhook over the leads file; answers its id. */
async function startRun(where: RunWhere, options: RunOptions & { file: File }): Promise<string> {
  const { dir, webhookPath, contextPath } = where;
  const { file, concurrency, rate, target, onBadRow, record } = options;
  const content = await file.text();
  const rateValue = rateOf(rate);
  const { runId } = await api.runner.start({
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
  return runId;
}

/** The lead-matrix run on screen: starting, controlling, reopening and resuming runs, and a lead's exchange. */
export function useRun(where: RunWhere) {
  const { dir } = where;
  const { runId, progress, follow } = useRunProgress();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);
  const { selected, setSelected, open } = useLeadExchange(runId);

  /** Runs an action that may fail, showing why it did. */
  const attempt = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const fresh = () => {
    setError(undefined);
    setSelected(undefined);
  };

  const start = async (options: RunOptions) => {
    const file = options.file;
    if (!file) return;
    fresh();
    setStarting(true);
    await attempt(async () => follow(await startRun(where, { ...options, file })));
    setStarting(false);
  };

  const control = (action: RunAction) =>
    runId ? attempt(() => api.runner.control({ runId, action }).then(() => undefined)) : Promise.resolve();

  const loadRows = useCallback(
    (offset: number, limit: number, show: LeadsShown) =>
      runId ? api.runner.rows({ runId, offset, limit, show }) : Promise.resolve({ rows: [], total: 0 }),
    [runId],
  );

  const openPast = (id: string) => {
    fresh();
    return attempt(async () => {
      const { counts, state, message } = await api.runner.open({ dir, runId: id });
      follow(id, { runId: id, counts, state, ...(message !== undefined ? { message } : {}) });
    });
  };

  const resumePast = (id: string, resendUnanswered: boolean) => {
    fresh();
    setNotice(undefined);
    return attempt(async () => {
      const resumed = await api.runner.resume({ dir, runId: id, resendUnanswered });
      follow(resumed.runId);
      const said = unansweredNotice(resumed);
      if (said) setNotice(said);
    });
  };

  const report = (id: string, name: string) => {
    setError(undefined);
    return attempt(() => openReport(dir, id, name));
  };

  return {
    runId,
    progress,
    error,
    notice,
    starting,
    selected,
    setSelected,
    start,
    control,
    loadRows,
    open,
    openPast,
    resumePast,
    report,
  };
}
