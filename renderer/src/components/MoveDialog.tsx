import { useState } from 'react';
import { whereWords } from '@shared/formats/doc-names';
import { useStudioStore } from '../store/context';
import { nameClash, naturalOrder } from '../store/names';
import { DialogActions, Modal } from './Modal';
import { TextInput } from './Fields';
import { DialogProblem } from './DialogProblem';
import { useStudioPick } from './use-studio-pick';

/** The collection's webhook folders, sorted as the sidebar shows them; the root ('') first. */
export function foldersOf(webhooks: Record<string, { folder: string }>): string[] {
  const folders = new Set(Object.values(webhooks).map((w) => w.folder));
  folders.add('');
  return [...folders].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : naturalOrder(a, b)));
}

/** Why the webhook cannot go to `folder`, or undefined when it can. */
function moveProblem(
  s: Parameters<typeof nameClash>[0],
  w: { key: string; folder: string; name: string },
  folder: string,
): string | undefined {
  if (folder === w.folder) return `“${w.name}” is ${whereWords('webhook', folder)} already.`;
  return nameClash(s, { kind: 'webhook', key: w.key, name: w.name, folder });
}

/**
 * Moves a webhook to one of the collection's folders (a list to choose from) or to a new folder typed in:
 * the keyboard way of dragging it onto a folder in the sidebar.
 */
export function MoveDialog({ webhookKey, onClose }: { webhookKey: string; onClose: () => void }) {
  const state = useStudioPick('webhooks', 'webhookOrder', 'contexts', 'contextOrder');
  const store = useStudioStore();
  const doc = state.webhooks[webhookKey];
  const folders = foldersOf(state.webhooks);
  const [chosen, setChosen] = useState(() => folders.find((f) => f !== doc?.folder) ?? '');
  const [typed, setTyped] = useState('');
  if (!doc) return null;
  const target = typed.trim() ? typed.trim().replace(/^\/+|\/+$/g, '') : chosen;
  const problem = moveProblem(state, { key: webhookKey, folder: doc.folder, name: doc.value.name }, target);
  return (
    <Modal title="Move webhook to folder" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (problem) return;
          onClose();
          void store.getState().move(webhookKey, target);
        }}
      >
        <label className="field-label" htmlFor="move-folder">
          Folder
        </label>
        <select
          id="move-folder"
          value={chosen}
          style={{ width: '100%' }}
          disabled={typed.trim() !== ''}
          onChange={(e) => setChosen(e.target.value)}
        >
          {folders.map((f) => (
            <option key={f || '(root)'} value={f}>
              {f || 'Collection root'}
              {f === doc.folder ? ' (where it is now)' : ''}
            </option>
          ))}
        </select>
        <label className="field-label" htmlFor="move-new-folder" style={{ display: 'block', marginTop: 10 }}>
          Or a new folder (use / for subfolders)
        </label>
        <TextInput
          id="move-new-folder"
          value={typed}
          onValue={setTyped}
          placeholder="archive"
          style={{ width: '100%' }}
        />
        <DialogProblem id="move-problem" problem={problem} />
        <DialogActions onCancel={onClose} submitLabel="Move" disabled={problem !== undefined} />
      </form>
    </Modal>
  );
}
