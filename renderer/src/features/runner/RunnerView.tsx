import { useCallback, useState } from 'react';
import type { LeadsShown } from '@shared/contract';
import type { Profile, Trigger, Webhook } from '@shared/model';
import { sampleLeadsHeader } from '@shared/runner/leads';
import { ExchangeDetail } from './ExchangeDetail';
import { LeadsShownToggle, notSucceededCount } from './LeadsShown';
import { isFailure, LeadTable } from './LeadTable';
import { PastRuns, ReportButtons } from './PastRuns';
import { RunSetup, defaultRunOptions, type RunOptions } from './RunSetup';
import { RunSummary } from './RunSummary';
import { usePastRuns, useRun } from './useRun';
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

/** Before any run: what a leads file for this webhook looks like. */
function SampleLeads({ webhook }: { webhook: Pick<Webhook, 'url' | 'template' | 'headers'> }) {
  return (
    <div className="empty-state" aria-label="Sample leads file">
      <p>A leads file for this webhook starts with a header naming the lead (and company) fields its tokens use:</p>
      <pre data-testid="sample-header">{sampleLeadsHeader(webhook)}</pre>
      <p>One lead per line after it; a CSV, JSON array or JSON Lines export all work.</p>
    </div>
  );
}

/**
 * The run's leads: every lead or only those that did not succeed, as the toggle above the table says,
 * and the open lead's exchange beside them.
 */
function RunLeads({
  run,
  running,
  triggers,
  profile,
}: {
  run: ReturnType<typeof useRun>;
  running: boolean;
  triggers: readonly Trigger[] | undefined;
  profile: Partial<Profile> | undefined;
}) {
  const { progress, selected, loadRows, setSelected } = run;
  const counts = progress?.counts;
  const [chosen, setChosen] = useState<LeadsShown>('all');
  // With none that did not succeed there is nothing to filter (the toggle's button is disabled then).
  const show: LeadsShown = notSucceededCount(counts) > 0 ? chosen : 'all';
  // Whether the open lead did not succeed, from its row: its exchange alone cannot say for a bad row.
  const [selectedFailed, setSelectedFailed] = useState(false);
  const loadShownRows = useCallback((offset: number, limit: number) => loadRows(offset, limit, show), [loadRows, show]);
  const choose = (next: LeadsShown) => {
    if (next === show) return;
    setChosen(next);
    // The open lead stays open when the new list has it; a lead that succeeded is not among the others.
    if (next === 'not-succeeded' && selected && !selectedFailed) setSelected(undefined);
  };
  return (
    <>
      <LeadsShownToggle show={show} counts={counts} running={running} onShow={choose} />
      <div className={selected ? 'runner-body with-detail' : 'runner-body'}>
        <LeadTable
          // A new list starts at its top, with its pages fetched afresh.
          key={show}
          label={show === 'all' ? 'Leads' : 'Leads that did not succeed'}
          total={show === 'all' ? (counts?.done ?? 0) : notSucceededCount(counts)}
          loadRows={loadShownRows}
          {...(selected ? { selectedLine: selected.line } : {})}
          onSelect={(row) => {
            setSelectedFailed(isFailure(row));
            void run.open(row);
          }}
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
        {selected?.note !== undefined &&
          // A bad row or a lead not run is a problem to see; a success whose exchange was not kept is not.
          (selectedFailed ? (
            <p role="alert" className="runner-error">
              {lineError(selected.line, selected.note)}
            </p>
          ) : (
            <p role="status" className="runner-note">
              {lineError(selected.line, selected.note)}
            </p>
          ))}
        {selected?.error && (
          <p role="alert" className="runner-error">
            {lineError(selected.line, selected.error)}
          </p>
        )}
      </div>
    </>
  );
}

/**
 * Why the open line has no exchange, said once: the service's answer already starts with `line N:` (it
 * names the line for every caller), which the view would otherwise repeat as `Line N: line N: …`.
 */
export function lineError(line: number, error: string): string {
  const named = `line ${line}: `;
  return error.startsWith(named) ? `Line ${line}: ${error.slice(named.length)}` : `Line ${line}: ${error}`;
}

/**
 * The lead-matrix runner: pick a leads file, run the webhook once per lead as a trigger campaign
 * would, watch the counters, and open any lead's exchange and mappings.
 */
export function RunnerView({ dir, webhookPath, contextPath, webhook, triggers, profile }: RunnerViewProps) {
  const [options, setOptions] = useState<RunOptions>(defaultRunOptions);
  const [resendUnanswered, setResendUnanswered] = useState(false);
  const run = useRun({ dir, webhookPath, ...(contextPath ? { contextPath } : {}) });
  const { runId, progress } = run;
  const state = progress?.state;
  const pastRuns = usePastRuns(dir, state === 'done' || state === 'cancelled' || state === 'failed');
  const active = state === 'running' || state === 'paused';
  // Once the run shown has ended, its reports are a click away here, not only in the past runs list.
  const ended = runId !== undefined && !active ? pastRuns.find((r) => r.runId === runId) : undefined;

  return (
    <div className="runner-view">
      <RunSetup
        options={options}
        onChange={(change) => setOptions((o) => ({ ...o, ...change }))}
        canRun={!!options.file && !run.starting && !active}
        onRun={() => void run.start(options)}
      />
      {run.error && (
        <p role="alert" className="runner-error">
          {run.error}
        </p>
      )}
      {run.notice && (
        <p role="status" className="runner-notice">
          {run.notice}
        </p>
      )}
      {!runId && webhook && <SampleLeads webhook={webhook} />}
      {runId && <RunSummary progress={progress} onControl={(action) => void run.control(action)} />}
      {ended && (
        <p className="runner-files" aria-label="Reports of this run">
          Reports of this run:{' '}
          <ReportButtons run={ended} of="this run" onReport={(id, name) => void run.report(id, name)} />
        </p>
      )}
      {pastRuns.length > 0 && (
        <PastRuns
          runs={pastRuns}
          open={!runId}
          busy={active}
          resendUnanswered={resendUnanswered}
          onResendUnanswered={setResendUnanswered}
          onOpen={(id) => void run.openPast(id)}
          onResume={(id) => void run.resumePast(id, resendUnanswered)}
          onReport={(id, name) => void run.report(id, name)}
        />
      )}
      {runId && (
        // Another run starts with every lead listed and none open.
        <RunLeads key={runId} run={run} running={active || state === undefined} triggers={triggers} profile={profile} />
      )}
    </div>
  );
}

export default RunnerView;
