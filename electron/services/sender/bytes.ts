import { isAscii, isUtf8 } from 'node:buffer';

/** Any UTF-16 code unit beyond ASCII (the same test as `[^\x00-\x7f]`, written without control characters). */
export const NON_ASCII = /[\u0080-\uffff]/;

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Text when the bytes are valid UTF-8, else base64: how an exchange and the catcher store bodies. */
export function bytesToText(bytes: Uint8Array): { text: string; encoding: 'utf8' | 'base64' } {
  if (bytes.length === 0) return { text: '', encoding: 'utf8' };
  const buf = asBuffer(bytes);
  // toString() without arguments is Node's direct UTF-8 decode (no encoding lookup). Speed: docs/performance.md#sender
  return isUtf8(buf)
    ? { text: buf.toString(), encoding: 'utf8' }
    : { text: buf.toString('base64'), encoding: 'base64' };
}

/** A header line's bytes as text: UTF-8 when valid, else one character per byte (nothing is lost). */
export function headerText(bytes: Buffer): string {
  // Speed: docs/performance.md#sender
  if (isAscii(bytes)) return bytes.toString('latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}

/** Latin1 text (one character per wire byte, as undici writes heads) back to the text those bytes spell. */
export function wireText(latin1: string): string {
  return NON_ASCII.test(latin1) ? headerText(Buffer.from(latin1, 'latin1')) : latin1;
}

/**
 * A UTF-8 prefix cut at a byte limit may end inside a character; drop that partial character so the
 * kept part still reads as text.
 */
export function trimPartialUtf8(bytes: Buffer): Buffer {
  const end = bytes.length;
  let back = 0;
  while (back < 3 && end - back - 1 >= 0) {
    const b = bytes[end - back - 1] as number;
    if ((b & 0xc0) !== 0x80) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      return need > back + 1 ? bytes.subarray(0, end - back - 1) : bytes;
    }
    back++;
  }
  return bytes;
}
