export type RunAction = 'pause' | 'resume' | 'cancel';

/** Pause, Resume and Cancel for the run on screen, each enabled when it applies to the run's state. */
export function RunControls({
  state,
  onControl,
}: {
  state: string | undefined;
  onControl: (action: RunAction) => void;
}) {
  const active = state === 'running' || state === 'paused';
  return (
    <>
      <button type="button" className="btn small" disabled={state !== 'running'} onClick={() => onControl('pause')}>
        Pause
      </button>
      <button type="button" className="btn small" disabled={state !== 'paused'} onClick={() => onControl('resume')}>
        Resume
      </button>
      <button type="button" className="btn small danger" disabled={!active} onClick={() => onControl('cancel')}>
        Cancel
      </button>
    </>
  );
}
