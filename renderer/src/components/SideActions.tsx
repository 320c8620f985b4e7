import { useStudio, useStudioStore } from '../store/context';
import { useUi } from '../store/ui-store';
import type { DocKind } from '../store/studio-store';
import { nameClash } from '../store/names';

/** Duplicate, rename, move (webhooks) and delete, for the selected webhook or context. */
export function SideActions({ kind }: { kind: DocKind }) {
  const store = useStudioStore();
  const sel = useStudio((s) => s.selected);
  const selName = useStudio((s) =>
    s.selected
      ? s.selected.kind === 'webhook'
        ? s.webhooks[s.selected.key]?.value.name
        : s.contexts[s.selected.key]?.value.name
      : undefined,
  );
  const openDialog = useUi((s) => s.openDialog);
  if (!sel || sel.kind !== kind || !selName) return null;
  const key = sel.key;
  const actions: { label: string; danger?: boolean; run: () => void }[] = [
    { label: 'Duplicate', run: () => void store.getState().duplicate(kind, key) },
    {
      label: 'Rename',
      run: () =>
        openDialog({
          kind: 'prompt',
          title: `Rename ${kind}`,
          label: 'New name',
          initial: selName,
          submit: 'Rename',
          onSubmit: (name) => void store.getState().rename(kind, key, name),
          // The same check the collection makes, said before Rename is pressed.
          validate: (name) => {
            const s = store.getState();
            const folder = kind === 'webhook' ? (s.webhooks[key]?.folder ?? '') : '';
            return nameClash(s, { kind, key, name, folder });
          },
        }),
    },
  ];
  if (kind === 'webhook')
    actions.push({
      label: 'Move',
      run: () => openDialog({ kind: 'move', webhookKey: key }),
    });
  actions.push({
    label: 'Delete',
    danger: true,
    run: () =>
      openDialog({
        kind: 'confirm',
        title: `Delete ${kind}`,
        text: `Delete “${selName}”? The file moves to the collection’s trash (.studio/trash, kept 10 minutes); Undo in the notice brings it back.`,
        submit: 'Delete',
        onSubmit: () => void store.getState().remove(kind, key),
      }),
  });
  return (
    <div className="side-actions" role="group" aria-label={`Actions on ${selName}`}>
      {actions.map((a) => (
        <button key={a.label} type="button" className={a.danger ? 'btn small danger' : 'btn small'} onClick={a.run}>
          {a.label}
        </button>
      ))}
    </div>
  );
}
