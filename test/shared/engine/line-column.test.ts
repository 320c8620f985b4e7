import { describe, expect, it } from 'vitest';
import { lineColumn } from '@shared/engine/text';

/** lineColumn as it was: a scan from the start every time. */
function fromStart(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

describe('lineColumn', () => {
  it('gives the same place whatever was asked before (forward, backward, another text)', () => {
    const a = 'ab\ncd\n\nefg\nh';
    const b = '\n\nxyz';
    const asks: [string, number][] = [
      [a, 0],
      [a, 4],
      [a, 9],
      [a, 3],
      [b, 3],
      [a, 12],
      [a, 13],
      [a, 2],
      [b, 0],
      [b, 5],
      [a, 6],
      [a, 6],
      [a, 40],
    ];
    for (const [text, offset] of asks)
      expect(lineColumn(text, offset), `${JSON.stringify(text)} @ ${offset}`).toEqual(fromStart(text, offset));
  });

  it('is linear over a template of many tokens asked in order', () => {
    const text = `${'x'.repeat(60)}\n`.repeat(15_000);
    const t0 = performance.now();
    for (let o = 0; o < text.length; o += 61) lineColumn(text, o);
    // 15,000 asks over 900 KB: a scan from the start each time would read 7 billion characters.
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(lineColumn(text, 61 * 14_999 + 5)).toEqual({ line: 15_000, column: 6 });
  });
});
