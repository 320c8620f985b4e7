import { useState, type DragEvent } from 'react';

/** The drag's data type: only a webhook dragged from this sidebar is accepted by its folders. */
export const webhookDragType = 'application/x-webhook-studio-webhook';

const carriesWebhook = (e: DragEvent): boolean => e.dataTransfer.types.includes(webhookDragType);

/** What a dragged webhook row needs: it can be dragged, and says which webhook it is. */
export interface DragSource {
  draggable: true;
  onDragStart: (e: DragEvent) => void;
  onDragEnd: () => void;
}

/** What a folder (or the collection root) needs to take a dropped webhook, and whether to show it does. */
export interface DropTarget {
  onDragOver: (e: DragEvent) => void;
  onDragLeave: (e: DragEvent) => void;
  onDrop: (e: DragEvent) => void;
  'data-drop-target'?: 'true';
}

/**
 * Drag and drop of webhooks onto folders: `source(key)` for each row, `target(folder)` for each folder
 * and for the collection root (''). A drop calls `move` unless the webhook is in that folder already.
 */
export function useWebhookDrop(opts: {
  folderOf: (key: string) => string | undefined;
  move: (key: string, folder: string) => void;
}) {
  const [over, setOver] = useState<string | undefined>(undefined);
  const source = (key: string): DragSource => ({
    draggable: true,
    onDragStart: (e) => {
      e.dataTransfer.setData(webhookDragType, key);
      e.dataTransfer.effectAllowed = 'move';
    },
    onDragEnd: () => setOver(undefined),
  });
  const target = (folder: string): DropTarget => ({
    onDragOver: (e) => {
      if (!carriesWebhook(e)) return;
      // A folder inside the collection root's area takes the drop itself.
      e.stopPropagation();
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      if (over !== folder) setOver(folder);
    },
    onDragLeave: (e) => {
      const into = e.relatedTarget;
      if (into instanceof Node && e.currentTarget.contains(into)) return;
      if (over === folder) setOver(undefined);
    },
    onDrop: (e) => {
      if (!carriesWebhook(e)) return;
      e.stopPropagation();
      e.preventDefault();
      setOver(undefined);
      const key = e.dataTransfer.getData(webhookDragType);
      const from = opts.folderOf(key);
      // Dropped where it already is, or something no longer open: nothing to do.
      if (from === undefined || from === folder) return;
      opts.move(key, folder);
    },
    ...(over === folder ? { 'data-drop-target': 'true' as const } : {}),
  });
  return { source, target };
}
