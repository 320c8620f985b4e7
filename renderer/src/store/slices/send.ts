import type { EventPayload } from '@shared/contract';
import { describe } from '../describe';
import type { SendActions, SendSliceState, SliceContext } from '../types';
import { explicitProfile } from './collection';
import { emptyContext } from './documents';

/** Why the response on screen is not this send's: the send failed after it. */
const staleBecause = (e: unknown) =>
  `Not the latest: the last send failed (${e instanceof Error ? e.message : String(e)}). This response is from an earlier send.`;

/** Sends the current webhook with the active context, and shows its answer (or why there is none). */
async function send(ctx: SliceContext, newId: () => string): Promise<void> {
  const { api, set, get } = ctx;
  const s = get();
  const key = s.currentWebhook;
  const doc = key ? s.webhooks[key] : undefined;
  if (!key || !doc || s.sends[key]) return;
  const context = (s.activeContext ? s.contexts[s.activeContext]?.value : undefined) ?? emptyContext;
  const sendId = newId();
  set((st) => ({ sends: { ...st.sends, [key]: { sendId, startedAt: Date.now(), phases: [] } } }));
  try {
    const exchange = await api.webhook.send({
      dir: s.dir,
      webhookPath: doc.path,
      webhook: doc.value,
      context,
      fields: s.fields,
      profile: explicitProfile(s.profile),
      target: s.target,
      sendId,
    });
    set((st) => ({
      exchanges: { ...st.exchanges, [key]: exchange },
      staleExchanges: { ...st.staleExchanges, [key]: undefined },
    }));
    if (doc.path) void get().loadHistory(key);
  } catch (e) {
    // The response still on screen is from an earlier send: say so, so it is not read as this one's.
    if (get().exchanges[key]) set((st) => ({ staleExchanges: { ...st.staleExchanges, [key]: staleBecause(e) } }));
    get().notify('error', `Not sent: ${describe(e)}`);
  } finally {
    set((st) => ({ sends: { ...st.sends, [key]: undefined } }));
  }
}

/** A phase of a send in flight (DNS, connect, …) reached: its progress shows it. */
export function recordProgress({ set, get }: SliceContext, p: EventPayload<'send:progress'>): void {
  const s = get();
  for (const [key, inFlight] of Object.entries(s.sends)) {
    if (inFlight?.sendId === p.sendId) {
      const phases = [...inFlight.phases, { phase: p.phase, atMs: p.atMs }];
      set({ sends: { ...s.sends, [key]: { ...inFlight, phases } } });
    }
  }
}

/** Sending the current webhook, cancelling it, and the responses and history each webhook shows. */
export function sendSlice(ctx: SliceContext, newId: () => string): SendSliceState & SendActions {
  const { api, set, get } = ctx;
  return {
    target: 'url',
    sends: {},
    exchanges: {},
    history: {},
    staleExchanges: {},
    setTarget: (target) => set({ target }),
    send: () => send(ctx, newId),
    cancel: async () => {
      const s = get();
      const inFlight = s.currentWebhook ? s.sends[s.currentWebhook] : undefined;
      if (!inFlight) return;
      try {
        await api.webhook.cancel({ sendId: inFlight.sendId });
      } catch (e) {
        get().notify('error', `Not cancelled: ${describe(e)}`);
      }
    },
    loadHistory: async (key) => {
      const s = get();
      const path = s.webhooks[key]?.path;
      if (!path || !s.dir) return;
      try {
        const out = await api.history.list({ dir: s.dir, webhookPath: path });
        set((st) => ({ history: { ...st.history, [key]: out.entries } }));
      } catch (e) {
        get().notify('error', `History not loaded: ${describe(e)}`);
      }
    },
    historyExchange: async (id) => {
      const dir = get().dir;
      if (!dir) throw new Error('no collection is open');
      return api.history.get({ dir, id });
    },
    showHistory: async (key, id) => {
      const dir = get().dir;
      if (!dir) return;
      try {
        const exchange = await api.history.get({ dir, id });
        set((st) => ({
          exchanges: { ...st.exchanges, [key]: exchange },
          staleExchanges: { ...st.staleExchanges, [key]: undefined },
          currentWebhook: key,
        }));
      } catch (e) {
        get().notify('error', `History entry not loaded: ${describe(e)}`);
      }
    },
  };
}
