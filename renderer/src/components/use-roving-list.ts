import { useState, type KeyboardEvent } from 'react';

/** What a list item takes to be part of a roving list. */
export type RovingItemProps = { tabIndex: 0 | -1; 'data-roving': string; onFocus: () => void };

export type RovingList = {
  /** Spread on each item (in the list's order): only one of them is a Tab stop. */
  item: (key: string) => RovingItemProps;
  /** On the element around the items: ArrowUp/Down, Home and End move between them. */
  onKeyDown: (e: KeyboardEvent<HTMLElement>) => void;
};

/** The index the key moves to from `at` in a list of `count`, or undefined for keys the list leaves alone. */
export function rovingMove(key: string, at: number, count: number): number | undefined {
  if (count === 0) return undefined;
  if (key === 'ArrowDown') return Math.min(count - 1, at + 1);
  if (key === 'ArrowUp') return Math.max(0, at - 1);
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return undefined;
}

/**
 * One Tab stop for a whole list (WAI-ARIA roving tabindex): Tab enters the list at the last item that had
 * focus (else `current`, else the first), the arrow keys move within it, and Tab again leaves it.
 */
export function useRovingList(keys: readonly string[], current?: string): RovingList {
  const [active, setActive] = useState<string | undefined>(undefined);
  const stop =
    active !== undefined && keys.includes(active)
      ? active
      : current !== undefined && keys.includes(current)
        ? current
        : keys[0];
  return {
    item: (key) => ({ tabIndex: key === stop ? 0 : -1, 'data-roving': key, onFocus: () => setActive(key) }),
    onKeyDown: (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      const next = rovingMove(e.key, stop === undefined ? 0 : keys.indexOf(stop), keys.length);
      const key = next === undefined ? undefined : keys[next];
      if (key === undefined) return;
      e.preventDefault();
      setActive(key);
      const items = e.currentTarget.querySelectorAll<HTMLElement>('[data-roving]');
      [...items].find((el) => el.dataset.roving === key)?.focus();
    },
  };
}
