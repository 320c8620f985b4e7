import { useStudio } from '../store/context';

/** The messages in the corner: each can be dismissed, and one that offers an action (Undo) has its button. */
export function Notices() {
  const notices = useStudio((s) => s.notices);
  const dismiss = useStudio((s) => s.dismiss);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span className="text">{n.text}</span>
          {n.action && (
            <button
              type="button"
              className="btn small"
              onClick={() => {
                dismiss(n.id);
                void n.action?.run();
              }}
            >
              {n.action.label}
            </button>
          )}
          <button type="button" className="btn ghost icon small" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
