import type { CSSProperties, KeyboardEvent, ReactNode } from 'react';

/** Arrow keys move between tabs (WAI-ARIA tabs pattern). */
export function tabKeys<T extends string>(e: KeyboardEvent, ids: T[], current: T, set: (id: T) => void): void {
  const i = ids.indexOf(current);
  let next: number | undefined;
  if (e.key === 'ArrowRight') next = (i + 1) % ids.length;
  if (e.key === 'ArrowLeft') next = (i - 1 + ids.length) % ids.length;
  if (e.key === 'Home') next = 0;
  if (e.key === 'End') next = ids.length - 1;
  const id = next === undefined ? undefined : ids[next];
  if (next === undefined || id === undefined) return;
  e.preventDefault();
  set(id);
  const el = e.currentTarget.parentElement?.children[next];
  if (el instanceof HTMLElement) el.focus();
}

/**
 * A row of tabs: one is selected and reachable with Tab, the arrow keys move between them.
 * `tabId` and `panelId` name each tab and the panel it controls, where the page refers to them.
 */
export function TabList<T extends string>({
  label,
  tabs,
  selected,
  onSelect,
  tabId,
  panelId,
  extra,
  style,
}: {
  label: string;
  tabs: readonly (readonly [T, string])[];
  selected: T;
  onSelect: (id: T) => void;
  tabId?: (id: T) => string;
  panelId?: (id: T) => string;
  /** Shown after a tab's label (a count, a progress mark). */
  extra?: (id: T) => ReactNode;
  style?: CSSProperties;
}) {
  const ids = tabs.map((t) => t[0]);
  return (
    <div className="tabs" role="tablist" aria-label={label} style={style}>
      {tabs.map(([id, text]) => (
        <button
          key={id}
          type="button"
          role="tab"
          id={tabId?.(id)}
          aria-controls={panelId?.(id)}
          aria-selected={selected === id}
          tabIndex={selected === id ? 0 : -1}
          className="tab"
          onClick={() => onSelect(id)}
          onKeyDown={(e) => tabKeys(e, ids, selected, onSelect)}
        >
          {text}
          {extra?.(id)}
        </button>
      ))}
    </div>
  );
}
