import type { Diagnostic, MappingReport } from '../model';

/** An answer as the response rules read it. */
export interface LintedResponse {
  status: number;
  headers: ReadonlyArray<{ name: string; value: string }>;
}

const stringLikeTypes: ReadonlySet<string> = new Set(['string', 'text', 'email', 'phone', 'url']);
const astral = /[\uD800-\uDBFF][\uDC00-\uDFFF]/;

/**
 * Rules about an answer and what the mappings would write:
 * - `mapped-value-outside-bmp`: a character outside the Basic Multilingual Plane (emoji: a surrogate
 *   pair) in a value written to a String or Text field can be cut when saved (TK-NL).
 * - `service-needs-token-exchange`: 401 with `WWW-Authenticate: Bearer`; webhooks are stateless and
 *   cannot do a multi-step OAuth exchange (TK-RANGE), so the service needs a gateway or a static token.
 * - `rate-limited-not-retried`: 429 or a `Retry-After`; Marketo documents no retry (DEV-ERR, RADAR:
 *   retries are built with the "Webhook is Called" trigger), so the lead is not updated and the call
 *   is not made again.
 */
export function lintResponse(response: LintedResponse, report?: Pick<MappingReport, 'mappings'>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const m of report?.mappings ?? []) {
    if (
      !m.written ||
      typeof m.coerced !== 'string' ||
      !stringLikeTypes.has(m.fieldType ?? '') ||
      !astral.test(m.coerced)
    )
      continue;
    const ch = m.coerced.match(astral)?.[0] ?? '';
    diagnostics.push({
      severity: 'warning',
      code: 'mapped-value-outside-bmp',
      message: `mapping ${m.index + 1}: the value for ${m.field} holds ${ch} (U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}), a character outside the BMP; Marketo can cut such characters when it writes a String or Text field (TK-NL); have the service send it percent-encoded or without it`,
      location: { part: 'mapping', index: m.index, field: 'field' },
    });
  }
  const header = (name: string): string | undefined =>
    response.headers.find((h) => h.name.toLowerCase() === name)?.value;
  const auth = header('www-authenticate');
  if (response.status === 401 && auth !== undefined && /^\s*bearer\b/i.test(auth)) {
    diagnostics.push({
      severity: 'warning',
      code: 'service-needs-token-exchange',
      message: `HTTP 401 with WWW-Authenticate: ${auth.length > 80 ? `${auth.slice(0, 80)}…` : auth}: the service wants an OAuth bearer token first; a webhook is one stateless request and cannot fetch one (TK-RANGE), so put a gateway in front of the service or use a long-lived token in a custom header`,
      location: { part: 'header' },
    });
  }
  const retryAfter = header('retry-after');
  if (response.status === 429 || retryAfter !== undefined) {
    diagnostics.push({
      severity: 'warning',
      code: 'rate-limited-not-retried',
      message: `${response.status === 429 ? 'HTTP 429 Too Many Requests' : `HTTP ${response.status}`}${retryAfter !== undefined ? ` with Retry-After: ${retryAfter}` : ''}: Marketo does not retry a webhook call (no retry is documented; DEV-ERR and RADAR build retries with a "Webhook is Called" trigger), so this lead is not updated; slow the campaign down or add a retry campaign on Error Type "Too Many Requests"`,
      location: { part: 'webhook' },
    });
  }
  return diagnostics;
}
