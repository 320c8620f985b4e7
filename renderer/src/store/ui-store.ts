import { create } from 'zustand';
import type { Location } from '@shared/model';

export type EditorTab = 'template' | 'headers' | 'settings' | 'mappings';
export type RightTab = 'preview' | 'response' | 'mapping';

export type DialogState =
  | { kind: 'prompt'; title: string; label: string; initial: string; submit: string; onSubmit: (value: string) => void }
  | { kind: 'confirm'; title: string; text: string; submit: string; onSubmit: () => void }
  | { kind: 'import' }
  | { kind: 'export' }
  | { kind: 'open' }
  | { kind: 'map'; path: string; warning?: string; note?: string };

/** Where the editor should put the cursor next: set by a diagnostic's "jump", consumed by the editors. */
export type JumpRequest = { location: Location; nonce: number };

type UiState = {
  editorTab: EditorTab;
  rightTab: RightTab;
  view: 'studio' | 'runner';
  dialog: DialogState | null;
  paletteOpen: boolean;
  jump: JumpRequest | null;
  setEditorTab(tab: EditorTab): void;
  setRightTab(tab: RightTab): void;
  setView(view: 'studio' | 'runner'): void;
  openDialog(d: DialogState): void;
  closeDialog(): void;
  setPalette(open: boolean): void;
  jumpTo(location: Location): void;
};

let nonce = 0;

export const useUi = create<UiState>()((set) => ({
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
  jumpTo(location) {
    const tab: EditorTab | undefined =
      location.part === 'template'
        ? 'template'
        : location.part === 'header'
          ? 'headers'
          : location.part === 'mapping'
            ? 'mappings'
            : undefined;
    set({ jump: { location, nonce: ++nonce }, ...(tab ? { editorTab: tab } : {}) });
  },
}));
