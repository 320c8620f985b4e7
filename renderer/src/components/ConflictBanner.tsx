import { useStudio, useStudioStore } from '../store/context';
import type { DocKind } from '../store/studio-store';

/** A save that the disk refused, or a file changed underneath: the edits stay, the user decides. */
export function ConflictBanner({ docKey, kind }: { docKey: string; kind: DocKind }) {
  const store = useStudioStore();
  const conflict = useStudio((s) => (kind === 'webhook' ? s.webhooks[docKey]?.conflict : s.contexts[docKey]?.conflict));
  if (!conflict) return null;
  return (
    <div className="banner conflict" role="alert">
      <span className="title">{conflict}</span>
      <button
        type="button"
        className="btn small"
        onClick={() => void store.getState().save(docKey, { overwrite: true })}
      >
        Overwrite with mine
      </button>
      <button type="button" className="btn small" onClick={() => store.getState().discard(docKey)}>
        Load from disk
      </button>
    </div>
  );
}
