import type { ReactNode } from 'react';
import type { SearchGroup, SearchHit } from './collection-search';

/** One choice in the palette's list: a command or a place in the collection. */
export function PaletteOption({
  index,
  selected,
  onPick,
  onHover,
  children,
}: {
  index: number;
  selected: boolean;
  onPick: () => void;
  onHover: () => void;
  children: ReactNode;
}) {
  return (
    <li id={`cmd-${index}`} role="option" aria-selected={selected} onMouseEnter={onHover} onClick={onPick}>
      {children}
    </li>
  );
}

/** The snippet with its matched characters marked. */
function Snippet({ hit }: { hit: SearchHit }) {
  const parts: ReactNode[] = [];
  let at = 0;
  hit.marks.forEach(([from, to], i) => {
    if (from > at) parts.push(hit.snippet.slice(at, from));
    parts.push(<mark key={i}>{hit.snippet.slice(from, to)}</mark>);
    at = to;
  });
  parts.push(hit.snippet.slice(at));
  return <span className="hit-snippet">{parts}</span>;
}

/**
 * The collection's hits, grouped by webhook or context, each naming its place and showing its line.
 * `first` is the list index of the first hit (the commands come before).
 */
export function SearchResults({
  groups,
  first,
  selected,
  onPick,
  onHover,
}: {
  groups: SearchGroup[];
  first: number;
  selected: number;
  onPick: (group: SearchGroup, hit: SearchHit) => void;
  onHover: (index: number) => void;
}) {
  let next = first;
  return groups.map((g) => {
    const start = next;
    next += g.hits.length;
    const kind = g.kind === 'webhook' ? 'Webhook' : 'Context';
    return (
      <li key={`${g.kind}:${g.key}`} role="group" aria-label={`${kind} ${g.name}`} className="search-group">
        <div className="search-group-head" aria-hidden="true">
          <span className="badge">{kind}</span>
          <b>{g.name}</b>
          {g.more > 0 && <span className="hint">+{g.more} more</span>}
        </div>
        <ul role="none">
          {g.hits.map((hit, i) => (
            <PaletteOption
              key={i}
              index={start + i}
              selected={start + i === selected}
              onPick={() => onPick(g, hit)}
              onHover={() => onHover(start + i)}
            >
              <span className="hit-place">{hit.label}</span>
              <Snippet hit={hit} />
            </PaletteOption>
          ))}
        </ul>
      </li>
    );
  });
}
