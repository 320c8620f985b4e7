import { useState } from 'react';
import type { Profile, Trigger, Webhook } from '@shared/model';
import { sampleLeadsHeader } from '@shared/runner/leads';
import { ExchangeDetail } from './ExchangeDetail';
import { LeadTable } from './LeadTable';
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
 * The lead-matrix runner: pick a leads file, run the webhook once per lead as a trigger campaign
 * would, watch the counters, and open any lead's exchange and mappings.
 */
export function RunnerView({ dir, webhookPath, contextPath, webhook, triggers, profile }: RunnerViewProps) {
  const [options, setOptions] = useState<RunOptions>(defaultRunOptions);
  const [resendUnanswered, setResendUnanswered] = useState(false);
  const run = useRun({ dir, webhookPath, ...(contextPath ? { contextPath } : {}) });
  const { runId, progress, selected } = run;
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
        <div className={selected ? 'runner-body with-detail' : 'runner-body'}>
          <LeadTable
            runId={runId}
            total={progress?.counts.done ?? 0}
            loadRows={run.loadRows}
            {...(selected ? { selectedLine: selected.line } : {})}
            onSelect={(line) => void run.open(line)}
          />
          {selected?.exchange && (
            <ExchangeDetail
              line={selected.line}
              exchange={selected.exchange}
              onClose={() => run.setSelected(undefined)}
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
