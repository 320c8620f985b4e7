import { renderWebhook } from '@shared/engine';
import type { Diagnostic, RenderedRequest, TokenContext, Webhook } from '@shared/model';
import { secretNameForHeader, secretNameForMyToken } from '@shared/formats/secret-names';
import { hostAllowed } from '../secrets/index';
import type { SendInput } from './types';

/** The empty list every send shares where nothing was found (no secrets, no wire problems); only ever read. */
export const none: never[] = [];

/** The secrets a webhook and its context hold: secret headers (by index) and secret My Tokens (by key). */
function secretsIn(webhook: Webhook, context: TokenContext): { headers: number[]; my: string[] } | undefined {
  let headers: number[] | undefined;
  let my: string[] | undefined;
  const list = webhook.headers;
  for (let i = 0; i < list.length; i++) if (list[i]?.secret) (headers ??= []).push(i);
  for (const k in context.my) {
    const t = context.my[k];
    if (t !== null && typeof t === 'object' && t.secret) (my ??= []).push(k);
  }
  return headers || my ? { headers: headers ?? [], my: my ?? [] } : undefined;
}

function hostOf(rendered: RenderedRequest): string {
  if (rendered.origin) {
    try {
      return new URL(rendered.origin).host;
    } catch {
      // fall through to the Host header
    }
  }
  return rendered.host ?? '';
}

/** A secret that was not given for the host, and where it would have gone. */
interface Refusal {
  message: string;
  missing: boolean;
  location: Diagnostic['location'];
}

/**
 * The errors for secrets not given: always for a secret header, for a My Token only when the webhook
 * uses it (the render placed it somewhere).
 */
function refusalProblems(r: {
  refusals: Map<string, Refusal>;
  rendered: RenderedRequest;
  webhook: Webhook;
  /** The indexes of the webhook's secret headers. */
  secretHeaders: number[];
  host: string;
}): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const used = new Set((r.rendered.secretSpans ?? []).map((s) => s.name));
  for (const [name, refusal] of r.refusals) {
    const isHeader =
      !name.startsWith('my.') ||
      r.secretHeaders.some((i) => secretNameForHeader(r.webhook.headers[i]?.name ?? '') === name);
    if (!isHeader && !used.has(name)) continue;
    const what = isHeader ? `the secret header '${name}'` : `the secret ${name}`;
    problems.push({
      severity: 'error',
      code: refusal.missing ? 'secret-missing' : 'secret-refused',
      message: `${what} was not sent to ${r.host || 'this host'}: ${refusal.message}`,
      location: refusal.location,
    });
  }
  return problems;
}

/**
 * Renders with the secrets' values in: the host is worked out first (from the URL alone, secrets
 * masked), each secret is asked for that host, and the render places the values and says where they
 * went. A secret with no value, or bound to other hosts, leaves an error (for a My Token, only when the
 * webhook uses it): the request is not sent, never sent with an empty value.
 */
export function renderWithSecrets(input: SendInput): {
  rendered: RenderedRequest;
  problems: Diagnostic[];
  values: string[];
} {
  const { webhook, context } = input;
  const engine = { fields: input.fields, profile: input.profile, tokenUses: false };
  const found = secretsIn(webhook, context);
  if (found === undefined) return { rendered: renderWebhook(webhook, context, engine), problems: none, values: none };
  const probe = renderWebhook({ ...webhook, headers: [], template: '' }, context, engine);
  const host = hostOf(probe);
  const refusals = new Map<string, Refusal>();
  const values: string[] = [];
  const ask = (name: string, location: Diagnostic['location'], allowedHosts: string[] | undefined): string => {
    // The webhook's or context's own binding comes first: a value is not even looked up for another host.
    const answer = !hostAllowed(host, allowedHosts)
      ? { refused: `it may only be sent to ${allowedHosts?.join(', ')}` }
      : input.resolveSecret
        ? input.resolveSecret(name, host)
        : { refused: 'no secrets store is available here', missing: true };
    if (typeof answer === 'string') {
      values.push(answer);
      return answer;
    }
    refusals.set(name, { message: answer.refused, missing: answer.missing === true, location });
    return '';
  };
  const headers = webhook.headers.slice();
  for (const i of found.headers) {
    const h = headers[i] as Webhook['headers'][number];
    headers[i] = {
      ...h,
      value: ask(secretNameForHeader(h.name), { part: 'header', index: i, field: 'value' }, h.allowedHosts),
    };
  }
  let my = context.my;
  if (found.my.length > 0) {
    my = { ...context.my };
    for (const k of found.my) {
      const t = my[k] as Exclude<TokenContext['my'][string], string | number | boolean | null>;
      my[k] = { ...t, value: ask(secretNameForMyToken(k), { part: 'context', path: `my.${k}` }, t.allowedHosts) };
    }
  }
  const rendered = renderWebhook({ ...webhook, headers }, { ...context, my }, engine);
  const problems = refusalProblems({ refusals, rendered, webhook, secretHeaders: found.headers, host });
  if (hostOf(rendered) !== host) {
    problems.push({
      severity: 'error',
      code: 'secret-in-host',
      message: 'a secret decides the host the request goes to, so the request is not sent',
      location: { part: 'url' },
    });
  }
  return { rendered, problems, values };
}

/** Secrets in the URL credentials are searched for in answers too: the password, and the Authorization made of them. */
export function credentialValues(rendered: RenderedRequest): string[] {
  const out: string[] = [];
  for (const s of rendered.secretSpans ?? []) {
    if (s.name !== 'url-credentials') continue;
    if (s.part === 'header') out.push(rendered.headers[s.index ?? -1]?.value ?? '');
    else if (s.part === 'url') {
      const userinfo = rendered.url.slice(s.start, s.end);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) {
        try {
          out.push(decodeURIComponent(userinfo.slice(colon + 1)));
        } catch {
          out.push(userinfo.slice(colon + 1));
        }
      }
    }
  }
  return out;
}
