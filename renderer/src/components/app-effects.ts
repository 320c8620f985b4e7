import { useEffect } from 'react';
import { useStudioStore } from '../store/context';
import { useUi } from '../store/ui-store';

/** Ctrl on Windows/Linux, Cmd on macOS. */
export function isMod(e: KeyboardEvent): boolean {
  return e.ctrlKey || e.metaKey;
}

/** Loads the last collection (or none) once, when the page starts. */
export function useBoot(): void {
  const store = useStudioStore();
  useEffect(() => {
    void store.getState().boot();
  }, [store]);
}

/** A send shows its progress, then its response (unless the lead mapping is in front). */
export function useSendShowsResponse(): void {
  const store = useStudioStore();
  const setRightTab = useUi((s) => s.setRightTab);
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        const key = s.currentWebhook;
        if (!key) return;
        const started = s.sends[key] && !prev.sends[key];
        const finished = s.exchanges[key] && s.exchanges[key] !== prev.exchanges[key];
        if ((started || finished) && useUi.getState().rightTab !== 'mapping') setRightTab('response');
      }),
    [store, setRightTab],
  );
}

/** A jump into the webhook (from a diagnostic or the lead table) brings its editor forward. */
export function useJumpShowsWebhook(): void {
  const store = useStudioStore();
  useEffect(
    () =>
      useUi.subscribe((u, prev) => {
        if (!u.jump || u.jump === prev.jump || u.jump.location.part === 'context') return;
        const s = store.getState();
        if (s.selected?.kind === 'context' && s.currentWebhook) s.select('webhook', s.currentWebhook);
      }),
    [store],
  );
}

/** Mod+Enter sends, Mod+S saves, Mod+K opens or closes the command palette. */
export function useShortcuts(): void {
  const store = useStudioStore();
  const setPalette = useUi((s) => s.setPalette);
  useEffect(() => {
    const actions = new Map<string, () => void>([
      ['enter', () => void store.getState().send()],
      ['s', () => void store.getState().save()],
      ['k', () => setPalette(!useUi.getState().paletteOpen)],
    ]);
    // Capture phase: the shortcuts work from inside the editors too, before CodeMirror sees the key.
    const onKey = (e: KeyboardEvent) => {
      const action = isMod(e) ? actions.get(e.key.toLowerCase()) : undefined;
      if (!action) return;
      e.preventDefault();
      e.stopPropagation();
      action();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [store, setPalette]);
}

/** Unsaved edits are never lost silently: closing the tab or window asks first. */
export function useUnsavedGuard(): void {
  const store = useStudioStore();
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      const s = store.getState();
      if (Object.values(s.webhooks).some((w) => w.dirty) || Object.values(s.contexts).some((c) => c.dirty))
        e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [store]);
}

/** Mod+W closes the tab shown (asking first when it holds unsaved edits), Mod+Shift+T reopens the last closed. */
export function useTabShortcuts(): void {
  const store = useStudioStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const key = e.key.toLowerCase();
      const close = key === 'w' && !e.shiftKey;
      const reopen = key === 't' && e.shiftKey;
      // Only in the editors: the runner and the palette have no tab to close, a dialog answers its own keys.
      if (!isMod(e) || e.altKey || !(close || reopen) || useUi.getState().view !== 'studio') return;
      if (useUi.getState().paletteOpen || useUi.getState().dialog) return;
      e.preventDefault();
      e.stopPropagation();
      // While the close question is open, it answers first.
      if (store.getState().closingTab) return;
      if (close) store.getState().closeTab();
      else store.getState().reopenTab();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [store]);
}
