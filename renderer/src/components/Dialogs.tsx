import { useState } from 'react';
import { useStudio } from '../store/context';
import { useUi, type DialogState } from '../store/ui-store';
import { DialogActions, Modal } from './Modal';
import { TextInput } from './Fields';
import { ImportDialog } from './ImportDialog';
import { ExportDialog } from './ExportDialog';
import { MapDialog } from './MapDialog';
import { CatcherDialog } from '../features/catcher/CatcherDialog';
import { CollectionSettingsDialog } from '../features/settings/CollectionSettings';
import { MoveDialog } from './MoveDialog';
import { DialogProblem } from './DialogProblem';

/** The one dialog the UI store asks for, if any. */
export function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  const close = useUi((s) => s.closeDialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'prompt':
      return <PromptDialog d={dialog} onClose={close} />;
    case 'confirm':
      return <ConfirmDialog d={dialog} onClose={close} />;
    case 'open':
      return <OpenDialog onClose={close} />;
    case 'import':
      return <ImportDialog onClose={close} />;
    case 'export':
      return <ExportDialog onClose={close} />;
    case 'map':
      return <MapDialog path={dialog.path} warning={dialog.warning} note={dialog.note} onClose={close} />;
    case 'catcher':
      return <CatcherDialog onClose={close} />;
    case 'settings':
      return <CollectionSettingsDialog onClose={close} />;
    case 'move':
      return <MoveDialog webhookKey={dialog.webhookKey} onClose={close} />;
  }
}

function ConfirmDialog({ d, onClose }: { d: Extract<DialogState, { kind: 'confirm' }>; onClose: () => void }) {
  return (
    <Modal title={d.title} onClose={onClose}>
      <p>{d.text}</p>
      <DialogActions
        onCancel={onClose}
        submitLabel={d.submit}
        destructive
        onSubmit={() => {
          onClose();
          d.onSubmit();
        }}
      />
    </Modal>
  );
}

function PromptDialog({ d, onClose }: { d: Extract<DialogState, { kind: 'prompt' }>; onClose: () => void }) {
  const [value, setValue] = useState(d.initial);
  const problem = d.validate?.(value);
  return (
    <Modal title={d.title} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (problem) return;
          onClose();
          d.onSubmit(value);
        }}
      >
        <label className="field-label" htmlFor="prompt-input">
          {d.label}
        </label>
        <TextInput
          id="prompt-input"
          value={value}
          onValue={setValue}
          onFocus={(e) => e.target.select()}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'prompt-problem' : undefined}
        />
        <DialogProblem id="prompt-problem" problem={problem} />
        <DialogActions onCancel={onClose} submitLabel={d.submit} disabled={problem !== undefined} />
      </form>
    </Modal>
  );
}

/** Opens a collection by its path, creates one there, or reopens a recent one. */
export function OpenDialog({ onClose }: { onClose: () => void }) {
  const recent = useStudio((s) => s.recent);
  const shell = useStudio((s) => s.shell);
  const open = useStudio((s) => s.openCollection);
  const pick = useStudio((s) => s.pickCollection);
  /** Closes the dialog, then does what was chosen. */
  const closeThen = (action: () => Promise<void>) => {
    onClose();
    void action();
  };
  return (
    <Modal title="Open a collection" onClose={onClose}>
      <p className="help">
        A collection is a folder of webhooks, contexts and settings. Type its path on this computer.
      </p>
      <CollectionPathForm closeThen={closeThen} />
      {shell === 'electron' && (
        <button type="button" className="btn" style={{ marginTop: 8 }} onClick={() => closeThen(pick)}>
          Choose folder…
        </button>
      )}
      {recent.length > 0 && (
        <>
          <h3 style={{ marginTop: 14, marginBottom: 4 }}>Recent</h3>
          <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {recent.map((r) => (
              <li key={r}>
                <button
                  type="button"
                  className="btn ghost"
                  style={{ width: '100%', justifyContent: 'flex-start' }}
                  onClick={() => closeThen(() => open(r))}
                >
                  {r}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </Modal>
  );
}

/** The typed folder path, with Open (Enter) and Create here. */
function CollectionPathForm({ closeThen }: { closeThen: (action: () => Promise<void>) => void }) {
  const open = useStudio((s) => s.openCollection);
  const init = useStudio((s) => s.initCollection);
  const [dir, setDir] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (dir.trim()) closeThen(() => open(dir.trim()));
      }}
      style={{ display: 'flex', gap: 8 }}
    >
      <TextInput
        aria-label="Collection folder"
        placeholder="/path/to/collection"
        value={dir}
        onValue={setDir}
        style={{ flex: 1 }}
      />
      <button type="submit" className="btn primary">
        Open
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => {
          if (dir.trim()) closeThen(() => init(dir.trim()));
        }}
      >
        Create here
      </button>
    </form>
  );
}
