import { useMemo } from 'react';
import { lintDetailed } from '@shared/engine';
import type { Diagnostic, FieldCatalog, Profile, RenderedRequest, TokenContext, Webhook } from '@shared/model';
import { emptyContext, explicitProfile } from '../store/studio-store';
import { useStudio } from '../store/context';

export type Preview = {
  rendered?: RenderedRequest;
  diagnostics: Diagnostic[];
  error?: string;
  context: TokenContext;
  webhook?: Webhook;
};

/** Renders and lints in the page on every edit: the engine is pure, so no round trip per keystroke. */
export function computePreview(
  webhook: Webhook,
  context: TokenContext,
  fields: FieldCatalog,
  profile: Partial<Profile>,
): Preview {
  try {
    // One render serves the preview and the lint; the lint's list already holds the render's
    // diagnostics, each once, errors first. Secrets show as •••••• wherever they go; the wire gets the
    // values when the main process sends.
    const { request: rendered, diagnostics } = lintDetailed(webhook, { context, fields, profile, maskSecrets: true });
    return { rendered, diagnostics, context, webhook };
  } catch (e) {
    return { diagnostics: [], error: e instanceof Error ? e.message : String(e), context, webhook };
  }
}

/** The editor, the preview and the settings all show the same render: compute it once per change. */
let last: { args: unknown[]; preview: Preview } | undefined;

function cachedPreview(webhook: Webhook, context: TokenContext, fields: FieldCatalog, profile: Profile): Preview {
  const args = [webhook, context, fields, profile];
  if (last && last.args.every((a, i) => a === args[i])) return last.preview;
  const preview = computePreview(webhook, context, fields, explicitProfile(profile));
  last = { args, preview };
  return preview;
}

export function usePreview(): Preview {
  const webhook = useStudio((s) => (s.currentWebhook ? s.webhooks[s.currentWebhook]?.value : undefined));
  const context = useStudio((s) => (s.activeContext ? s.contexts[s.activeContext]?.value : undefined)) ?? emptyContext;
  const fields = useStudio((s) => s.fields);
  const profile = useStudio((s) => s.profile);
  return useMemo(
    () => (webhook ? cachedPreview(webhook, context, fields, profile) : { diagnostics: [], context }),
    [webhook, context, fields, profile],
  );
}
