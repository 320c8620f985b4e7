import type { RenderedRequest } from '../model';
import { secretEnvName, secretNameForHeader, withPlaceholders } from './secret-names';

export { escapeForTemplate, parseCurl, type ParsedCurl } from './curl-import';
export { shellWords } from './shell-words';

/**
 * curl commands, both ways. Emitting: a command that puts the same bytes on the wire as the studio
 * (`--path-as-is` keeps the request target as written, `--globoff` keeps brackets, curl's own
 * User-Agent/Accept/Content-Type are suppressed unless the studio sends them). Parsing (curl-import.ts):
 * the common options of a copied command become a webhook; anything else is reported, never silently dropped.
 */

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
