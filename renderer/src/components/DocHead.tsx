import type { ReactNode } from 'react';
import { useStudioStore } from '../store/context';
import type { DocKind } from '../store/studio-store';
import { MOD } from '../lib/keys';
import { ConflictBanner } from './ConflictBanner';
import { TextInput } from './Fields';

/**
 * The head of an editor: the document's name (editable), "Unsaved", what the editor adds (`children`), Save;
 * under it, a save conflict if there is one.
 */
export function DocHead({
  kind,
  docKey,
  doc,
  onName,
  saveShortcut,
  children,
}: {
  kind: DocKind;
  docKey: string;
  doc: { value: { name: string }; dirty: boolean; path?: string };
  onName: (name: string) => void;
  /** Announces Mod+S on the Save button. */
  saveShortcut?: boolean;
  children?: ReactNode;
}) {
  const store = useStudioStore();
  return (
    <>
      <div className="pane-head">
        <TextInput
          className="name-input"
          aria-label={kind === 'webhook' ? 'Webhook name' : 'Context name'}
          value={doc.value.name}
          onValue={onName}
        />
        {doc.dirty && <span className="badge accent">Unsaved</span>}
        {children}
        <button
          type="button"
          className="btn"
          onClick={() => void store.getState().save(docKey)}
          disabled={!doc.dirty && !!doc.path}
          aria-keyshortcuts={saveShortcut ? 'Control+S Meta+S' : undefined}
        >
          Save <kbd>{MOD} S</kbd>
        </button>
      </div>
      <ConflictBanner docKey={docKey} kind={kind} />
    </>
  );
}
