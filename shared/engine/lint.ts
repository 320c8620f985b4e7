import { XMLValidator } from 'fast-xml-parser';
import type { Diagnostic, FieldCatalog, Location, MappingReport, Profile, TokenContext, Webhook } from '../model';
import { findFieldByAnyName, findFieldBySoapName } from '../catalog';
import { parseMappingPath } from './mapping-path';
import { jsonErrorOffset } from './json-error';
import { sourceOffset } from './preparse';
import { renderDetailed, type DetailedRender } from './render';
import { scanTokens, scanUnknownNamespaceTokens } from './tokens';
import { lineColumn, offsetOf } from './text';

export interface LintOptions {
  context?: TokenContext;
  fields?: FieldCatalog;
  profile?: Partial<Profile>;
  /** Render secrets as •••••• (the preview); the wire render in the main process puts the values in. */
  maskSecrets?: boolean;
}

const emptyContext: TokenContext = {
  name: 'empty',
  lead: {},
  company: {},
  my: {},
  program: {},
  campaign: {},
  trigger: {},
  member: {},
  system: {},
};

/** A template location from an offset in the template as written. */
function templateLocation(template: string, offset: number, length: number): Location {
  const { line, column } = lineColumn(template, offset);
  return { part: 'template', line, column, offset, length };
}

/** The texts of a webhook that hold tokens (URL, template, header names and values), each with how to name a place in it. */
function webhookTextParts(
  webhook: Webhook,
): Array<{ text: string; location: (offset: number, length: number) => Location }> {
  const template = webhook.template ?? '';
  return [
    { text: webhook.url ?? '', location: (offset, length) => ({ part: 'url', offset, length }) },
    { text: template, location: (offset, length) => templateLocation(template, offset, length) },
    ...(webhook.headers ?? []).flatMap((h, index) => [
      {
        text: h.name,
        location: (offset: number, length: number): Location => ({
          part: 'header',
          index,
          field: 'name',
          offset,
          length,
        }),
      },
      {
        text: h.value ?? '',
        location: (offset: number, length: number): Location => ({
          part: 'header',
          index,
          field: 'value',
          offset,
          length,
        }),
      },
    ]),
  ];
}

/** Maps an offset in the rendered body to the template as written (through tokens and the pre-parse). */
function bodyToTemplate(r: DetailedRender, outOffset: number): number {
  const uses = r.templateOutput.uses;
  const tokens = r.template.tokens;
  let shift = 0;
  for (let i = 0; i < uses.length; i++) {
    const u = uses[i];
    const t = tokens[i];
    if (!u || !t) break;
    if (outOffset < u.outputStart) break;
    if (outOffset < u.outputEnd) return sourceOffset(r.template.pre, t.start);
    shift = t.end - u.outputEnd;
  }
  return sourceOffset(r.template.pre, outOffset + shift);
}

/** Which template tokens sit inside a JSON string literal of the pre-parsed template. */
function tokensInsideJsonStrings(r: DetailedRender): number[] {
  const text = r.template.text;
  const inside: number[] = [];
  let inString = false;
  let pos = 0;
  r.template.tokens.forEach((t, i) => {
    for (; pos < t.start; pos++) {
      const c = text.charCodeAt(pos);
      if (inString && c === 92) pos++;
      else if (c === 34) inString = !inString;
    }
    if (inString) inside.push(i);
    pos = t.end;
  });
  return inside;
}

