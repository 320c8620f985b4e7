import { useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Modal } from '../../components/Modal';
import { useStudioStore } from '../../store/context';
import { useStudioPick } from '../../components/use-studio-pick';
import { useCommands, type Command } from './commands';
import { rankByMatch } from './fuzzy';
import { searchCollection, type SearchDocuments, type SearchGroup, type SearchHit } from './collection-search';
import { searchPrefix, setPaletteQuery, usePaletteQuery } from './palette-query';
import { openSearchHit } from './search-jump';
import { PaletteOption, SearchResults } from './SearchResults';

export type { Command } from './commands';
export { useCommands } from './commands';
export { useCollectionSearchShortcut } from './palette-query';

/** The commands that match the query, best first: every typed word as typed first, then fuzzy matches. */
export function filterCommands(commands: Command[], query: string): Command[] {
  return rankByMatch(commands, query, (c) => c.title);
}

/** Letters typed before the collection is searched: a search asks for it; beside commands, it is noise sooner. */
const searchFrom = { search: 2, alongside: 3 };

/** Whether the query searches the collection only (it starts with the prefix), and the text to match. */
function modeOf(query: string): { search: boolean; text: string } {
  return query.startsWith(searchPrefix) ? { search: true, text: query.slice(1) } : { search: false, text: query };
}

function collectionGroups(docs: SearchDocuments, query: string): SearchGroup[] {
  const { search, text } = modeOf(query);
  const letters = text.replace(/\s+/g, '').length;
  return letters >= (search ? searchFrom.search : searchFrom.alongside) ? searchCollection(docs, text) : [];
}

type Item = { command: Command } | { group: SearchGroup; hit: SearchHit };

/** The list the arrows move through: the matching commands, then the collection's hits. */
function itemsOf(commands: Command[], groups: SearchGroup[]): Item[] {
  return [
    ...commands.map((command) => ({ command })),
    ...groups.flatMap((group) => group.hits.map((hit) => ({ group, hit }))),
  ];
}

/** The empty list's line: what to type, or that nothing matched. */
function emptyText(search: boolean, text: string): string {
  if (!search) return 'No command matches.';
  if (text.replace(/\s+/g, '').length < searchFrom.search)
    return 'Search every webhook and context: names, URLs, templates, headers, mappings and tokens.';
  return 'Nothing in the collection matches.';
}

/**
 * What the palette lists for what is typed. The collection search follows the typing a step behind (a
 * deferred value), so a keystroke never waits for it; `current()` is the list for what is typed now.
 */
function usePaletteItems(runnerAvailable: boolean) {
  const commands = useCommands(runnerAvailable);
  const docs = useStudioPick('webhooks', 'webhookOrder', 'contexts', 'contextOrder');
  const query = usePaletteQuery();
  const searched = useDeferredValue(query);
  const groups = useMemo(() => collectionGroups(docs, searched), [docs, searched]);
  const { search, text } = modeOf(query);
  const shown = search ? [] : filterCommands(commands, text).slice(0, 50);
  const items = itemsOf(shown, groups);
  const current = () => (searched === query ? items : itemsOf(shown, collectionGroups(docs, query)));
  return { query, search, text, shown, groups, items, current };
}

/** The arrows move through the list, Enter runs the chosen item. */
function listKeys(e: KeyboardEvent<HTMLInputElement>, move: (by: number) => void, enter: () => void): void {
  const by = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
  if (by === 0 && e.key !== 'Enter') return;
  e.preventDefault();
  if (by) move(by);
  else enter();
}

/**
 * The palette asks for its commands itself: they follow the collection (every webhook and context), so the
 * page does not re-render on each keystroke to keep a list nobody is looking at.
 */
export function CommandPalette({ runnerAvailable, onClose }: { runnerAvailable: boolean; onClose: () => void }) {
  const store = useStudioStore();
  const { query, search, text, shown, groups, items, current } = usePaletteItems(runnerAvailable);
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const active = Math.max(0, Math.min(index, items.length - 1));
  useEffect(() => {
    // Opened with the search prefix typed: the cursor goes after it.
    const el = input.current;
    el?.setSelectionRange(el.value.length, el.value.length);
  }, []);
  useEffect(() => {
    // Braces: Chromium's scrollIntoView returns a promise, which React would take for a clean-up.
    document.getElementById(`cmd-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);
  const run = (item: Item | undefined) => {
    if (!item) return;
    onClose();
    if ('command' in item) item.command.run();
    else openSearchHit(store, item.group, item.hit);
  };
  return (
    <Modal title="Command palette" onClose={onClose} className="palette">
      <input
        ref={input}
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={items[active] ? `cmd-${active}` : undefined}
        aria-label={search ? 'Search the collection' : 'Type a command'}
        placeholder={
          search
            ? 'Search the collection…'
            : `Type a command or a webhook name; ${searchPrefix} searches the collection…`
        }
        value={query}
        onChange={(e) => {
          setPaletteQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) =>
          listKeys(
            e,
            (by) => setIndex(Math.max(0, Math.min(items.length - 1, active + by))),
            () => run(current()[active]),
          )
        }
      />
      <ul id="palette-list" role="listbox" aria-label={search ? 'In the collection' : 'Commands'}>
        {shown.map((c, i) => (
          <PaletteOption
            key={c.id}
            index={i}
            selected={i === active}
            onPick={() => run({ command: c })}
            onHover={() => setIndex(i)}
          >
            <span>{c.title}</span>
            {c.hint && <span className="hint">{c.hint}</span>}
          </PaletteOption>
        ))}
        {!search && groups.length > 0 && (
          <li role="none" className="search-section" aria-hidden="true">
            In the collection
          </li>
        )}
        <SearchResults
          groups={groups}
          first={shown.length}
          selected={active}
          onPick={(group, hit) => run({ group, hit })}
          onHover={setIndex}
        />
        {items.length === 0 && <li aria-disabled="true">{emptyText(search, text)}</li>}
      </ul>
    </Modal>
  );
}
