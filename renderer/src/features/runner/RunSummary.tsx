import { Fragment } from 'react';
import type { EventPayload } from '@shared/contract';
import { RunControls, type RunAction } from './RunControls';

type Progress = EventPayload<'runner:progress'>;

/** The counters the summary shows, each with the test id the end-to-end tests read. */
const counters = [
  ['Succeeded', 'count-succeeded', 'succeeded'],
  ['Partly mapped', 'count-partly', 'partlyMapped'],
  ['Failed', 'count-failed', 'failed'],
  ['Bad rows', 'count-skipped', 'skipped'],
  ['Not run', 'count-not-run', 'notRun'],
] as const;

/** The run's progress: the bar with its controls, a line in words, and the counts by result. */
export function RunSummary({
  progress,
  onControl,
}: {
  progress: Progress | undefined;
  onControl: (a: RunAction) => void;
}) {
  const counts = progress?.counts;
  const state = progress?.state;
  const done = counts?.done ?? 0;
  return (
    <section className="runner-progress" aria-label="Run progress">
      <div className="runner-progress-line">
        <progress aria-label="Leads done" max={counts?.total ?? undefined} value={counts?.total ? done : undefined} />
        <RunControls state={state} onControl={onControl} />
      </div>
      <p className="runner-status" aria-live="polite">
        {done}
        {counts?.total !== null && counts?.total !== undefined ? ` of ${counts.total}` : ''} leads ·{' '}
        {state ?? 'starting'}
        {progress?.message ? `: ${progress.message}` : ''}
      </p>
      <dl className="runner-counters">
        {counters.map(([label, testId, field]) => (
          <div key={testId}>
            <dt>{label}</dt>
            <dd data-testid={testId}>{counts?.[field] ?? 0}</dd>
          </div>
        ))}
      </dl>
      <Outcomes byOutcome={counts?.byOutcome ?? {}} />
    </section>
  );
}

/**
 * The leads by outcome, apart from the counts by result above and quieter: the outcome read in words
 * (`not sent`), its code (`not-sent`, as the reports and JUnit name it) on hover and in the markup.
 */
function Outcomes({ byOutcome }: { byOutcome: Record<string, number> }) {
  const outcomes = Object.entries(byOutcome);
  if (outcomes.length === 0) return null;
  return (
    <p className="runner-outcomes">
      Outcomes:{' '}
      {outcomes.map(([outcome, n], i) => (
        <Fragment key={outcome}>
          {i > 0 && ' · '}
          <span title={`outcome code: ${outcome}`} data-outcome={outcome}>
            {outcome.replaceAll('-', ' ')} {n}
          </span>
        </Fragment>
      ))}
    </p>
  );
}
