import type { HttpMethod, WebhookHeader } from '../model';
import { httpMethods } from '../model';
import { importedWebhook, type ImportedRequest, type ImportFailure } from './imported-webhook';
import { shellWords } from './shell-words';

export { escapeForTemplate } from './imported-webhook';

/**
 * A webhook from a copied curl command: the common options become the webhook's method, URL, headers
 * and body; anything else is reported, never silently dropped.
 */

export type ParsedCurl = ImportedRequest;
type NotCarried = ImportedRequest['notCarried'][number];

/** Headers the client works out for itself from the URL and the body. */
const clientHeaders = new Set(['host', 'content-length']);

/** curl's --data-urlencode: RFC 3986 unreserved characters kept, everything else %XX over UTF-8. */
function curlEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function base64Utf8(text: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes = Array.from(
    encodeURIComponent(text).replace(/%([0-9A-F]{2})|./gi, (m, hex: string | undefined) =>
      String.fromCharCode(hex ? parseInt(hex, 16) : m.charCodeAt(0)),
    ),
    (ch) => ch.charCodeAt(0),
  );
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | (b << 8) | c;
    out +=
      alphabet[(n >> 18) & 63]! +
      alphabet[(n >> 12) & 63]! +
      (i + 1 < bytes.length ? alphabet[(n >> 6) & 63]! : '=') +
      (i + 2 < bytes.length ? alphabet[n & 63]! : '=');
  }
  return out;
}

const ignoredFlags: Record<string, string | undefined> = {
  '--path-as-is': undefined,
  '--globoff': undefined,
  '-g': undefined,
  '-s': undefined,
  '--silent': undefined,
  '-S': undefined,
  '--show-error': undefined,
  '-v': undefined,
  '--verbose': undefined,
  '-i': undefined,
  '--include': undefined,
  '-k': 'TLS certificate checks cannot be switched off for a webhook',
  '--insecure': 'TLS certificate checks cannot be switched off for a webhook',
  '-L': 'following redirects is the profile option followRedirects, not part of a webhook',
  '--location': 'following redirects is the profile option followRedirects, not part of a webhook',
  '--compressed': 'Marketo does not ask for compressed responses',
  '--http1.1': undefined,
  '-f': undefined,
  '--fail': undefined,
};

const valueFlagsIgnored: Record<string, string> = {
  '-o': 'output file',
  '--output': 'output file',
  '-m': 'timeout (the profile option timeoutMs)',
  '--max-time': 'timeout (the profile option timeoutMs)',
  '--connect-timeout': 'timeout (the profile option timeoutMs)',
  '-w': 'write-out format',
  '--write-out': 'write-out format',
  '-x': 'proxy',
  '--proxy': 'proxy',
  '--cacert': 'CA file',
  '--cert': 'client certificate',
  '--key': 'client key',
  '-F': 'multipart form field (Marketo templates are text)',
  '--form': 'multipart form field (Marketo templates are text)',
  '-T': 'upload file',
  '--upload-file': 'upload file',
  '--retry': 'retries',
};

/** Long options that may carry their value after `=` (`--header=Accept: x`). */
const inlineValueOptions = [
  '--request',
  '--header',
  '--data',
  '--data-raw',
  '--data-binary',
  '--data-ascii',
  '--data-urlencode',
  '--url',
  '--user',
  '--user-agent',
  '--referer',
  '--cookie',
  '--json',
];

/** What the command's options say, gathered as they are read. */
interface CurlRequest {
  method: string | undefined;
  url: string | undefined;
  headers: WebhookHeader[];
  data: string[];
  getMode: boolean;
  notCarried: NotCarried[];
}

/**
 * Reads one option into the request. `value` gives the option's value (glued on, or the next word,
 * which it then consumes); undefined when the command ends without one.
 */
type OptionReader = (request: CurlRequest, flag: string, value: () => string | undefined) => void;

