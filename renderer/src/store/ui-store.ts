import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStudioStore } from './context';
import { latestStore } from './studio-store';
import { uiSlice, type UiActions, type UiState } from './slices/ui';

export type { DialogState, EditorTab, JumpRequest, RightTab } from './slices/ui';

type Ui = UiState & UiActions;

/** Before any studio store exists (a test resetting the UI first), the UI state lives here. */
let standalone: StoreApi<Ui> | undefined;

function uiStore(): StoreApi<Ui> {
  const latest = latestStore();
  if (latest) return latest;
  standalone ??= createStore<Ui>()((set) => uiSlice(set));
  return standalone;
}

/** The ui slice alone, so a component reading all of it re-renders only when it changes. */
function uiOf(s: Ui): Ui {
  const { editorTab, rightTab, view, dialog, paletteOpen, jump } = s;
  const { setEditorTab, setRightTab, setView, openDialog, closeDialog, setPalette, jumpTo } = s;
  return {
    editorTab,
    rightTab,
    view,
    dialog,
    paletteOpen,
    jump,
    setEditorTab,
    setRightTab,
    setView,
    openDialog,
    closeDialog,
    setPalette,
    jumpTo,
  };
}

function useUiState(): Ui;
function useUiState<T>(selector: (s: Ui) => T): T;
function useUiState<T>(selector?: (s: Ui) => T): T | Ui {
  const store = useStudioStore();
  // One subscription: the caller's selector, or the whole slice compared shallowly.
  const whole = useShallow(uiOf);
  return useStore<StoreApi<Ui>, T | Ui>(store, selector ?? whole);
}

/**
 * The page's UI state (tabs, view, dialog, palette, jump): the `ui` slice of the studio store.
 * `useUi(selector)` reads it from the store the page is given; `useUi.getState()`, `setState()` and
 * `subscribe()` act on the studio store outside React (the one store the page made).
 */
export const useUi = Object.assign(useUiState, {
  getState: (): Ui => uiStore().getState(),
  setState: (patch: Partial<UiState>): void => uiStore().setState(patch),
  subscribe: (listener: (state: Ui, prev: Ui) => void): (() => void) => uiStore().subscribe(listener),
});
