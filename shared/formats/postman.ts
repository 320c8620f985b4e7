import type { HttpMethod, MyToken, RenderedRequest, Webhook, WebhookHeader } from '../model';
import { httpMethods } from '../model';
import { escapeForTemplate } from './curl-import';
import { withPlaceholders } from './secret-names';

/**
 * Postman Collection v2.1, both ways.
 *
 * Export: each webhook rendered for one context, so the file holds the exact request target, headers
 * and body the studio sends; `protocolProfileBehavior` switches off Postman's URL re-encoding and the
 * headers it would add on its own, so newman puts the same bytes on the wire.
 *
 * Import: requests become webhooks (folders become folders), `{{var}}` becomes `{{my.var}}`, the
 * collection's variables become a context of My Tokens; what has no webhook equivalent (scripts,
 * form-data, most auth types, disabled rows) is listed in `notCarried`.
 */

export const postmanSchemaUrl = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** Headers Postman would add by itself, switched off so the request matches the studio's. */
const disabledSystemHeaders = {
  'user-agent': true,
  accept: true,
  'cache-control': true,
  'postman-token': true,
  'accept-encoding': true,
  connection: true,
  'content-type': true,
  'content-length': false,
  host: false,
};

export interface PostmanExportItem {
  name: string;
  description?: string;
  folder: string;
  rendered: RenderedRequest;
  /** Secret header names: their values become `{{<name>}}` variables with no value in the file. */
  secretHeaders?: string[];
}

interface PostmanFolder {
  name: string;
  item: unknown[];
}

