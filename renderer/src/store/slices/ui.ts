import type { Location } from '@shared/model';

export type EditorTab = 'template' | 'headers' | 'settings' | 'mappings';
export type RightTab = 'preview' | 'response' | 'mapping';

export type DialogState =
  | {
      kind: 'prompt';
      title: string;
      label: string;
      initial: string;
      submit: string;
      onSubmit: (value: string) => void;
      /** Why a value cannot be submitted, shown as it is typed (undefined: it can). */
      validate?: (value: string) => string | undefined;
    }
  | { kind: 'confirm'; title: string; text: string; submit: string; onSubmit: () => void }
  | { kind: 'import' }
  | { kind: 'export' }
  | { kind: 'open' }
  | { kind: 'map'; path: string; warning?: string; note?: string }
  | { kind: 'catcher' }
  | { kind: 'settings' }
  /** Move a webhook to a folder: the collection's folders to choose from, or a new one. */
  | { kind: 'move'; webhookKey: string };

/** Where the editor should put the cursor next: set by a diagnostic's "jump", consumed by the editors. */
export type JumpRequest = { location: Location; nonce: number };

/** What the page shows: tabs, view, the open dialog, the palette and the editor's next jump. */
export type UiState = {
  editorTab: EditorTab;
  rightTab: RightTab;
  view: 'studio' | 'runner';
  dialog: DialogState | null;
  paletteOpen: boolean;
  jump: JumpRequest | null;
};

export type UiActions = {
  setEditorTab: (tab: EditorTab) => void;
  setRightTab: (tab: RightTab) => void;
  setView: (view: 'studio' | 'runner') => void;
  openDialog: (d: DialogState) => void;
  closeDialog: () => void;
  setPalette: (open: boolean) => void;
  jumpTo: (location: Location) => void;
};

let nonce = 0;

/** The editor tab that shows a location, when it is in the webhook. */
function tabShowing(location: Location): EditorTab | undefined {
  switch (location.part) {
    case 'template':
      return 'template';
    case 'header':
      return 'headers';
    case 'mapping':
      return 'mappings';
    default:
      return undefined;
  }
}

export function uiSlice(set: (patch: Partial<UiState>) => void): UiState & UiActions {
  return {
    editorTab: 'template',
    rightTab: 'preview',
    view: 'studio',
    dialog: null,
    paletteOpen: false,
    jump: null,
    setEditorTab: (editorTab) => set({ editorTab }),
    setRightTab: (rightTab) => set({ rightTab }),
    setView: (view) => set({ view }),
    openDialog: (dialog) => set({ dialog, paletteOpen: false }),
    closeDialog: () => set({ dialog: null }),
    setPalette: (paletteOpen) => set({ paletteOpen }),
    jumpTo: (location) => {
      const tab = tabShowing(location);
      set({ jump: { location, nonce: ++nonce }, ...(tab ? { editorTab: tab } : {}) });
    },
  };
}