const readHeader: OptionReader = (request, _flag, value) => {
  const h = value();
  if (h === undefined) return;
  const colon = h.indexOf(':');
  if (colon < 0) {
    if (h.endsWith(';')) request.headers.push({ name: h.slice(0, -1).trim(), value: '' });
    else request.notCarried.push({ item: `-H ${h}`, reason: 'not a `Name: value` header' });
  } else if (h.slice(colon + 1).trim() === '') {
    // `-H 'Name:'` removes a header curl would add; the studio adds none of them.
  } else request.headers.push({ name: h.slice(0, colon).trim(), value: h.slice(colon + 1).replace(/^[ \t]+/, '') });
};

const readData: OptionReader = (request, flag, value) => {
  const d = value();
  if (d === undefined) return;
  if (flag !== '--data-raw' && d.startsWith('@'))
    request.notCarried.push({
      item: `${flag} ${d}`,
      reason: 'reads the body from a file; paste the file into the template',
    });
  else request.data.push(d);
};

const readUrlencoded: OptionReader = (request, flag, value) => {
  const d = value();
  if (d === undefined) return;
  const eqAt = d.indexOf('=');
  if (d.startsWith('@') || (eqAt > 0 && d[eqAt + 1] === '@') || (d.includes('@') && eqAt < 0 && d.indexOf('@') > 0)) {
    request.notCarried.push({ item: `${flag} ${d}`, reason: 'reads the value from a file' });
  } else request.data.push(eqAt < 0 ? curlEscape(d) : `${d.slice(0, eqAt)}=${curlEscape(d.slice(eqAt + 1))}`);
};

const readJson: OptionReader = (request, _flag, value) => {
  const d = value();
  if (d === undefined) return;
  request.data.push(d);
  request.headers.push(
    { name: 'Content-Type', value: 'application/json' },
    { name: 'Accept', value: 'application/json' },
  );
};

/** An option whose value becomes one header as it is (-A, -e). */
const headerOption =
  (name: string): OptionReader =>
  (request, _flag, value) => {
    const v = value();
    if (v !== undefined) request.headers.push({ name, value: v });
  };

const readUser: OptionReader = (request, _flag, value) => {
  const u = value();
  if (u !== undefined) request.headers.push({ name: 'Authorization', value: `Basic ${base64Utf8(u)}` });
};

const readCookie: OptionReader = (request, flag, value) => {
  const c = value();
  if (c === undefined) return;
  if (c.includes('=')) request.headers.push({ name: 'Cookie', value: c });
  else request.notCarried.push({ item: `${flag} ${c}`, reason: 'reads cookies from a file' });
};

const readMethod: OptionReader = (request, _flag, value) => {
  request.method = value()?.toUpperCase();
};
const readGet: OptionReader = (request) => {
  request.getMode = true;
};
const readUrl: OptionReader = (request, _flag, value) => {
  request.url = value();
};

/** The options that carry into the webhook, each with how it is read. */
const optionReaders = new Map<string, OptionReader>([
  ['-X', readMethod],
  ['--request', readMethod],
  ['-H', readHeader],
  ['--header', readHeader],
  ['-d', readData],
  ['--data', readData],
  ['--data-ascii', readData],
  ['--data-binary', readData],
  ['--data-raw', readData],
  ['--data-urlencode', readUrlencoded],
  ['--json', readJson],
  ['-G', readGet],
  ['--get', readGet],
  ['--url', readUrl],
  ['-u', readUser],
  ['--user', readUser],
  ['-A', headerOption('User-Agent')],
  ['--user-agent', headerOption('User-Agent')],
  ['-e', headerOption('Referer')],
  ['--referer', headerOption('Referer')],
  ['-b', readCookie],
  ['--cookie', readCookie],
]);

/** A word that is no option the webhook carries: an ignored flag, an ignored option and its value, or the URL. */
function readOtherWord(request: CurlRequest, w: string, value: () => string | undefined): void {
  if (Object.hasOwn(ignoredFlags, w)) {
    const why = ignoredFlags[w];
    if (why) request.notCarried.push({ item: w, reason: why });
  } else if (Object.hasOwn(valueFlagsIgnored, w)) {
    const v = value();
    request.notCarried.push({
      item: `${w} ${v ?? ''}`.trim(),
      reason: `${valueFlagsIgnored[w]} is not part of a webhook`,
    });
  } else if (w.startsWith('-') && w.length > 1) {
    request.notCarried.push({ item: w, reason: 'option not understood; check what it did and set it by hand' });
  } else if (request.url === undefined) request.url = w;
  else request.notCarried.push({ item: w, reason: 'a second URL; only the first becomes the webhook' });
}

