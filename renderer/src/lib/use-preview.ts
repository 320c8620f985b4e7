import { useDeferredValue, useMemo } from 'react';
import { lintRendered, renderForLint } from '@shared/engine';
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

/** What a preview is made from. */
type Inputs = { webhook: Webhook; context: TokenContext; fields: FieldCatalog; profile: Profile };

/** One preview's render, and its lint once asked for. */
type Made = Inputs & { render?: ReturnType<typeof renderForLint>; error?: string; diagnostics?: Diagnostic[] };

type PreviewOptions = { context: TokenContext; fields: FieldCatalog; profile: Partial<Profile>; maskSecrets: true };

const lintOptions = (i: Inputs): PreviewOptions => ({
  context: i.context,
  fields: i.fields,
  profile: explicitProfile(i.profile),
  // Secrets show as •••••• wherever they go; the wire gets the values when the main process sends.
  maskSecrets: true,
});

/** A render for the preview and its lint; a render that throws is the preview's error, not the page's. */
function renderWith(webhook: Webhook, options: PreviewOptions): Pick<Made, 'render' | 'error'> {
  try {
    return { render: renderForLint(webhook, options) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** The lint of a render: its own diagnostics and the lint's, each once, errors first. */
function lintWith(webhook: Webhook, rendered: ReturnType<typeof renderForLint>, options: PreviewOptions): Diagnostic[] {
  try {
    return lintRendered(webhook, rendered, options);
  } catch {
    // A lint that fails says nothing rather than taking the preview down: the bytes are still right.
    return [];
  }
}

function render(i: Inputs): Made {
  return { ...i, ...renderWith(i.webhook, lintOptions(i)) };
}

function lint(made: Made): Diagnostic[] {
  if (!made.render) return [];
  made.diagnostics ??= lintWith(made.webhook, made.render, lintOptions(made));
  return made.diagnostics;
}

/** Renders and lints in the page (the engine is pure, so no round trip): the preview the hook below shows, at once. */
export function computePreview(
  webhook: Webhook,
  context: TokenContext,
  fields: FieldCatalog,
  profile: Partial<Profile>,
): Preview {
  const options: PreviewOptions = { context, fields, profile, maskSecrets: true };
  const { render: r, error } = renderWith(webhook, options);
  if (!r) return { diagnostics: [], ...(error !== undefined ? { error } : {}), context, webhook };
  return { rendered: r.request, diagnostics: lintWith(webhook, r, options), context, webhook };
}

/**
 * The last few previews made. The editor, the preview and the settings show the same one, made once per
 * change; the one before is kept while its lint is still on screen.
 */
const made: Made[] = [];

function madeFor(i: Inputs): Made {
  const hit = made.find(
    (m) => m.webhook === i.webhook && m.context === i.context && m.fields === i.fields && m.profile === i.profile,
  );
  if (hit) return hit;
  const m = render(i);
  made.unshift(m);
  made.length = Math.min(made.length, 3);
  return m;
}

/**
 * The preview of the open webhook in the active context. The bytes follow each keystroke; the diagnostics
 * follow in React's deferred render right after, so a keystroke waits for the render only (the list shown
 * meanwhile is the last keystroke's). Speed: docs/performance.md#keystroke-to-preview
 */
export function usePreview(): Preview {
  const webhook = useStudio((s) => (s.currentWebhook ? s.webhooks[s.currentWebhook]?.value : undefined));
  const context = useStudio((s) => (s.activeContext ? s.contexts[s.activeContext]?.value : undefined)) ?? emptyContext;
  const fields = useStudio((s) => s.fields);
  const profile = useStudio((s) => s.profile);
  const inputs = useMemo(
    () => (webhook ? { webhook, context, fields, profile } : undefined),
    [webhook, context, fields, profile],
  );
  const linted = useDeferredValue(inputs);
  return useMemo((): Preview => {
    if (!inputs) return { diagnostics: [], context };
    const shown = madeFor(inputs);
    const diagnostics = linted ? lint(madeFor(linted)) : [];
    if (!shown.render) return { diagnostics: [], error: shown.error, context, webhook: inputs.webhook };
    return { rendered: shown.render.request, diagnostics, context, webhook: inputs.webhook };
  }, [inputs, linted, context]);
}