export function toPostman(collectionName: string, items: PostmanExportItem[]): string {
  const root: PostmanFolder = { name: collectionName, item: [] };
  const variables = new Map<string, string>();
  for (const it of items) {
    let parent = root;
    for (const seg of it.folder.split('/').filter(Boolean)) {
      let next = parent.item.find(
        (x): x is PostmanFolder =>
          typeof x === 'object' && x !== null && 'item' in x && (x as PostmanFolder).name === seg,
      );
      if (!next) {
        next = { name: seg, item: [] };
        parent.item.push(next);
      }
      parent = next;
    }
    const secret = new Set((it.secretHeaders ?? []).map((h) => h.toLowerCase()));
    const r = it.rendered;
    // Secret My Tokens and URL credentials become {{secret <name>}} variables where they went.
    const spans = r.secretSpans ?? [];
    const placed = (text: string, part: 'target' | 'header' | 'body', index?: number, shift = 0): string => {
      const mine = spans
        .filter((s) => s.part === part && (index === undefined || s.index === index))
        .map((s) => ({ ...s, start: s.start + shift, end: s.end + shift }));
      return mine.length === 0
        ? text
        : withPlaceholders(
            text,
            mine,
            (t) => t,
            (name) => {
              variables.set(`secret ${name}`, '');
              return `{{secret ${name}}}`;
            },
          );
    };
    const header = r.headers
      .map((h, index) => ({ h, index }))
      .filter(({ h }) => !['host', 'content-length'].includes(h.name.toLowerCase()))
      .map(({ h, index }) => {
        if (!secret.has(h.name.toLowerCase())) return { key: h.name, value: placed(h.value, 'header', index) };
        const variable = `secret ${h.name}`;
        variables.set(variable, '');
        return { key: h.name, value: `{{${variable}}}` };
      });
    const request: Record<string, unknown> = {
      method: r.method,
      header,
      url: placed(`${r.origin ?? ''}${r.requestTarget}`, 'target', undefined, (r.origin ?? '').length),
    };
    if (r.body !== null) request['body'] = { mode: 'raw', raw: placed(r.body, 'body') };
    if (it.description) request['description'] = it.description;
    parent.item.push({
      name: it.name,
      protocolProfileBehavior: {
        disableUrlEncoding: true,
        disableBodyPruning: true,
        followRedirects: false,
        disabledSystemHeaders,
      },
      request,
    });
  }
  const doc = {
    info: { name: collectionName, schema: postmanSchemaUrl },
    item: root.item,
    ...(variables.size ? { variable: [...variables.keys()].map((key) => ({ key, value: '', type: 'secret' })) } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export interface ImportedWebhook {
  folder: string;
  webhook: Webhook;
}

export interface PostmanImport {
  name: string;
  webhooks: ImportedWebhook[];
  /** The collection's variables as My Tokens; empty when it has none. */
  variables: Record<string, MyToken>;
  notCarried: { item: string; reason: string }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** Postman `{{name}}` → Marketo `{{my.name}}`; dynamic `{{$guid}}` has no equivalent and is reported. */
function convertVars(text: string, where: string, notCarried: PostmanImport['notCarried']): string {
  return text.replace(/\{\{([^{}]+)\}\}/g, (whole, name: string) => {
    if (name.startsWith('$')) {
      notCarried.push({
        item: `${where}: ${whole}`,
        reason: 'Postman dynamic variables have no Marketo token; left as written',
      });
      return whole;
    }
    return `{{my.${name.trim()}}}`;
  });
}

function urlText(url: unknown): string | undefined {
  if (typeof url === 'string') return url;
  if (!isObj(url)) return undefined;
  if (typeof url['raw'] === 'string') return url['raw'];
  const protocol = str(url['protocol']);
  const host = Array.isArray(url['host']) ? url['host'].map(String).join('.') : str(url['host']);
  const path = Array.isArray(url['path'])
    ? url['path'].map((p) => (isObj(p) ? (str(p['value']) ?? '') : String(p))).join('/')
    : str(url['path']);
  const query = Array.isArray(url['query'])
    ? url['query']
        .filter((q) => isObj(q) && q['disabled'] !== true)
        .map(
          (q) =>
            `${str((q as Obj)['key']) ?? ''}${(q as Obj)['value'] === null ? '' : `=${str((q as Obj)['value']) ?? ''}`}`,
        )
        .join('&')
    : '';
  if (!host) return undefined;
  return `${protocol ? `${protocol}://` : ''}${host}${str(url['port']) ? `:${str(url['port'])}` : ''}${path ? `/${path}` : ''}${query ? `?${query}` : ''}`;
}

function formEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function authHeader(auth: unknown, where: string, notCarried: PostmanImport['notCarried']): WebhookHeader | undefined {
  if (!isObj(auth)) return undefined;
  const type = str(auth['type']);
  if (!type || type === 'noauth') return undefined;
  const params = Array.isArray(auth[type]) ? (auth[type] as unknown[]).filter(isObj) : [];
  const param = (key: string): string | undefined => str(params.find((p) => p['key'] === key)?.['value']);
  if (type === 'bearer') {
    const token = param('token');
    if (token !== undefined) return { name: 'Authorization', value: `Bearer ${convertVars(token, where, notCarried)}` };
  }
  if (type === 'apikey' && (param('in') ?? 'header') === 'header') {
    const key = param('key');
    const value = param('value');
    if (key) return { name: key, value: convertVars(value ?? '', where, notCarried) };
  }
  notCarried.push({
    item: `${where}: auth ${type}`,
    reason: 'this auth type has no webhook equivalent; add the header it produces by hand',
  });
  return undefined;
}

type NotCarried = PostmanImport['notCarried'];

/** The request's header rows that are on, with `{{var}}` made `{{my.var}}`; disabled ones are listed. */
function requestHeaders(req: Obj, where: string, notCarried: NotCarried): WebhookHeader[] {
  const headers: WebhookHeader[] = [];
  for (const h of Array.isArray(req['header']) ? req['header'] : []) {
    if (!isObj(h)) continue;
    const key = str(h['key']) ?? '';
    if (h['disabled'] === true) {
      notCarried.push({ item: `${where}: header ${key}`, reason: 'disabled in Postman' });
      continue;
    }
    headers.push({
      name: convertVars(key, where, notCarried),
      value: convertVars(str(h['value']) ?? '', where, notCarried),
    });
  }
  return headers;
}

/** The Content-Type Postman sends for a raw body's language. */
const rawLanguageTypes: Record<string, string> = {
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
  javascript: 'application/javascript',
  text: 'text/plain',
};

const hasContentType = (headers: WebhookHeader[]): boolean =>
  headers.some((h) => h.name.toLowerCase() === 'content-type');

/** A raw body: the template as written (escaped for the pre-parse), with the Content-Type of its language. */
function rawTemplate(body: Obj, headers: WebhookHeader[], where: string, notCarried: NotCarried): string {
  const template = escapeForTemplate(convertVars(str(body['raw']) ?? '', where, notCarried));
  const language =
    isObj(body['options']) && isObj(body['options']['raw']) ? str(body['options']['raw']['language']) : undefined;
  const type = language ? rawLanguageTypes[language] : undefined;
  if (type && !hasContentType(headers)) {
    // Postman sends this Content-Type for the body's language; keep it explicit.
    headers.push({ name: 'Content-Type', value: type });
  }
  return template;
}

/** A urlencoded body: the form fields that are on, as one form-encoded template. */
function urlencodedTemplate(body: Obj, headers: WebhookHeader[], where: string, notCarried: NotCarried): string {
  const rows = (Array.isArray(body['urlencoded']) ? body['urlencoded'] : []).filter(isObj);
  for (const r of rows.filter((r) => r['disabled'] === true))
    notCarried.push({ item: `${where}: form field ${str(r['key']) ?? ''}`, reason: 'disabled in Postman' });
  // Literal text is encoded here; {{tokens}} are encoded by Marketo's Form/Url encoding.
  const enc = (s: string): string =>
    s
      .split(/(\{\{[^{}]+\}\})/)
      .map((part, i) => (i % 2 ? convertVars(part, where, notCarried) : formEncode(part)))
      .join('');
  const template = rows
    .filter((r) => r['disabled'] !== true)
    .map((r) => `${enc(str(r['key']) ?? '')}=${enc(str(r['value']) ?? '')}`)
    .join('&');
  if (!hasContentType(headers)) headers.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
  return template;
}

/** The request's body as a template and its encoding; a body mode with no template equivalent is listed. */
function requestTemplate(
  req: Obj,
  headers: WebhookHeader[],
  where: string,
  notCarried: NotCarried,
): Pick<Webhook, 'template' | 'encoding'> {
  const body = isObj(req['body']) ? req['body'] : undefined;
  if (!body || body['disabled'] === true) return { template: '', encoding: 'none' };
  const mode = str(body['mode']);
  if (mode === 'raw') return { template: rawTemplate(body, headers, where, notCarried), encoding: 'none' };
  if (mode === 'urlencoded')
    return { template: urlencodedTemplate(body, headers, where, notCarried), encoding: 'form-url' };
  if (mode) {
    notCarried.push({
      item: `${where}: body (${mode})`,
      reason: 'only raw and urlencoded bodies become a Marketo template',
    });
  }
  return { template: '', encoding: 'none' };
}

function descriptionOf(req: Obj): string | undefined {
  const d = req['description'];
  return typeof d === 'string' ? d : isObj(d) ? str(d['content']) : undefined;
}

/** A Postman request as a webhook, or undefined (listed in notCarried) when it cannot be one. */
function requestToWebhook(
  name: string,
  request: unknown,
  inheritedAuth: unknown,
  where: string,
  notCarried: NotCarried,
): Webhook | undefined {
  const req: Obj = typeof request === 'string' ? { url: request, method: 'GET' } : isObj(request) ? request : {};
  const method = (str(req['method']) ?? 'GET').toUpperCase();
  if (!(httpMethods as readonly string[]).includes(method)) {
    notCarried.push({ item: where, reason: `method ${method} is not one Marketo offers (${httpMethods.join(', ')})` });
    return undefined;
  }
  const rawUrl = urlText(req['url']);
  if (rawUrl === undefined) {
    notCarried.push({ item: where, reason: 'the request has no URL' });
    return undefined;
  }
  if (/(^|\/):[A-Za-z_]/.test(rawUrl.replace(/^[a-z]+:\/\/[^/]*/i, ''))) {
    notCarried.push({ item: `${where}: URL`, reason: 'Postman path variables (:name) are left as written' });
  }
  const headers = requestHeaders(req, where, notCarried);
  const auth = req['auth'] !== undefined ? req['auth'] : inheritedAuth;
  const authH = authHeader(auth, where, notCarried);
  if (authH) headers.push(authH);
  const { template, encoding } = requestTemplate(req, headers, where, notCarried);
  if (method === 'GET' && template !== '')
    notCarried.push({
      item: `${where}: body`,
      reason: 'Marketo sends no template with GET (profile option templateOnGet)',
    });
  const description = descriptionOf(req);
  return {
    name,
    ...(description ? { description } : {}),
    url: convertVars(rawUrl, where, notCarried),
    method: method as HttpMethod,
    template,
    encoding,
    responseType: 'none',
    headers,
    mappings: [],
  };
}

/** Reads a Postman v2.0/v2.1 collection. */
export function fromPostman(json: unknown): { ok: true; value: PostmanImport } | { ok: false; message: string } {
  if (!isObj(json) || !isObj(json['info']) || !Array.isArray(json['item'])) {
    return { ok: false, message: 'not a Postman v2 collection (expected `info` and `item`)' };
  }
  const schema = str(json['info']['schema']) ?? '';
  if (schema && !/collection\/v2\.[01]/.test(schema))
    return { ok: false, message: `Postman collection schema ${schema} is not v2.0 or v2.1; export it again as v2.1` };
  const notCarried: PostmanImport['notCarried'] = [];
  const webhooks: ImportedWebhook[] = [];
  const collectionName = str(json['info']['name']) ?? 'Postman collection';
  const scripts = (node: Obj, where: string): void => {
    const hasCode = (e: unknown): boolean => {
      if (!isObj(e) || !isObj(e['script'])) return false;
      const exec = e['script']['exec'];
      return (Array.isArray(exec) ? exec.join('\n') : (str(exec) ?? '')).trim() !== '';
    };
    if (Array.isArray(node['event']) && node['event'].some(hasCode)) {
      notCarried.push({ item: `${where}: scripts`, reason: 'pre-request and test scripts do not run in Marketo' });
    }
  };
  scripts(json, collectionName);
  const walk = (items: unknown[], folder: string[], auth: unknown): void => {
    for (const item of items) {
      if (!isObj(item)) continue;
      const name = str(item['name']) ?? 'request';
      const where = [...folder, name].join(' / ');
      scripts(item, where);
      if (Array.isArray(item['item'])) {
        walk(item['item'], [...folder, name], item['auth'] !== undefined ? item['auth'] : auth);
        continue;
      }
      if (Array.isArray(item['response']) && item['response'].length)
        notCarried.push({ item: `${where}: saved responses`, reason: 'examples are not imported' });
      const webhook = requestToWebhook(name, item['request'], auth, where, notCarried);
      if (webhook) webhooks.push({ folder: folder.join('/'), webhook });
    }
  };
  walk(json['item'], [], json['auth']);
  const variables: Record<string, MyToken> = {};
  for (const v of Array.isArray(json['variable']) ? json['variable'] : []) {
    if (!isObj(v)) continue;
    const key = str(v['key']) ?? str(v['id']);
    if (!key) continue;
    if (v['disabled'] === true) {
      notCarried.push({ item: `variable ${key}`, reason: 'disabled in Postman' });
      continue;
    }
    if (v['type'] === 'secret') {
      variables[key] = { type: 'text', secret: true };
      notCarried.push({
        item: `variable ${key}`,
        reason: 'secret: its value is not written into the collection; set the secret my.' + key,
      });
    } else variables[key] = str(v['value']) ?? '';
  }
  return { ok: true, value: { name: collectionName, webhooks, variables, notCarried } };
}