/** An option word and the value glued onto it, if any: `--header=Accept: x`, `-XPOST`, `-HAccept:x`. */
function splitGluedValue(word: string): { flag: string; inline: string | undefined } {
  const eq = word.startsWith('--') ? word.indexOf('=') : -1;
  if (eq > 0 && inlineValueOptions.includes(word.slice(0, eq)))
    return { flag: word.slice(0, eq), inline: word.slice(eq + 1) };
  // Short options may carry their value glued on (-XPOST, -HAccept:x).
  if (/^-[XHdAeub][^-]/.test(word) && word.length > 2) return { flag: word.slice(0, 2), inline: word.slice(2) };
  return { flag: word, inline: undefined };
}

/** The words after `curl`, read into a request. */
function readWords(words: string[]): CurlRequest {
  const request: CurlRequest = {
    method: undefined,
    url: undefined,
    headers: [],
    data: [],
    getMode: false,
    notCarried: [],
  };
  for (let i = 0; i < words.length; i++) {
    const { flag, inline } = splitGluedValue(words[i] as string);
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const v = words[i + 1];
      if (v === undefined) request.notCarried.push({ item: flag, reason: 'has no value' });
      i++;
      return v;
    };
    const reader = optionReaders.get(flag);
    if (reader) reader(request, flag, value);
    else readOtherWord(request, flag, value);
  }
  return request;
}

/** The webhook the request describes, or why it cannot be one. */
function requestToWebhook(request: CurlRequest): { ok: true; value: ParsedCurl } | ImportFailure {
  const { data, headers, getMode, notCarried } = request;
  let url = request.url;
  if (url === undefined) return { ok: false, message: 'the curl command has no URL' };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
  let body = data.join('&');
  if (getMode && data.length) {
    url += (url.includes('?') ? '&' : '?') + body;
    body = '';
  }
  const m = (request.method ?? (data.length && !getMode ? 'POST' : 'GET')) as HttpMethod;
  if (!(httpMethods as readonly string[]).includes(m))
    return { ok: false, message: `request method ${m} is not one Marketo offers (${httpMethods.join(', ')})` };
  if (body !== '' && !headers.some((h) => h.name.toLowerCase() === 'content-type')) {
    // curl sends this for -d; writing it down keeps the bytes the same whatever the profile says.
    headers.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
  }
  for (const h of headers)
    if (clientHeaders.has(h.name.toLowerCase()))
      notCarried.push({ item: `-H ${h.name}`, reason: 'the studio works this header out itself' });
  const sent = headers.filter((h) => !clientHeaders.has(h.name.toLowerCase()));
  return { ok: true, value: { webhook: importedWebhook({ method: m, url, headers: sent, body }), notCarried } };
}

/** `at character N` of a shell-word error, said as the line and column of the pasted text. */
function atLineColumn(message: string, text: string, offset: number): ImportFailure {
  const at = /at character (\d+)/.exec(message);
  if (!at) return { ok: false, message };
  const before = text.slice(0, offset + Number(at[1]) - 1).split('\n');
  const line = before.length;
  const column = (before[before.length - 1]?.length ?? 0) + 1;
  return { ok: false, message: message.replace(at[0], `at line ${line}, column ${column}`), line, column };
}

/** A webhook from a copied curl command (a leading shell prompt `$ ` is allowed). */
export function parseCurl(text: string): { ok: true; value: ParsedCurl } | ImportFailure {
  const command = /^\s*(?:\$\s*)?/.exec(text)?.[0] ?? '';
  const split = shellWords(text.slice(command.length).trimEnd());
  if (!split.ok) return atLineColumn(split.message, text, command.length);
  const words = split.words;
  if (words[0] === 'curl' || words[0]?.endsWith('/curl')) words.shift();
  else return { ok: false, message: 'a curl command starts with `curl`' };
  return requestToWebhook(readWords(words));
}
