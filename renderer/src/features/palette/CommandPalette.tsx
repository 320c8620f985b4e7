import { useState } from 'react';
import { Modal } from '../../components/Modal';
import { useCommands, type Command } from './commands';
import { rankByMatch } from './fuzzy';

export type { Command } from './commands';
export { useCommands } from './commands';

/** The commands that match the query, best first: every typed word as typed first, then fuzzy matches. */
export function filterCommands(commands: Command[], query: string): Command[] {
  return rankByMatch(commands, query, (c) => c.title);
}

/**
 * The palette asks for its commands itself: they follow the collection (every webhook and context), so the
 * page does not re-render on each keystroke to keep a list nobody is looking at.
 */
export function CommandPalette({ runnerAvailable, onClose }: { runnerAvailable: boolean; onClose: () => void }) {
  const commands = useCommands(runnerAvailable);
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
