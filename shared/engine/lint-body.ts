import { XMLValidator } from 'fast-xml-parser';
import type { Diagnostic } from '../model';
import { jsonErrorOffset, jsonParseMessage } from './json-error';
import { bodyToTemplate, templateLocation, tokensInsideJsonStrings, type LintInput } from './lint-places';
import { sourceOffset } from './preparse';
import { lineColumn, offsetOf } from './text';

/** What the body is, by its Content-Type, else by its first character: the advice depends on it. */
export type BodyKind = 'xml' | 'json' | 'form' | 'other';

function contentTypeOf(input: LintInput): string {
  return input.r.request.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value.toLowerCase() ?? '';
}

function bodyKindOf(input: LintInput): BodyKind {
  const sentType = contentTypeOf(input);
  const firstChar = input.webhook.template.trimStart().charAt(0);
  if (/[/+]xml\b/.test(sentType) || firstChar === '<') return 'xml';
  if (/[/+]json\b/.test(sentType) || firstChar === '{' || firstChar === '[') return 'json';
  return /x-www-form-urlencoded/.test(sentType) ? 'form' : 'other';
}

/** The rules about the payload template and its encoding, in the order they are reported. */
export function lintBody(input: LintInput): void {
  const encoding = input.webhook.encoding;
  if (encoding === 'json') jsonDoubleQuoted(input);
  if (encoding === 'none') noneEncodingUnsafe(input, bodyKindOf(input));
  if (encoding === 'form-url') formEmptyValues(input);
}

/** The body checks that come after the URL's: is the body what its Content-Type says, and does the encoding fit it. */
export function lintBodyContent(input: LintInput): void {
  const contentType = contentTypeOf(input);
  const body = input.r.request.body;
  if (body === null) return;
  if (/[/+]json\b/.test(contentType)) invalidJson(input, body);
  else if (/[/+]xml\b/.test(contentType)) invalidXml(input, body);
  encodingContentTypeMismatch(input, contentType, bodyKindOf(input));
}

/** Quotes around a token under JSON encoding: Marketo adds its own, so the receiver gets ""value"". */
function jsonDoubleQuoted(input: LintInput): void {
  const { r } = input;
  for (const i of tokensInsideJsonStrings(r)) {
    const t = r.template.tokens[i];
    const u = r.templateOutput.uses[i];
    if (!t || !u) continue;
    const start = sourceOffset(r.template.pre, t.start);
    const quoted = u.encoded.startsWith('"');
    input.diagnostics.push({
      severity: 'warning',
      code: 'json-double-quoted-token',
      message: `${t.text} sits inside a quoted JSON string, but JSON encoding already adds quotes${quoted ? ` (it renders ${u.encoded} inside your quotes)` : ''}; remove the quotes around the token`,
      location: templateLocation(input.webhook.template, start, t.end - t.start),
    });
  }
}

const unsafeAdvice: Record<BodyKind, string> = {
  xml: 'the value goes into the XML raw and breaks it (& and < must be escaped); Marketo has no XML encoding, so keep these characters out of the field (or send the body as JSON with JSON encoding)',
  json: 'the value goes in raw, which breaks a JSON string (quotes); use JSON encoding',
  form: 'the value goes in raw, which breaks a form body (&, =, +, %); use Form/Url encoding',
  other:
    'the value goes in raw, which breaks a form body (&, =, +, %) or a JSON string (quotes); use Form/Url or JSON encoding',
};

