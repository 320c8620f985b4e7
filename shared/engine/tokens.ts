import { tokenNamespaces } from '../model';

/**
 * Why not Handlebars: the studio must pass every character outside a token through unchanged, and
 * Handlebars gives meaning to text Marketo leaves alone: `{{{x}}}` (unescaped output), `\{{` (an escaped
 * mustache), `{{! … }}` (a comment, removed), `{{#…}}`/`{{/…}}` (blocks), `{{> …}}` (partials), and it
 * HTML-escapes values and rejects names with spaces unless bracketed. A template such as
 * `{"a": "\{{x}}"}` or a JSON body that itself carries mustache text would change on the wire. Marketo's
 * syntax is one flat form, `{{namespace.Name}}` or `{{namespace.Name:default=text}}`, so a single
 * left-to-right scanner (indexOf, no regular expressions, no backtracking) is both exact and fast.
 */

export interface ScannedToken {
  start: number;
  end: number;
  /** The token as written, braces included. */
  text: string;
  /** Lower-cased namespace (lead, company, my, ...). */
  namespace: string;
  /** The name as written (case kept), without the default. */
  name: string;
  default?: string;
  /** `{{lead.Company=edit me}}`: an `=` in the name without `:default=`; what it renders is a profile option. */
  malformed?: boolean;
}

const namespaceSet = new Set<string>(tokenNamespaces);
const DEFAULT_MARK = ':default=';

function isNamespaceChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Reads a token whose `{{` starts at `start`; undefined when the text there is not a Marketo token
 * (then it is literal text). Inside a token there is no `{`, `}`, CR or LF, and the namespace is one of
 * Marketo's (case-insensitive).
 */
function readToken(text: string, start: number): ScannedToken | undefined {
  let i = start + 2;
  const nsStart = i;
  while (i < text.length && isNamespaceChar(text.charCodeAt(i))) i++;
  if (i === nsStart || text.charCodeAt(i) !== 46 /* . */) return undefined;
  const namespace = text.slice(nsStart, i).toLowerCase();
  if (!namespaceSet.has(namespace)) return undefined;
  const bodyStart = i + 1;
  let j = bodyStart;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 125 /* } */) break;
    if (c === 123 /* { */ || c === 10 || c === 13) return undefined;
  }
  if (j >= text.length || text.charCodeAt(j + 1) !== 125) return undefined;
  const body = text.slice(bodyStart, j);
  const end = j + 2;
  const mark = body.toLowerCase().indexOf(DEFAULT_MARK);
  const name = (mark >= 0 ? body.slice(0, mark) : body).trim();
  if (name.length === 0) return undefined;
  const token: ScannedToken = { start, end, text: text.slice(start, end), namespace, name };
  if (mark >= 0) token.default = body.slice(mark + DEFAULT_MARK.length);
  else if (name.includes('=')) token.malformed = true;
  return token;
}

/** Every Marketo token in `text`, in order. Text between them is literal. */
export function scanTokens(text: string): ScannedToken[] {
  const tokens: ScannedToken[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf('{{', from);
    if (at < 0) break;
    const token = readToken(text, at);
    if (token) {
      tokens.push(token);
      from = token.end;
    } else from = at + 1;
  }
  return tokens;
}

/**
 * `{{x.y}}`-shaped text whose namespace is not Marketo's: left as literal text, which lint reports
 * because it is usually a typo (`{{leed.Email}}`) or a receiver's own placeholder.
 */
export function scanUnknownNamespaceTokens(
  text: string,
): Array<{ start: number; end: number; text: string; namespace: string }> {
  const found: Array<{ start: number; end: number; text: string; namespace: string }> = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf('{{', from);
    if (at < 0) break;
    from = at + 1;
    let i = at + 2;
    while (i < text.length && isNamespaceChar(text.charCodeAt(i))) i++;
    if (i === at + 2 || text.charCodeAt(i) !== 46) continue;
    const namespace = text.slice(at + 2, i);
    if (namespaceSet.has(namespace.toLowerCase())) continue;
    const close = text.indexOf('}}', i);
    const nl = text.indexOf('\n', i);
    if (close < 0 || (nl >= 0 && nl < close)) continue;
    found.push({ start: at, end: close + 2, text: text.slice(at, close + 2), namespace });
    from = close + 2;
  }
  return found;
}
