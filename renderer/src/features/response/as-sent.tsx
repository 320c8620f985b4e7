import type { HistoryEntry } from '@shared/contract';
import { api } from '../../api';
import { describe, type StudioStore } from '../../store/studio-store';
import { useStudioStore } from '../../store/context';
import { formatWhen } from './outcome';

/**
 * Opens the webhook a history entry was sent from as a new draft (as Postman opens a history item in a new
 * tab): the saved webhook is untouched, and saving the draft keeps that version as a new webhook. Its name
 * says which time it shows; secret headers come back as secret names, their values stay in the store.
 */
export async function openAsSent(store: StudioStore, entry: HistoryEntry): Promise<void> {
  const s = store.getState();
  if (!s.dir) return;
  const when = formatWhen(entry.startedAt);
  try {
    const { webhook } = await api.history.sentFrom({ dir: s.dir, id: entry.id });
    const folder = s.currentWebhook ? (s.webhooks[s.currentWebhook]?.folder ?? '') : '';
    const key = store.getState().newWebhook(folder);
    store.getState().updateWebhook(key, { ...webhook, name: `${webhook.name} (as sent ${when})` });
    store
      .getState()
      .notify(
        'info',
        `Opened “${webhook.name}” as it was sent ${when}, as a new draft. The saved webhook is unchanged; save the draft to keep this version as a new webhook.`,
      );
  } catch (e) {
    store.getState().notify('error', `Not opened as it was: ${describe(e)}`);
  }
}

/** The history row's "As it was" button: shown only for entries that kept the webhook they were sent from. */
export function AsSentButton({ entry }: { entry: HistoryEntry }) {
  const store = useStudioStore();
  if (!entry.sentFrom) return null;
  const when = formatWhen(entry.startedAt);
  return (
    <button
      type="button"
      className="btn small"
      aria-label={`Open the webhook as it was sent ${when}`}
      title="Open this webhook as it was when this request was sent, as a new draft"
      onClick={() => void openAsSent(store, entry)}
    >
      As it was
    </button>
  );
}
