// Byte-level helpers in plain TypeScript: shared/ has no TextEncoder, Buffer or btoa in its types.

/** The UTF-8 bytes of a string; a lone surrogate becomes U+FFFD, as every UTF-8 encoder does. */
export function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      bytes.push(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return bytes;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** The UTF-8 byte length without building the bytes (the Content-Length of every render). */
export function utf8Length(text: string): number {
  // Speed: docs/performance.md#engine (a RegExp for long text, a loop for short).
  if (text.length > 64 && !NON_ASCII.test(text)) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

const HEX = '0123456789ABCDEF';

export function percentByte(b: number): string {
  return `%${HEX[b >> 4]}${HEX[b & 15]}`;
}

/** Percent-encodes a string's UTF-8 bytes, every byte. */
export function percentEncodeUtf8(text: string): string {
  let out = '';
  for (const b of utf8Bytes(text)) out += percentByte(b);
  return out;
}

/** Decodes %XX sequences as UTF-8; returns the input unchanged when it does not decode. */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) bytes.push(c);
    else bytes.push(...utf8Bytes(text[i] ?? ''));
  }
  return decodeUtf8(bytes) ?? text;
}

/** Strict UTF-8 decoding; undefined on an invalid sequence. */
export function decodeUtf8(bytes: number[]): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    let cp: number;
    let extra: number;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      continue;
    } else if ((b & 0xe0) === 0xc0) {
      cp = b & 0x1f;
      extra = 1;
    } else if ((b & 0xf0) === 0xe0) {
      cp = b & 0x0f;
      extra = 2;
    } else if ((b & 0xf8) === 0xf0) {
      cp = b & 0x07;
      extra = 3;
    } else return undefined;
    for (let k = 0; k < extra; k++) {
      const n = bytes[++i];
      if (n === undefined || (n & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (n & 0x3f);
    }
    out += String.fromCodePoint(cp);
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64(bytes: number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64.charAt((n >> 18) & 63);
    out += B64.charAt((n >> 12) & 63);
    out += b === undefined ? '=' : B64.charAt((n >> 6) & 63);
    out += c === undefined ? '=' : B64.charAt(n & 63);
  }
  return out;
}

/**
 * Where the last lineColumn call stopped: the next one in the same text, further on, resumes there. Only a
 * text up to 1 MB is kept (a template), so a large response body is not held after its one call.
 */
const lastLine = { text: '', scanned: 0, line: 1, lineStart: 0 };
const LINE_CACHE_MAX = 1024 * 1024;

/**
 * 1-based line and column of a 0-based offset (columns count UTF-16 units, as editors do). The render and
 * the lint ask for their tokens in order, so a call resumes where the last one in the same text stopped
 * (linear, not quadratic, in a template of many tokens). Speed: docs/performance.md#keystroke-to-preview
 */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const end = Math.min(offset, text.length);
  const resume = lastLine.text === text && lastLine.scanned <= end;
  let line = resume ? lastLine.line : 1;
  let lineStart = resume ? lastLine.lineStart : 0;
  for (let i = resume ? lastLine.scanned : 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  if (text.length > LINE_CACHE_MAX) return { line, column: offset - lineStart + 1 };
  lastLine.text = text;
  lastLine.scanned = end;
  lastLine.line = line;
  lastLine.lineStart = lineStart;
  return { line, column: offset - lineStart + 1 };
}

/** 0-based offset of a 1-based line and column. */
export function offsetOf(text: string, line: number, column: number): number {
  let l = 1;
  let i = 0;
  while (l < line && i < text.length) {
    if (text.charCodeAt(i) === 10) l++;
    i++;
  }
  return Math.min(i + column - 1, text.length);
}

/** A character shown in a message: printable as itself, else as U+XXXX. */
export function showChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp === 0x20) return 'space';
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0))
    return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${ch}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}
