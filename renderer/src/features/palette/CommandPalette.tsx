import { useMemo, useState } from 'react';
import { Modal } from '../../components/Modal';
import { useStudioStore } from '../../store/context';
import { useStudioPick } from '../../components/use-studio-pick';
import { useUi } from '../../store/ui-store';
import { MOD } from '../../lib/keys';

export type Command = { id: string; title: string; hint?: string; run: () => void };

/** Every word of the query must appear in the title, in any order; earlier matches rank first. */
export function filterCommands(commands: Command[], query: string): Command[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return commands;
  return commands
    .map((c) => ({ c, t: c.title.toLowerCase() }))
    .filter(({ t }) => words.every((w) => t.includes(w)))
    .sort((a, b) => a.t.indexOf(words[0] as string) - b.t.indexOf(words[0] as string))
    .map(({ c }) => c);
}

export function useCommands(runnerAvailable: boolean): Command[] {
  const store = useStudioStore();
  const { webhooks, webhookOrder, contexts, contextOrder, target } = useStudioPick(
    'webhooks',
    'webhookOrder',
    'contexts',
    'contextOrder',
    'target',
  );
  const ui = useUi();
  return useMemo(() => {
    const s = () => store.getState();
    const cmds: Command[] = [
      { id: 'send', title: 'Send webhook', hint: `${MOD}+Enter`, run: () => void s().send() },
      { id: 'save', title: 'Save', hint: `${MOD}+S`, run: () => void s().save() },
      { id: 'new-webhook', title: 'New webhook', run: () => s().newWebhook() },
      { id: 'new-context', title: 'New context', run: () => s().newContext() },
      {
        id: 'target',
        title:
          target === 'url'
            ? 'Send to the built-in catcher instead of the URL'
            : 'Send to the URL instead of the catcher',
        run: () => s().setTarget(target === 'url' ? 'catcher' : 'url'),
      },
      { id: 'import', title: 'Import a file…', run: () => ui.openDialog({ kind: 'import' }) },
      { id: 'export', title: 'Export webhooks…', run: () => ui.openDialog({ kind: 'export' }) },
      { id: 'open', title: 'Open another collection…', run: () => ui.openDialog({ kind: 'open' }) },
      { id: 'show-preview', title: 'Show preview', run: () => ui.setRightTab('preview') },
      { id: 'show-response', title: 'Show response', run: () => ui.setRightTab('response') },
      { id: 'show-mapping', title: 'Show lead mapping', run: () => ui.setRightTab('mapping') },
      ...(['template', 'headers', 'settings', 'mappings'] as const).map((t) => ({
        id: `tab-${t}`,
        title: `Edit ${t}`,
        run: () => ui.setEditorTab(t),
      })),
      ...webhookOrder.map((k) => ({
        id: `w-${k}`,
        title: `Open webhook: ${webhooks[k]?.value.name ?? k}`,
        hint: webhooks[k]?.value.method,
        run: () => s().select('webhook', k),
      })),
      ...contextOrder.map((k) => ({
        id: `c-${k}`,
        title: `Edit context: ${contexts[k]?.value.name ?? k}`,
        run: () => s().select('context', k),
      })),
      ...contextOrder.map((k) => ({
        id: `a-${k}`,
        title: `Use context: ${contexts[k]?.value.name ?? k}`,
        run: () => s().setActiveContext(k),
      })),
    ];
    if (runnerAvailable) {
      cmds.push({ id: 'runner', title: 'Open the runner', run: () => ui.setView('runner') });
      cmds.push({ id: 'studio', title: 'Back to the studio', run: () => ui.setView('studio') });
    }
    return cmds;
  }, [store, webhooks, webhookOrder, contexts, contextOrder, target, ui, runnerAvailable]);
}

export function CommandPalette({ commands, onClose }: { commands: Command[]; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const shown = filterCommands(commands, query).slice(0, 50);
  const run = (c: Command | undefined) => {
    if (!c) return;
    onClose();
    c.run();
  };
  return (
    <Modal title="Command palette" onClose={onClose} className="palette">
      <input
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={shown[index] ? `cmd-${index}` : undefined}
        aria-label="Type a command"
        placeholder="Type a command or a webhook name…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setIndex((i) => Math.min(shown.length - 1, i + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setIndex((i) => Math.max(0, i - 1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            run(shown[index]);
          }
        }}
      />
      <ul id="palette-list" role="listbox" aria-label="Commands">
        {shown.map((c, i) => (
          <li
            key={c.id}
            id={`cmd-${i}`}
            role="option"
            aria-selected={i === index}
            onMouseEnter={() => setIndex(i)}
            onClick={() => run(c)}
          >
            <span>{c.title}</span>
            {c.hint && <span className="hint">{c.hint}</span>}
          </li>
        ))}
        {shown.length === 0 && <li aria-disabled="true">No command matches.</li>}
      </ul>
    </Modal>
  );
}
