import { useEffect, useSyncExternalStore } from 'react';
import { useUi } from '../../store/ui-store';
import { isMod } from '../../components/app-effects';

/**
 * What is typed in the palette, kept outside it so that "Search the collection…" (the command or
 * Mod+Shift+F) can open the palette with the search prefix already typed. Only the palette reads it, so
 * a keystroke re-renders the palette alone.
 */

/** A query starting with this searches the collection only. */
export const searchPrefix = '#';

let query = '';
const listeners = new Set<() => void>();

export function setPaletteQuery(next: string): void {
  query = next;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The palette's query; it starts empty each time the palette opens, unless a search opened it. */
export function usePaletteQuery(): string {
  const current = useSyncExternalStore(subscribe, () => query);
  // Closing the palette (Escape, a command, Mod+K) forgets the query, so the next open starts empty.
  useEffect(
    () =>
      useUi.subscribe((u, prev) => {
        if (prev.paletteOpen && !u.paletteOpen) setPaletteQuery('');
      }),
    [],
  );
  return current;
}

/** Opens the palette searching the collection. */
export function openCollectionSearch(): void {
  if (!query.startsWith(searchPrefix)) setPaletteQuery(searchPrefix);
  useUi.getState().setPalette(true);
}

/** Mod+Shift+F opens the collection search, from anywhere (capture phase: before an editor sees the key). */
export function useCollectionSearchShortcut(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isMod(e) || !e.shiftKey || e.key.toLowerCase() !== 'f') return;
      e.preventDefault();
      e.stopPropagation();
      openCollectionSearch();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
