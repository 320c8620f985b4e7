import type { Diagnostic, Webhook } from '../model';
import { emptyContext, webhookTextParts, type LintOptions } from './lint-places';
import { scanTokens } from './tokens';

// Marketo behaviours around the call (issue 16). Each rule cites its source in docs/marketo-behaviours.md
// or rests on a named profile option. Kept as separate functions: lintWebhook calls the token rules;
// the response rules need an answer, so the caller that has one (map, the response pane) calls them.

/** A value that looks like Velocity (an Email Script token's body) rather than plain text. */
const VELOCITY = /#(?:set|if|foreach|macro)\s*\(|\$\{?[A-Za-z][\w]*(?:\.[A-Za-z]\w*)+/;

/**
 * Token rules that need only the webhook and its context:
 * - `email-script-token`: an Email Script My Token; Email Script tokens are documented for emails only
 *   (UG-MY lists the type; UG-FLOWTOK/UG-MY: Velocity runs when an email is assembled), so a webhook
 *   gets no script output.
 * - `lead-full-name-token`: `{{lead.Full Name}}` is listed (UG-TOK) and used by Adobe (DEV-BLOG, IFTTT),
 *   but how Marketo composes it is not documented (profile fullName).
 */
export function lintMarketoTokens(webhook: Webhook, options: LintOptions = {}): Diagnostic[] {
  const context = options.context ?? emptyContext;
  const explicit = new Set(Object.keys(options.profile ?? {}));
  const fullNameOption = options.profile?.fullName ?? 'first-last';
  const diagnostics: Diagnostic[] = [];
  const my = new Map<string, { type: string; value: unknown }>();
  for (const [key, token] of Object.entries(context.my)) {
    const k = key.trim().toLowerCase();
    if (my.has(k)) continue;
    if (token !== null && typeof token === 'object') my.set(k, { type: token.type, value: token.value });
    else my.set(k, { type: 'text', value: token });
  }
  const leadHasFullName = Object.keys(context.lead).some((k) => k.trim().toLowerCase() === 'full name');
  const parts = webhookTextParts(webhook);
  for (const p of parts) {
    // The template's tokens are found in the text as written; a backslash escape never forms a token.
    for (const t of scanTokens(p.text)) {
      // Only a token that gets a diagnostic needs its place (a template's line and column cost a scan).
      // Speed: docs/performance.md#keystroke-to-preview
      const location = () => p.location(t.start, t.end - t.start);
      if (t.namespace === 'my') {
        const token = my.get(t.name.trim().toLowerCase());
        const script =
          token !== undefined &&
          (token.type === 'email-script' || (typeof token.value === 'string' && VELOCITY.test(token.value)));
        if (script) {
          diagnostics.push({
            severity: 'warning',
            code: 'email-script-token',
            message: `${t.text} is an Email Script (Velocity) token; Marketo documents Email Script tokens for emails only, so the webhook does not get the script's output (use a Text My Token, or compute the value in the service)`,
            location: location(),
          });
        }
      } else if (t.namespace === 'lead' && t.name.trim().toLowerCase() === 'full name' && !leadHasFullName) {
        const how =
          fullNameOption === 'first-last'
            ? 'First Name and Last Name joined by a space'
            : 'only a Full Name the context holds (none here: empty)';
        const d: Diagnostic = {
          severity: 'info',
          code: 'lead-full-name-token',
          message: `${t.text} is composed by Marketo, and how is not documented; the studio renders ${how} (profile fullName)`,
          location: location(),
        };
        if (!explicit.has('fullName')) d.assumed = ['fullName'];
        diagnostics.push(d);
      }
    }
  }
  return diagnostics;
}
