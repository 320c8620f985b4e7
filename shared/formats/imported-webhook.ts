import type { HttpMethod, TokenEncoding, Webhook, WebhookHeader } from '../model';

/**
 * What a copied request (a curl command, a raw HTTP request) becomes: one webhook that sends the same
 * method, URL, headers and body. Shared so both imports name, escape and encode the same way.
 */

/** Text sent as written must survive Marketo's template pre-parse, which reads backslash escapes. */
export function escapeForTemplate(body: string): string {
  return body.replace(/\\/g, '\\\\');
}

/** A token written inside a JSON string (`"{{lead.Email Address}}"`): JSON encoding would quote its value again. */
const QUOTED_TOKEN = /"\{\{[^{}]*\}\}"/;

/**
 * The request token encoding that fits the body's Content-Type: tokens later typed into a JSON body are
 * JSON-escaped, into a form body form-encoded. Anything else (text, XML, no body) stays None. A JSON body that
 * already quotes its tokens was written for None (as many Marketo webhooks are), so it keeps None.
 */
export function encodingForHeaders(headers: WebhookHeader[], body = ''): TokenEncoding {
  const type = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value.toLowerCase() ?? '';
  if (/^application\/(?:[\w.+-]*\+)?json\b/.test(type.trim())) return QUOTED_TOKEN.test(body) ? 'none' : 'json';
  if (type.trim().startsWith('application/x-www-form-urlencoded')) return 'form-url';
  return 'none';
}

/** "POST hooks.example.com/v1/lead": the method, host and path of the URL, without the query. */
export function importedWebhookName(method: HttpMethod, url: string): string {
  const hostPath = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/?#]*)([^?#]*)/i.exec(url);
  return hostPath ? `${method} ${hostPath[1]}${hostPath[2] || '/'}` : `${method} request`;
}

export interface CopiedRequest {
  method: HttpMethod;
  /** As written: never re-encoded. */
  url: string;
  /** The headers the webhook sends (those the studio works out itself already left out). */
  headers: WebhookHeader[];
  /** The body as sent; '' for none. */
  body: string;
}

/** The webhook that sends a copied request. */
export function importedWebhook(request: CopiedRequest): Webhook {
  return {
    name: importedWebhookName(request.method, request.url),
    url: request.url,
    method: request.method,
    template: escapeForTemplate(request.body),
    encoding: encodingForHeaders(request.headers, request.body),
    responseType: 'none',
    headers: request.headers,
    mappings: [],
  };
}

/** A copied request read into a webhook, and what of it could not be carried over (and why). */
export interface ImportedRequest {
  webhook: Webhook;
  notCarried: { item: string; reason: string }[];
}

/** Why a copied request cannot be a webhook; `line` and `column` (from 1) say where, when the reader knows. */
export interface ImportFailure {
  ok: false;
  message: string;
  line?: number;
  column?: number;
}
