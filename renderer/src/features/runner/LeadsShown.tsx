import type { EventPayload, LeadsShown } from '@shared/contract';

type RunCounts = EventPayload<'runner:progress'>['counts'];

/** Leads that did not succeed: failed, partly mapped, bad rows and not run (every lead done but the successes). */
export function notSucceededCount(counts: RunCounts | undefined): number {
  if (!counts) return 0;
  return counts.failed + counts.partlyMapped + counts.skipped + counts.notRun;
}

/**
 * Which leads the table lists, as Postman's and Bruno's runners filter their failed requests: every lead,
 * or only those that did not succeed, each with its count as the run goes.
 */
export function LeadsShownToggle({
  show,
  counts,
  running,
  onShow,
}: {
  show: LeadsShown;
  counts: RunCounts | undefined;
  /** While a run goes, none failed yet is not none failed. */
  running: boolean;
  onShow: (show: LeadsShown) => void;
}) {
  const notSucceeded = notSucceededCount(counts);
  const none = notSucceeded === 0;
  return (
    <div className="seg runner-shown" role="group" aria-label="Leads shown">
      <button type="button" aria-pressed={show === 'all'} onClick={() => onShow('all')}>
        All leads ({counts?.done ?? 0})
      </button>
      <button
        type="button"
        aria-pressed={show === 'not-succeeded'}
        disabled={none}
        title={none ? (running ? 'Every lead so far succeeded' : 'Every lead succeeded') : undefined}
        onClick={() => onShow('not-succeeded')}
      >
        Did not succeed ({notSucceeded})
      </button>
    </div>
  );
}