/** Encoding None: values go in raw, so characters with meaning in the body break it. */
function noneEncodingUnsafe(input: LintInput, bodyKind: BodyKind): void {
  for (const u of input.r.templateOutput.uses) {
    // Marketo has no XML encoding: for an XML body the characters that matter are XML's own.
    const risky = [...new Set(u.value.match(bodyKind === 'xml' ? /[&<>"']/g : /[&=+%"']/g) ?? [])];
    if (risky.length === 0) continue;
    input.diagnostics.push({
      severity: 'warning',
      code: 'none-encoding-unsafe-value',
      message: `${u.text} holds ${risky.map((c) => `'${c}'`).join(', ')} and encoding is None: ${unsafeAdvice[bodyKind]}`,
      location: templateLocation(input.webhook.template, u.sourceStart, u.sourceEnd - u.sourceStart),
    });
  }
}

/** Form/Url: a lead value that is empty sends `To=` just as an absent one does; say so the same way. */
function formEmptyValues(input: LintInput): void {
  for (const u of input.r.templateOutput.uses) {
    if (!u.resolved || u.usedDefault || u.value !== '' || u.namespace !== 'lead') continue;
    input.diagnostics.push({
      severity: 'warning',
      code: 'empty-token-value',
      message: `${u.text} in the template is empty in this context; it renders empty (the form sends the key with no value)`,
      location: templateLocation(input.webhook.template, u.sourceStart, u.sourceEnd - u.sourceStart),
    });
  }
}

/** A body whose Content-Type promises JSON but is not. */
function invalidJson(input: LintInput, body: string): void {
  try {
    JSON.parse(body);
  } catch (e) {
    const message = jsonParseMessage(e);
    const outOffset = Math.max(0, jsonErrorOffset(body));
    const src = bodyToTemplate(input.r, outOffset);
    const at = lineColumn(body, outOffset);
    input.diagnostics.push({
      severity: 'warning',
      code: 'body-invalid-json',
      message: `the Content-Type says JSON, but the rendered body is not valid JSON (${message}, near line ${at.line}, column ${at.column} of the body)`,
      location: templateLocation(input.webhook.template, src, 1),
    });
  }
}

/** A body whose Content-Type promises XML but is not well-formed. */
function invalidXml(input: LintInput, body: string): void {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- fast-xml-parser 5 still ships it; its successor is not a dependency
  const result = XMLValidator.validate(body);
  if (result === true) return;
  const outOffset = offsetOf(body, result.err.line, result.err.col);
  const src = bodyToTemplate(input.r, outOffset);
  input.diagnostics.push({
    severity: 'warning',
    code: 'body-invalid-xml',
    message: `the Content-Type says XML, but the rendered body is not well-formed XML: ${result.err.msg} (line ${result.err.line}, column ${result.err.col} of the body)`,
    location: templateLocation(input.webhook.template, src, 1),
  });
}

/** The encoding and the Content-Type disagree about what the body is. */
function encodingContentTypeMismatch(input: LintInput, contentType: string, bodyKind: BodyKind): void {
  const { webhook } = input;
  const d = (message: string, path: string): Diagnostic => ({
    severity: 'warning',
    code: 'encoding-content-type-mismatch',
    message,
    location: { part: 'webhook', path },
  });
  const form = /x-www-form-urlencoded/.test(contentType);
  if (webhook.encoding === 'form-url' && /[/+]json\b/.test(contentType)) {
    input.diagnostics.push(
      d(
        'the body is sent as JSON, but encoding is Form/Url: token values arrive form-encoded (spaces as +) inside the JSON; use JSON encoding',
        'encoding',
      ),
    );
  } else if (
    webhook.encoding === 'json' &&
    form &&
    bodyKind === 'json' &&
    !webhook.headers.some((h) => h.name.trim().toLowerCase() === 'content-type')
  ) {
    // A JSON body with no Content-Type header of its own: the default form type is the mistake, not the encoding.
    input.diagnostics.push(
      d(
        `the body is JSON, but no Content-Type header is set, so it goes out as ${contentType} (the profile's default); add the header \`Content-Type: application/json\``,
        'headers',
      ),
    );
  } else if (webhook.encoding === 'json' && form) {
    input.diagnostics.push(
      d(
        'the body is sent as a form, but encoding is JSON: token values arrive JSON-quoted; use Form/Url encoding',
        'encoding',
      ),
    );
  }
}
