import type { HttpMethod, RenderedRequest, Webhook, WebhookHeader } from '../model';
import { httpMethods } from '../model';
import { secretEnvName, secretNameForHeader, withPlaceholders } from './secret-names';

/**
 * curl commands, both ways. Emitting: a command that puts the same bytes on the wire as the studio
 * (`--path-as-is` keeps the request target as written, `--globoff` keeps brackets, curl's own
 * User-Agent/Accept/Content-Type are suppressed unless the studio sends them). Parsing: the common
 * options of a copied command become a webhook; anything else is reported, never silently dropped.
 */

/** Headers the client works out for itself from the URL and the body. */
const clientHeaders = new Set(['host', 'content-length']);

/** POSIX shell single-quoting: safe for any text, including quotes and line breaks. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface CurlEmitOptions {
  /** Header names whose values are secret: emitted as `$WEBHOOK_STUDIO_SECRET_<NAME>`, never as the value. */
  secretHeaders?: string[];
}

export function toCurl(rendered: RenderedRequest, options: CurlEmitOptions = {}): string {
  const secret = new Set((options.secretHeaders ?? []).map((h) => h.toLowerCase()));
  const origin = rendered.origin ?? '';
  // Secret My Tokens and URL credentials become "$WEBHOOK_STUDIO_SECRET_<NAME>" where they went.
  const spans = rendered.secretSpans ?? [];
  const variable = (name: string): string => `"$${secretEnvName(name)}"`;
  const quoted = (text: string, part: 'target' | 'header' | 'body', index?: number, shift = 0): string => {
    const mine = spans
      .filter((s) => s.part === part && (index === undefined || s.index === index))
      .map((s) => ({ ...s, start: s.start + shift, end: s.end + shift }));
    return mine.length === 0 ? shellQuote(text) : withPlaceholders(text, mine, shellQuote, variable);
  };
  const lines: string[] = [
    `curl --path-as-is --globoff -X ${rendered.method} ${quoted(origin + rendered.requestTarget, 'target', undefined, origin.length)}`,
  ];
  const sent = new Set(rendered.headers.map((h) => h.name.toLowerCase()));
  const urlHost = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)$/i.exec(origin)?.[1]?.toLowerCase();
  for (const [index, h] of rendered.headers.entries()) {
    const lower = h.name.toLowerCase();
    if (lower === 'content-length') continue;
    // curl writes Host from the URL; only a custom Host header must be passed on.
    if (lower === 'host' && h.value.toLowerCase() === urlHost) continue;
    if (secret.has(lower))
      lines.push(`-H ${shellQuote(`${h.name}: `)}"$${secretEnvName(secretNameForHeader(h.name))}"`);
    else
      lines.push(
        `-H ${h.value === '' ? shellQuote(`${h.name};`) : quoted(`${h.name}: ${h.value}`, 'header', index, h.name.length + 2)}`,
      );
  }
  if (!sent.has('user-agent')) lines.push(`-H 'User-Agent:'`);
  if (!sent.has('accept')) lines.push(`-H 'Accept:'`);
  if (rendered.body !== null) {
    if (!sent.has('content-type')) lines.push(`-H 'Content-Type:'`);
    if (!sent.has('expect')) lines.push(`-H 'Expect:'`);
    lines.push(`--data-raw ${quoted(rendered.body, 'body')}`);
  } else if (rendered.headers.some((h) => h.name.toLowerCase() === 'content-length')) {
    lines.push(`-H 'Content-Length: 0'`);
  }
  return lines.join(' \\\n  ');
}

