import type { ChannelOutput } from '@shared/contract';
import { reportFiles } from './reports';

export type PastRun = ChannelOutput<'runner:runs'>['runs'][number];

/** A run's reports (not results.jsonl), each a button that opens it; `of` names the run in each button's label. */
export function ReportButtons(props: { run: PastRun; of: string; onReport: (id: string, name: string) => void }) {
  const { run, of, onReport } = props;
  return Object.values(run.files)
    .filter((f) => reportFiles.includes(f))
    .map((f) => (
      <button
        key={f}
        type="button"
        className="btn link"
        aria-label={`Open ${f} of ${of}`}
        onClick={() => onReport(run.runId, f)}
      >
        {f}
      </button>
    ));
}

/** One past run: Open and Resume where they apply, what it was, and its reports. */
function PastRunItem(props: {
  run: PastRun;
  busy: boolean;
  onOpen: (id: string) => void;
  onResume: (id: string) => void;
  onReport: (id: string, name: string) => void;
}) {
  const { run: r, busy, onOpen, onResume, onReport } = props;
  return (
    <li>
      {r.state !== 'interrupted' && (
        // A run stopped before its summary has no rows to reopen yet; Resume finishes it.
        <>
          <button type="button" className="btn small" disabled={busy} onClick={() => onOpen(r.runId)}>
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
            disabled={busy}
            onClick={() => onResume(r.runId)}
          >
            Resume
          </button>{' '}
        </>
      )}
      {r.webhook} · {r.startedAt.replace('T', ' ').slice(0, 19)} · {r.state} · {r.accounting}
      <span className="runner-files">
        {' '}
        · reports: <ReportButtons run={r} of={r.runId} onReport={onReport} />
      </span>
    </li>
  );
}

/** The collection's past runs, to reopen, resume, or read the reports of. */
export function PastRuns(props: {
  runs: PastRun[];
  open: boolean;
  busy: boolean;
  resendUnanswered: boolean;
  onResendUnanswered: (resend: boolean) => void;
  onOpen: (id: string) => void;
  onResume: (id: string) => void;
  onReport: (id: string, name: string) => void;
}) {
  const { runs, open, busy, resendUnanswered, onResendUnanswered, ...actions } = props;
  return (
    <details className="runner-past" open={open}>
      <summary>Past runs of this collection ({runs.length})</summary>
      {runs.some((r) => r.resumable) && (
        <label className="runner-resend">
          <input
            type="checkbox"
            checked={resendUnanswered}
            onChange={(e) => onResendUnanswered(e.currentTarget.checked)}
          />
          Re-send leads sent without an answer
        </label>
      )}
      <ul aria-label="Past runs">
        {runs.map((r) => (
          <PastRunItem key={r.runId} run={r} busy={busy} {...actions} />
        ))}
      </ul>
    </details>
  );
}