const scopedNamespaces: Record<string, 'program' | 'campaign' | 'trigger' | 'member'> = {
  program: 'program',
  campaign: 'campaign',
  trigger: 'trigger',
  member: 'member',
};

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
  const context = options.context ?? emptyContext;
  const r = renderDetailed(webhook, context, {
    fields: options.fields,
    profile: options.profile,
    ...(options.maskSecrets ? { maskSecrets: true } : {}),
  });
  const { request } = r;
  const catalog = r.catalog;
  const template = webhook.template ?? '';
  const diagnostics: Diagnostic[] = request.diagnostics.filter((d) => d.code !== 'profile-assumptions');
  const encoding = webhook.encoding ?? 'none';

  // Quotes around a token under JSON encoding: Marketo adds its own, so the receiver gets ""value"".
  if (encoding === 'json') {
    for (const i of tokensInsideJsonStrings(r)) {
      const t = r.template.tokens[i];
      const u = r.templateOutput.uses[i];
      if (!t || !u) continue;
      const start = sourceOffset(r.template.pre, t.start);
      const quoted = u.encoded.startsWith('"');
      diagnostics.push({
        severity: 'warning',
        code: 'json-double-quoted-token',
        message: `${t.text} sits inside a quoted JSON string, but JSON encoding already adds quotes${quoted ? ` (it renders ${u.encoded} inside your quotes)` : ''}; remove the quotes around the token`,
        location: templateLocation(template, start, t.end - t.start),
      });
    }
  }

  // What the body is, by its Content-Type, else by its first character: the advice depends on it.
  const sentType = r.request.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value.toLowerCase() ?? '';
  const firstChar = template.trimStart().charAt(0);
  const bodyKind: 'xml' | 'json' | 'form' | 'other' =
    /[/+]xml\b/.test(sentType) || firstChar === '<'
      ? 'xml'
      : /[/+]json\b/.test(sentType) || firstChar === '{' || firstChar === '['
        ? 'json'
        : /x-www-form-urlencoded/.test(sentType)
          ? 'form'
          : 'other';

  // Encoding None: values go in raw, so characters with meaning in the body break it.
  if (encoding === 'none') {
    for (const u of r.templateOutput.uses) {
      // Marketo has no XML encoding: for an XML body the characters that matter are XML's own.
      const risky = [...new Set(u.value.match(bodyKind === 'xml' ? /[&<>"']/g : /[&=+%"']/g) ?? [])];
      if (risky.length === 0) continue;
      const advice =
        bodyKind === 'xml'
          ? 'the value goes into the XML raw and breaks it (& and < must be escaped); Marketo has no XML encoding, so keep these characters out of the field (or send the body as JSON with JSON encoding)'
          : bodyKind === 'json'
            ? 'the value goes in raw, which breaks a JSON string (quotes); use JSON encoding'
            : bodyKind === 'form'
              ? 'the value goes in raw, which breaks a form body (&, =, +, %); use Form/Url encoding'
              : 'the value goes in raw, which breaks a form body (&, =, +, %) or a JSON string (quotes); use Form/Url or JSON encoding';
      diagnostics.push({
        severity: 'warning',
        code: 'none-encoding-unsafe-value',
        message: `${u.text} holds ${risky.map((c) => `'${c}'`).join(', ')} and encoding is None: ${advice}`,
        location: templateLocation(template, u.sourceStart, u.sourceEnd - u.sourceStart),
      });
    }
  }

  // Form/Url: a lead value that is empty sends `To=` just as an absent one does; say so the same way.
  if (encoding === 'form-url') {
    for (const u of r.templateOutput.uses) {
      if (!u.resolved || u.usedDefault || u.value !== '' || u.namespace !== 'lead') continue;
      diagnostics.push({
        severity: 'warning',
        code: 'empty-token-value',
        message: `${u.text} in the template is empty in this context; it renders empty (the form sends the key with no value)`,
        location: templateLocation(template, u.sourceStart, u.sourceEnd - u.sourceStart),
      });
    }
  }

  // URL tokens that go in unencoded (encoding None, or a profile that encodes only the body).
  for (const u of request.tokens) {
    if (u.part !== 'url' || u.value !== u.encoded) continue;
    const risky = [...new Set(u.value.match(/[\s&=+#?%/"'<>\\^`{|}]|[^\x21-\x7e]/g) ?? [])];
    if (risky.length === 0) continue;
    diagnostics.push({
      severity: 'warning',
      code: 'url-token-unencoded',
      message: `${u.text} puts ${risky.map((c) => (c === ' ' ? 'a space' : `'${c}'`)).join(', ')} into the URL unencoded${encoding !== 'none' ? ` (the profile applies ${encoding} encoding to the body only)` : ''}; Marketo sends the URL as written`,
      location: { part: 'url', offset: u.sourceStart, length: u.sourceEnd - u.sourceStart },
      assumed: encoding !== 'none' && r.profile.isAssumed('encodingScope') ? ['encodingScope'] : undefined,
    });
  }

  // A body whose Content-Type promises JSON or XML but is not.
  const contentType = request.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value.toLowerCase() ?? '';
  const body = request.body;
  if (body !== null && /[/+]json\b/.test(contentType)) {
    try {
      JSON.parse(body);
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e))
        .replace(/ in JSON at position \d+.*$/, '')
        .replace(/, ".*" is not valid JSON$/s, '');
      const outOffset = Math.max(0, jsonErrorOffset(body));
      const src = bodyToTemplate(r, outOffset);
      diagnostics.push({
        severity: 'warning',
        code: 'body-invalid-json',
        message: `the Content-Type says JSON, but the rendered body is not valid JSON (${message}, near line ${lineColumn(body, outOffset).line}, column ${lineColumn(body, outOffset).column} of the body)`,
        location: templateLocation(template, src, 1),
      });
    }
  } else if (body !== null && /[/+]xml\b/.test(contentType)) {
    const result = XMLValidator.validate(body);
    if (result !== true) {
      const outOffset = offsetOf(body, result.err.line, result.err.col);
      const src = bodyToTemplate(r, outOffset);
      diagnostics.push({
        severity: 'warning',
        code: 'body-invalid-xml',
        message: `the Content-Type says XML, but the rendered body is not well-formed XML: ${result.err.msg} (line ${result.err.line}, column ${result.err.col} of the body)`,
        location: templateLocation(template, src, 1),
      });
    }
  }
  if (body !== null && encoding === 'form-url' && /[/+]json\b/.test(contentType)) {
    diagnostics.push({
      severity: 'warning',
      code: 'encoding-content-type-mismatch',
      message:
        'the body is sent as JSON, but encoding is Form/Url: token values arrive form-encoded (spaces as +) inside the JSON; use JSON encoding',
      location: { part: 'webhook', path: 'encoding' },
    });
  } else if (
    body !== null &&
    encoding === 'json' &&
    /x-www-form-urlencoded/.test(contentType) &&
    bodyKind === 'json' &&
    !(webhook.headers ?? []).some((h) => h.name.trim().toLowerCase() === 'content-type')
  ) {
    // A JSON body with no Content-Type header of its own: the default form type is the mistake, not the encoding.
    diagnostics.push({
      severity: 'warning',
      code: 'encoding-content-type-mismatch',
      message: `the body is JSON, but no Content-Type header is set, so it goes out as ${contentType} (the profile's default); add the header \`Content-Type: application/json\``,
      location: { part: 'webhook', path: 'headers' },
    });
  } else if (body !== null && encoding === 'json' && /x-www-form-urlencoded/.test(contentType)) {
    diagnostics.push({
      severity: 'warning',
      code: 'encoding-content-type-mismatch',
      message:
        'the body is sent as a form, but encoding is JSON: token values arrive JSON-quoted; use Form/Url encoding',
      location: { part: 'webhook', path: 'encoding' },
    });
  }

  // Trigger, campaign, program and member tokens exist only in their scope.
  const campaignType = Object.entries(context.campaign ?? {}).find(([k]) => k.trim().toLowerCase() === 'type')?.[1];
  for (const u of request.tokens) {
    const scope = scopedNamespaces[u.namespace];
    if (!scope) continue;
    const table = context[scope] ?? {};
    let why: string | undefined;
    if (scope === 'trigger' && typeof campaignType === 'string' && campaignType.toLowerCase() === 'batch')
      why = 'trigger tokens exist only in trigger campaigns';
    else if (Object.keys(table).length === 0)
      why = `this context has no ${scope} (the flow step does not run in a ${scope} scope)`;
    if (!why) continue;
    const location: Location = { part: u.part, offset: u.sourceStart, length: u.sourceEnd - u.sourceStart };
    if (u.part === 'header') {
      location.index = u.index;
      location.field = u.field;
    }
    if (u.part === 'template') Object.assign(location, lineColumn(template, u.sourceStart));
    diagnostics.push({
      severity: 'warning',
      code: 'token-out-of-scope',
      message: `${u.text} is out of scope: ${why}; Marketo renders it empty`,
      location,
    });
  }

  // `{{x.y}}` with a namespace Marketo does not have: sent literally.
  const parts = webhookTextParts(webhook);
  for (const p of parts) {
    for (const t of scanUnknownNamespaceTokens(p.text)) {
      diagnostics.push({
        severity: 'warning',
        code: 'unknown-token-namespace',
        message: `${t.text} is not a Marketo token ('${t.namespace}' is not one of lead, company, my, program, campaign, trigger, system, member); it is sent as written`,
        location: p.location(t.start, t.end - t.start),
      });
    }
  }

  // Mappings.
  const mappings = webhook.mappings ?? [];
  if (mappings.length > 0 && (webhook.responseType ?? 'none') === 'none') {
    diagnostics.push({
      severity: 'warning',
      code: 'mappings-response-type-none',
      message: `the webhook has ${mappings.length} response mapping${mappings.length === 1 ? '' : 's'} but its response type is None, so Marketo applies none of them; set the response type to JSON or XML`,
      location: { part: 'webhook', path: 'responseType' },
    });
  }
  const seen = new Map<string, number>();
  mappings.forEach((m, index) => {
    const parsed = parseMappingPath(m.attribute);
    if (!parsed.ok) {
      diagnostics.push({
        severity: 'error',
        code: 'invalid-mapping-path',
        message: `mapping ${index + 1}: '${m.attribute}' is not a Marketo path: ${parsed.message}`,
        location: {
          part: 'mapping',
          index,
          field: 'attribute',
          column: parsed.column,
          offset: parsed.column - 1,
          length: 1,
        },
      });
    } else if (webhook.responseType === 'xml' && parsed.steps.length === 1) {
      diagnostics.push({
        severity: 'info',
        code: 'xml-path-root-only',
        message: `mapping ${index + 1}: '${m.attribute}' names only one element; an XML path starts with the root element (example.foo), so this reaches the root itself`,
        location: { part: 'mapping', index, field: 'attribute' },
      });
    }
    const field = findFieldBySoapName(catalog, m.field);
    const location: Location = { part: 'mapping', index, field: 'field' };
    if (!field) {
      const other = findFieldByAnyName(catalog, m.field);
      if (other && other.soapName === undefined) {
        diagnostics.push({
          severity: 'error',
          code: 'mapping-rest-only-field',
          message: `mapping ${index + 1}: ${other.displayName} is a REST-only field (no SOAP API name); a response mapping cannot write it`,
          location,
        });
      } else if (other) {
        const f = m.field.trim().toLowerCase();
        const which =
          other.restName?.toLowerCase() === f && other.restName !== other.soapName
            ? 'the REST name'
            : other.displayName.toLowerCase() === f
              ? 'the display name'
              : 'not spelled like the SOAP name';
        diagnostics.push({
          severity: 'error',
          code: 'mapping-not-soap-name',
          message: `mapping ${index + 1}: '${m.field}' is ${which}; response mappings use the SOAP API name '${other.soapName}'`,
          location,
        });
      } else {
        diagnostics.push({
          severity: 'error',
          code: 'mapping-unknown-field',
          message: `mapping ${index + 1}: '${m.field}' is not a lead field in the catalog (import your Describe Lead output to add custom fields)`,
          location,
        });
      }
      return;
    }
    if (field.readOnly) {
      diagnostics.push({
        severity: 'warning',
        code: 'mapping-read-only-field',
        message: `mapping ${index + 1}: ${field.soapName} is read-only; Marketo does not write it`,
        location,
      });
    } else if (field.type === 'reference') {
      diagnostics.push({
        severity: 'warning',
        code: 'mapping-incompatible-type',
        message: `mapping ${index + 1}: ${field.soapName} is a reference field; a response value cannot set it`,
        location,
      });
    }
    const key = (field.soapName ?? '').toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      diagnostics.push({
        severity: 'info',
        code: 'duplicate-mapping-field',
        message: `mappings ${first + 1} and ${index + 1} both write ${field.soapName}; the later one wins`,
        location,
      });
    } else seen.set(key, index);
  });

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
  return {
    request,
    diagnostics: errorsFirstOnce(diagnostics).map((d) => (d.assumed === undefined ? withoutAssumed(d) : d)),
  };
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

// ---------------------------------------------------------------------------------------------------
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
  for (const [key, token] of Object.entries(context.my ?? {})) {
    const k = key.trim().toLowerCase();
    if (my.has(k)) continue;
    if (token !== null && typeof token === 'object') my.set(k, { type: token.type ?? 'text', value: token.value });
    else my.set(k, { type: 'text', value: token });
  }
  const leadHasFullName = Object.keys(context.lead ?? {}).some((k) => k.trim().toLowerCase() === 'full name');
  const parts = webhookTextParts(webhook);
  for (const p of parts) {
    // The template's tokens are found in the text as written; a backslash escape never forms a token.
    for (const t of scanTokens(p.text)) {
      const location = p.location(t.start, t.end - t.start);
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
            location,
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
          location,
        };
        if (!explicit.has('fullName')) d.assumed = ['fullName'];
        diagnostics.push(d);
      }
    }
  }
  return diagnostics;
}

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