/** Splits a shell command line into words: quotes, backslashes, `$'…'` and line continuations. */
export function shellWords(text: string): { ok: true; words: string[] } | { ok: false; message: string } {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  const push = (s: string): void => {
    word = (word ?? '') + s;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { ok: false, message: `unterminated single quote at character ${i + 1}` };
      push(text.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (c === '$' && text[i + 1] === "'") {
      let j = i + 2;
      let out = '';
      const escapes: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '\\': '\\',
        "'": "'",
        '"': '"',
        a: '\u0007',
        b: '\b',
        e: '\u001b',
        f: '\f',
        v: '\v',
      };
      for (; j < text.length && text[j] !== "'"; j++) {
        if (text[j] === '\\' && j + 1 < text.length) {
          const e = text[j + 1] as string;
          if (e === 'x') {
            const hex = /^[0-9a-fA-F]{1,2}/.exec(text.slice(j + 2))?.[0] ?? '';
            out += String.fromCharCode(parseInt(hex || '0', 16));
            j += 1 + hex.length;
          } else if (e === 'u') {
            const hex = /^[0-9a-fA-F]{1,4}/.exec(text.slice(j + 2))?.[0] ?? '';
            out += String.fromCharCode(parseInt(hex || '0', 16));
            j += 1 + hex.length;
          } else {
            out += escapes[e] ?? `\\${e}`;
            j++;
          }
        } else out += text[j];
      }
      if (j >= text.length) return { ok: false, message: `unterminated $'…' quote at character ${i + 1}` };
      push(out);
      i = j + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let out = '';
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && ['"', '\\', '$', '`', '\n'].includes(text[j + 1] ?? '')) {
          if (text[j + 1] !== '\n') out += text[j + 1];
          j++;
        } else out += text[j];
      }
      if (j >= text.length) return { ok: false, message: `unterminated double quote at character ${i + 1}` };
      push(out);
      i = j + 1;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      push(text[i + 1] as string);
      i += 2;
      continue;
    }
    push(c);
    i++;
  }
  if (word !== undefined) words.push(word);
  return { ok: true, words };
}

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

/** Text sent as written must survive Marketo's template pre-parse, which reads backslash escapes. */
export function escapeForTemplate(body: string): string {
  return body.replace(/\\/g, '\\\\');
}

