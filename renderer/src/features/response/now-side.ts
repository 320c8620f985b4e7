import { useEffect, useMemo, useState } from 'react';
import { renderWebhook } from '@shared/engine';
import type { RenderedRequest, TokenContext } from '@shared/model';
import { api } from '../../api';
import { useStudio } from '../../store/context';
import { describe, emptyContext, explicitProfile } from '../../store/studio-store';

/** The id that stands for "what the editor would send now" in Compare's pickers. */
export const NOW = 'now';
export const nowLabel = 'Now (what the editor would send)';

/** The rendered request in the same lines as a sent one (`requestText`): request line, headers, blank, body. */
export function renderedRequestText(r: RenderedRequest): string[] {
  return [
    `${r.method} ${r.requestTarget} HTTP/1.1`,
    ...r.headers.map((h) => `${h.name}: ${h.value}`),
    '',
    ...(r.body ?? '').split(/\r\n|\n/),
  ];
}

/** "Now" rendered: its request lines, and in which context (the other side's, as it was sent, when kept). */
export type NowSide = { lines: string[]; note: string } | { failed: string };

/** The context the other side was sent with, or undefined while it loads (null: none kept, use the active one). */
function useSentContext(otherId: string | undefined, enabled: boolean): TokenContext | null | undefined {
  const dir = useStudio((s) => s.dir);
  const [kept, setKept] = useState<Record<string, TokenContext | null>>({});
  useEffect(() => {
    if (!enabled || !otherId || !dir || otherId in kept) return;
    api.history.sentFrom({ dir, id: otherId }).then(
      (x) => setKept((k) => ({ ...k, [otherId]: x.context })),
      () => setKept((k) => ({ ...k, [otherId]: null })),
    );
  }, [enabled, otherId, dir]);
  return otherId ? kept[otherId] : null;
}

/**
 * The current editor state rendered by the engine, as the other side's send would be made now: with the
 * context that send used (its secrets shown as ••••••, as a sent request records them), or, for an entry
 * that kept none, the active context.
 */
export function useNowSide(otherId: string | undefined, enabled: boolean): NowSide | undefined {
  // Off, it reads nothing that changes as the user types: Compare of two history entries stays still.
  const webhook = useStudio((s) => (enabled && s.currentWebhook ? s.webhooks[s.currentWebhook]?.value : undefined));
  const active =
    useStudio((s) => (enabled && s.activeContext ? s.contexts[s.activeContext]?.value : undefined)) ?? emptyContext;
  const fields = useStudio((s) => s.fields);
  const profile = useStudio((s) => s.profile);
  const sent = useSentContext(otherId, enabled);
  return useMemo(() => {
    if (!enabled || sent === undefined) return undefined;
    if (!webhook) return { failed: 'Open a webhook to compare what it would send now.' };
    const context = sent ?? active;
    const note = sent
      ? `Now: the editor's webhook in the context the other side was sent with (${context.name})`
      : `Now: the editor's webhook in the active context (${context.name}); the other side kept no context`;
    try {
      const rendered = renderWebhook(webhook, context, {
        fields,
        profile: explicitProfile(profile),
        maskSecrets: true,
      });
      return { lines: renderedRequestText(rendered), note };
    } catch (e) {
      return { failed: `The engine could not render the webhook: ${describe(e)}` };
    }
  }, [enabled, sent, webhook, active, fields, profile]);
}
