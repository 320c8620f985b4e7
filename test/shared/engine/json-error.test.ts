import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '@shared/engine/json-error';

describe('jsonErrorOffset', () => {
  it('finds no error in any valid JSON (property)', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(jsonErrorOffset(text)).toBe(-1);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['{"a":}', 5],
    ['{"a": 1,}', 8],
    ['[1 2]', 3],
    ['{"a" 1}', 5],
    ['{"x": "Jack "Sandy" Jill"}', 13],
    ['{"a": tru}', 6],
    ['"\\q"', 1],
    ['{"a": 1} x', 9],
    ['', 0],
  ])('%j fails at offset %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    expect(() => JSON.parse(text)).toThrow();
  });
});
