const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text when the bytes are valid UTF-8, else base64: how an exchange and the catcher store bodies. */
export function bytesToText(bytes: Uint8Array): { text: string; encoding: 'utf8' | 'base64' } {
  if (bytes.length === 0) return { text: '', encoding: 'utf8' };
  try {
    return { text: strictUtf8.decode(bytes), encoding: 'utf8' };
  } catch {
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), encoding: 'base64' };
  }
}

/** A header line's bytes as text: UTF-8 when valid, else one character per byte (nothing is lost). */
export function headerText(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/**
 * A UTF-8 prefix cut at a byte limit may end inside a character; drop that partial character so the
 * kept part still reads as text.
 */
export function trimPartialUtf8(bytes: Buffer): Buffer {
  let end = bytes.length;
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
