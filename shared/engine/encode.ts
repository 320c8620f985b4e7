import type { Profile, ProfileOption, TokenEncoding } from '../model';
import { percentByte, utf8Bytes } from './text';

/** A token value ready to encode: its text, and whether its type makes it a number or a Boolean. */
export interface TokenValue {
  text: string;
  numeric: boolean;
  boolean: boolean;
}

/** Records which profile options shaped the output (only those the caller left at their default count). */
export type UseOption = (option: ProfileOption) => void;

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function isJsonNumber(text: string): boolean {
  return JSON_NUMBER.test(text);
}

function hex4(c: number): string {
  return c.toString(16).padStart(4, '0');
}

/** RFC 8259 string escaping, with the two undocumented choices (`/`, non-ASCII) taken from the profile. */
export function jsonQuote(text: string, profile: Profile, use: UseOption): string {
  let out = '"';
  let from = 0;
  // Each option is recorded at its first use only (the order of first uses is what counts).
  let slashUsed = false;
  let nonAsciiUsed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Speed: docs/performance.md#engine (letters, digits and most punctuation pass with three compares).
    if (c > 0x2f && c < 0x7f && c !== 92) continue;
    let rep: string | undefined;
    if (c === 34) rep = '\\"';
    else if (c === 92) rep = '\\\\';
    else if (c < 0x20) {
      rep =
        c === 8 ? '\\b' : c === 9 ? '\\t' : c === 10 ? '\\n' : c === 12 ? '\\f' : c === 13 ? '\\r' : `\\u${hex4(c)}`;
    } else if (c === 47) {
      if (!slashUsed) use('jsonEscapeSlash');
      slashUsed = true;
      if (profile.jsonEscapeSlash) rep = '\\/';
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (!pair)
        rep = `\\u${hex4(c)}`; // a lone surrogate cannot go out as UTF-8
      else {
        if (!nonAsciiUsed) use('jsonNonAscii');
        nonAsciiUsed = true;
        if (profile.jsonNonAscii === 'escape') {
          rep = `\\u${hex4(c)}\\u${hex4(text.charCodeAt(i + 1))}`;
          out += text.slice(from, i) + rep;
          i++;
          from = i + 1;
          continue;
        }
        i++;
        continue;
      }
    } else if (c > 0x7e) {
      if (!nonAsciiUsed) use('jsonNonAscii');
      nonAsciiUsed = true;
      if (profile.jsonNonAscii === 'escape') rep = `\\u${hex4(c)}`;
    }
    if (rep !== undefined) {
      out += text.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return from === 0 ? `"${text}"` : `${out}${text.slice(from)}"`;
}

function isFormSafe(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 46 ||
    c === 45 ||
    c === 42 ||
    c === 95
  );
}

/** application/x-www-form-urlencoded over UTF-8, as Java's URLEncoder: `A-Za-z0-9.-*_` kept, space `+`. */
export function formUrlEncode(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isFormSafe(c)) continue;
    out += text.slice(from, i);
    if (c === 32) out += '+';
    else if (c < 0x80) out += percentByte(c);
    else {
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      for (const b of utf8Bytes(text.slice(i, pair ? i + 2 : i + 1))) out += percentByte(b);
      if (pair) i++;
    }
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function htmlEncode(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => htmlEntities[ch] ?? ch);
}

/** The text a token puts into the output under an encoding. */
export function encodeValue(value: TokenValue, encoding: TokenEncoding, profile: Profile, use: UseOption): string {
  if (encoding === 'none') return value.text;
  if (encoding === 'form-url') return formUrlEncode(value.text);
  if (value.text === '') {
    use('jsonEmptyValue');
    return profile.jsonEmptyValue === 'null' ? 'null' : '""';
  }
  if (value.numeric && isJsonNumber(value.text)) return value.text;
  if (value.boolean) {
    use('jsonBooleanBare');
    if (profile.jsonBooleanBare && (value.text === 'true' || value.text === 'false')) return value.text;
  }
  return jsonQuote(value.text, profile, use);
}
