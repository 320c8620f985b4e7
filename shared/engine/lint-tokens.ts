import { findField, nearestField } from '../catalog';
import type { Location, TokenUse } from '../model';
import { webhookTextParts, type LintInput } from './lint-places';
import { lineColumn } from './text';
import { scanUnknownNamespaceTokens } from './tokens';

/** URL tokens that go in unencoded (encoding None, or a profile that encodes only the body). */
export function lintUrlTokens(input: LintInput): void {
  const { r } = input;
  const encoding = input.webhook.encoding;
  for (const u of r.request.tokens) {
    if (u.part !== 'url' || u.value !== u.encoded) continue;
    const risky = [...new Set(u.value.match(/[\s&=+#?%/"'<>\\^`{|}]|[^\x21-\x7e]/g) ?? [])];
    if (risky.length === 0) continue;
    input.diagnostics.push({
      severity: 'warning',
      code: 'url-token-unencoded',
      message: `${u.text} puts ${risky.map((c) => (c === ' ' ? 'a space' : `'${c}'`)).join(', ')} into the URL unencoded${encoding !== 'none' ? ` (the profile applies ${encoding} encoding to the body only)` : ''}; Marketo sends the URL as written`,
      location: { part: 'url', offset: u.sourceStart, length: u.sourceEnd - u.sourceStart },
      assumed: encoding !== 'none' && r.profile.isAssumed('encodingScope') ? ['encodingScope'] : undefined,
    });
  }
}

const scopedNamespaces: Record<string, 'program' | 'campaign' | 'trigger' | 'member'> = {
  program: 'program',
  campaign: 'campaign',
  trigger: 'trigger',
  member: 'member',
};

/** Trigger, campaign, program and member tokens exist only in their scope. */
export function lintTokenScopes(input: LintInput): void {
  const { context } = input;
  const template = input.webhook.template;
  const campaignType = Object.entries(context.campaign).find(([k]) => k.trim().toLowerCase() === 'type')?.[1];
  for (const u of input.r.request.tokens) {
    const scope = scopedNamespaces[u.namespace];
    if (!scope) continue;
    const table = context[scope];
    let why: string | undefined;
    if (scope === 'trigger' && typeof campaignType === 'string' && campaignType.toLowerCase() === 'batch')
      why = 'trigger tokens exist only in trigger campaigns';
    else if (Object.keys(table).length === 0)
      why = `this context has no ${scope} (the flow step does not run in a ${scope} scope)`;
    if (!why) continue;
    input.diagnostics.push({
      severity: 'warning',
      code: 'token-out-of-scope',
      message: `${u.text} is out of scope: ${why}; Marketo renders it empty`,
      location: tokenLocation(u, template),
    });
  }
}

/** Where a token use was written, as a diagnostic points at it. */
function tokenLocation(u: TokenUse, template: string): Location {
  const location: Location = { part: u.part, offset: u.sourceStart, length: u.sourceEnd - u.sourceStart };
  if (u.part === 'header') {
    location.index = u.index;
    location.field = u.field;
  }
  if (u.part === 'template') Object.assign(location, lineColumn(template, u.sourceStart));
  return location;
}

/**
 * `{{lead.Email Addr}}`: a lead (or company) token whose name is no field in the catalog but is close to
 * one, most likely a typo; Marketo renders an unknown field empty. A name close to none may be a custom
 * field the catalog has not been given, so it gets no guess.
 */
export function lintLeadFieldNames(input: LintInput): void {
  const catalog = input.r.catalog;
  for (const u of input.r.request.tokens) {
    if (u.namespace !== 'lead' && u.namespace !== 'company') continue;
    if (findField(catalog, u.name) !== undefined) continue;
    const near = nearestField(catalog, u.name);
    if (!near) continue;
    input.diagnostics.push({
      severity: 'warning',
      code: 'unknown-lead-field',
      message: `unknown lead field "${u.name.trim()}" in ${u.text}: did you mean ${near.displayName} ({{${u.namespace}.${near.displayName}}})? Marketo renders an unknown field empty`,
      location: tokenLocation(u, input.webhook.template),
    });
  }
}

/** `{{x.y}}` with a namespace Marketo does not have: sent literally. */
export function lintUnknownNamespaces(input: LintInput): void {
  for (const p of webhookTextParts(input.webhook)) {
    for (const t of scanUnknownNamespaceTokens(p.text)) {
      input.diagnostics.push({
        severity: 'warning',
        code: 'unknown-token-namespace',
        message: `${t.text} is not a Marketo token ('${t.namespace}' is not one of lead, company, my, program, campaign, trigger, system, member); it is sent as written`,
        location: p.location(t.start, t.end - t.start),
      });
    }
  }
}
