import type { HistoryEntry } from '@shared/contract';
import type { Exchange } from '@shared/model';
import { api } from '../../api';
import { describe, type StudioStore } from '../../store/studio-store';
import { useStudio, useStudioStore } from '../../store/context';
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

/**
 * "Open as it was", beside Resend: for the exchange shown when it is a history entry that kept the webhook
 * it was sent from (the entry is the one sent at the same instant).
 */
export function AsSentButton({ exchange }: { exchange: Exchange }) {
  const store = useStudioStore();
  const entry = useStudio((s) => (s.currentWebhook ? s.history[s.currentWebhook] : undefined))?.find(
    (h) => h.startedAt === exchange.startedAt && h.sentFrom,
  );
  if (!entry) return null;
  return (
    <button
      type="button"
      className="btn small"
      title="Open this webhook as it was when this request was sent, as a new draft (the saved webhook is unchanged)"
      onClick={() => void openAsSent(store, entry)}
    >
      Open as it was
    </button>
  );
}
