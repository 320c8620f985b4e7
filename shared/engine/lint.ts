import type { Diagnostic, Location, Webhook } from '../model';
import { lintBody, lintBodyContent } from './lint-body';
import { lintMappings } from './lint-mappings';
import { lintMarketoTokens } from './lint-marketo-tokens';
import { emptyContext, type LintInput, type LintOptions } from './lint-places';
import { lintLeadFieldNames, lintTokenScopes, lintUnknownNamespaces, lintUrlTokens } from './lint-tokens';
import { renderDetailed, type DetailedRender } from './render';

// What callers import from here; the rule groups live in the modules named for them.
export { lintMarketoTokens } from './lint-marketo-tokens';
export { lintResponse, type LintedResponse } from './lint-response';
export type { LintOptions } from './lint-places';

/**
 * Render diagnostics plus Marketo's known pitfalls (issue 2 §2g), each with a stable code and a location
 * the editor can mark.
 */
export function lintWebhook(webhook: Webhook, options: LintOptions = {}): Diagnostic[] {
  return lintDetailed(webhook, options).diagnostics;
}

/**
 * The lint and the render it was made from, in one pass: a live preview needs both, and rendering
 * twice per keystroke doubled its cost. The diagnostics hold the render's own (each once).
 */
export function lintDetailed(
  webhook: Webhook,
  options: LintOptions = {},
): { request: DetailedRender['request']; diagnostics: Diagnostic[] } {
  const r = renderForLint(webhook, options);
  return { request: r.request, diagnostics: lintRendered(webhook, r, options) };
}

/**
 * The render a lint rests on. The live preview shows its request at once and lints it a moment later
 * (lintRendered), so the keystroke waits only for the bytes. Speed: docs/performance.md#keystroke-to-preview
 */
export function renderForLint(webhook: Webhook, options: LintOptions = {}): DetailedRender {
  return renderDetailed(webhook, options.context ?? emptyContext, {
    fields: options.fields,
    profile: options.profile,
    ...(options.maskSecrets ? { maskSecrets: true } : {}),
  });
}

/** The diagnostics of a render made by renderForLint with the same webhook and options (see lintDetailed). */
export function lintRendered(webhook: Webhook, r: DetailedRender, options: LintOptions = {}): Diagnostic[] {
  const context = options.context ?? emptyContext;
  const { request } = r;
  const diagnostics: Diagnostic[] = request.diagnostics.filter((d) => d.code !== 'profile-assumptions');
  const input: LintInput = { webhook, context, r, diagnostics };
  lintBody(input);
  lintUrlTokens(input);
  lintBodyContent(input);
  lintTokenScopes(input);
  lintUnknownNamespaces(input);
  lintLeadFieldNames(input);
  lintMappings(input);
  diagnostics.push(...lintMarketoTokens(webhook, options));
  const assumed = new Set(r.profile.assumed);
  for (const d of diagnostics) for (const a of d.assumed ?? []) assumed.add(a);
  if (assumed.size > 0) {
    diagnostics.push({
      severity: 'info',
      code: 'profile-assumptions',
      message: `this output rests on assumed defaults for Marketo behaviour the documentation leaves open: ${[...assumed].join(', ')}`,
      assumed: [...assumed],
    });
  }
  return errorsFirstOnce(diagnostics).map((d) => (d.assumed === undefined ? withoutAssumed(d) : d));
}

const severityRank: Record<Diagnostic['severity'], number> = { error: 0, warning: 1, info: 2 };

function placeOf(l: Location | undefined): string {
  return l ? `${l.part}|${l.index ?? ''}|${l.field ?? ''}|${l.offset ?? ''}|${l.path ?? ''}` : '';
}

/**
 * Each diagnostic once, errors before warnings before notes (stable within a severity). A token out
 * of scope is said by its own warning; the render's "has no value" for the same token is the same fact.
 */
function errorsFirstOnce(diagnostics: Diagnostic[]): Diagnostic[] {
  const outOfScope = new Set(
    diagnostics.filter((d) => d.code === 'token-out-of-scope').map((d) => placeOf(d.location)),
  );
  const seen = new Set<string>();
  const kept: Diagnostic[] = [];
  for (const d of diagnostics) {
    if ((d.code === 'unresolved-token' || d.code === 'empty-token-value') && outOfScope.has(placeOf(d.location)))
      continue;
    const key = `${d.code}|${d.message}|${placeOf(d.location)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(d);
  }
  return kept
    .map((d, i) => ({ d, i }))
    .sort((a, b) => severityRank[a.d.severity] - severityRank[b.d.severity] || a.i - b.i)
    .map((x) => x.d);
}

function withoutAssumed(d: Diagnostic): Diagnostic {
  const copy = { ...d };
  delete copy.assumed;
  return copy;
}