export interface ParsedCurl {
  webhook: Webhook;
  notCarried: { item: string; reason: string }[];
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

/** A webhook from a copied curl command. */
export function parseCurl(text: string): { ok: true; value: ParsedCurl } | { ok: false; message: string } {
  const split = shellWords(text.trim());
  if (!split.ok) return split;
  const words = split.words;
  if (words[0] === 'curl' || words[0]?.endsWith('/curl')) words.shift();
  else return { ok: false, message: 'a curl command starts with `curl`' };
  const notCarried: { item: string; reason: string }[] = [];
  let method: string | undefined;
  let url: string | undefined;
  const headers: WebhookHeader[] = [];
  const data: string[] = [];
  let getMode = false;
  const take = (flag: string, i: number): string | undefined => {
    const v = words[i + 1];
    if (v === undefined) notCarried.push({ item: flag, reason: 'has no value' });
    return v;
  };
  for (let i = 0; i < words.length; i++) {
    let w = words[i] as string;
    let inline: string | undefined;
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    if (
      eq > 0 &&
      [
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
      ].includes(w.slice(0, eq))
    ) {
      inline = w.slice(eq + 1);
      w = w.slice(0, eq);
    }
    // Short options may carry their value glued on (-XPOST, -HAccept:x).
    if (/^-[XHdAeub][^-]/.test(w) && w.length > 2 && inline === undefined) {
      inline = w.slice(2);
      w = w.slice(0, 2);
    }
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const v = take(w, i);
      i++;
      return v;
    };
    switch (w) {
      case '-X':
      case '--request':
        method = value()?.toUpperCase();
        break;
      case '-H':
      case '--header': {
        const h = value();
        if (h === undefined) break;
        const colon = h.indexOf(':');
        if (colon < 0) {
          if (h.endsWith(';')) headers.push({ name: h.slice(0, -1).trim(), value: '' });
          else notCarried.push({ item: `-H ${h}`, reason: 'not a `Name: value` header' });
        } else if (h.slice(colon + 1).trim() === '') {
          // `-H 'Name:'` removes a header curl would add; the studio adds none of them.
        } else headers.push({ name: h.slice(0, colon).trim(), value: h.slice(colon + 1).replace(/^[ \t]+/, '') });
        break;
      }
      case '-d':
      case '--data':
      case '--data-ascii':
      case '--data-binary':
      case '--data-raw': {
        const d = value();
        if (d === undefined) break;
        if (w !== '--data-raw' && d.startsWith('@'))
          notCarried.push({
            item: `${w} ${d}`,
            reason: 'reads the body from a file; paste the file into the template',
          });
        else data.push(d);
        break;
      }
      case '--data-urlencode': {
        const d = value();
        if (d === undefined) break;
        const eqAt = d.indexOf('=');
        if (
          d.startsWith('@') ||
          (eqAt > 0 && d[eqAt + 1] === '@') ||
          (d.includes('@') && eqAt < 0 && d.indexOf('@') > 0)
        ) {
          notCarried.push({ item: `${w} ${d}`, reason: 'reads the value from a file' });
        } else data.push(eqAt < 0 ? curlEscape(d) : `${d.slice(0, eqAt)}=${curlEscape(d.slice(eqAt + 1))}`);
        break;
      }
      case '--json': {
        const d = value();
        if (d === undefined) break;
        data.push(d);
        headers.push(
          { name: 'Content-Type', value: 'application/json' },
          { name: 'Accept', value: 'application/json' },
        );
        break;
      }
      case '-G':
      case '--get':
        getMode = true;
        break;
      case '--url':
        url = value();
        break;
      case '-u':
      case '--user': {
        const u = value();
        if (u !== undefined) headers.push({ name: 'Authorization', value: `Basic ${base64Utf8(u)}` });
        break;
      }
      case '-A':
      case '--user-agent': {
        const a = value();
        if (a !== undefined) headers.push({ name: 'User-Agent', value: a });
        break;
      }
      case '-e':
      case '--referer': {
        const r = value();
        if (r !== undefined) headers.push({ name: 'Referer', value: r });
        break;
      }
      case '-b':
      case '--cookie': {
        const c = value();
        if (c === undefined) break;
        if (c.includes('=')) headers.push({ name: 'Cookie', value: c });
        else notCarried.push({ item: `${w} ${c}`, reason: 'reads cookies from a file' });
        break;
      }
      default:
        if (w in ignoredFlags) {
          const why = ignoredFlags[w];
          if (why) notCarried.push({ item: w, reason: why });
        } else if (w in valueFlagsIgnored) {
          const v = value();
          notCarried.push({
            item: `${w} ${v ?? ''}`.trim(),
            reason: `${valueFlagsIgnored[w]} is not part of a webhook`,
          });
        } else if (w.startsWith('-') && w.length > 1) {
          notCarried.push({ item: w, reason: 'option not understood; check what it did and set it by hand' });
        } else if (url === undefined) url = w;
        else notCarried.push({ item: w, reason: 'a second URL; only the first becomes the webhook' });
    }
  }
  if (url === undefined) return { ok: false, message: 'the curl command has no URL' };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
  let body = data.join('&');
  if (getMode && data.length) {
    url += (url.includes('?') ? '&' : '?') + body;
    body = '';
  }
  const m = (method ?? (data.length && !getMode ? 'POST' : 'GET')) as HttpMethod;
  if (!(httpMethods as readonly string[]).includes(m))
    return { ok: false, message: `request method ${m} is not one Marketo offers (${httpMethods.join(', ')})` };
  if (body !== '' && !headers.some((h) => h.name.toLowerCase() === 'content-type')) {
    // curl sends this for -d; writing it down keeps the bytes the same whatever the profile says.
    headers.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
  }
  for (const h of headers)
    if (clientHeaders.has(h.name.toLowerCase()))
      notCarried.push({ item: `-H ${h.name}`, reason: 'the studio works this header out itself' });
  const name = (() => {
    const hostPath = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/?#]*)([^?#]*)/i.exec(url);
    return hostPath ? `${m} ${hostPath[1]}${hostPath[2] || '/'}` : `${m} request`;
  })();
  return {
    ok: true,
    value: {
      webhook: {
        name,
        url,
        method: m,
        template: escapeForTemplate(body),
        encoding: 'none',
        responseType: 'none',
        headers: headers.filter((h) => !clientHeaders.has(h.name.toLowerCase())),
        mappings: [],
      },
      notCarried,
    },
  };
}
