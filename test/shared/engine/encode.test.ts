import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formUrlEncode, jsonQuote, preparseTemplate } from '@shared/engine';
import { defaultProfile } from '@shared/model';

const noop = (): void => {};

describe('JSON encoding (property)', () => {
  it('the JSON encoding of any string parses back to it', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-composite' }),
        fc.boolean(),
        fc.constantFrom('raw' as const, 'escape' as const),
        (s, slash, nonAscii) => {
          const profile = { ...defaultProfile, jsonEscapeSlash: slash, jsonNonAscii: nonAscii };
          expect(JSON.parse(jsonQuote(s, profile, noop))).toBe(s);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('matches JSON.stringify with the default profile for well-formed text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(jsonQuote(s, defaultProfile, noop)).toBe(JSON.stringify(s));
      }),
      { numRuns: 500 },
    );
  });

  it('escaped non-ASCII output is pure ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), (s) => {
        expect(jsonQuote(s, { ...defaultProfile, jsonNonAscii: 'escape' }, noop)).toMatch(/^[\x20-\x7e]*$/);
      }),
    );
  });
});

describe('form-url encoding (property)', () => {
  it('holds only A-Z a-z 0-9 . - * _ + and %XX in upper case', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), (s) => {
        expect(formUrlEncode(s)).toMatch(/^(?:[A-Za-z0-9.\-*_+]|%[0-9A-F]{2})*$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('decodes back to the input, as a form parser reads it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), (s) => {
        expect(new URLSearchParams(`v=${formUrlEncode(s)}`).get('v')).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with Java URLEncoder on known cases', () => {
    expect(formUrlEncode('NOT PROVIDED')).toBe('NOT+PROVIDED');
    expect(formUrlEncode('Jack & Jill')).toBe('Jack+%26+Jill');
    expect(formUrlEncode('a~b')).toBe('a%7Eb');
    expect(formUrlEncode('€')).toBe('%E2%82%AC');
  });
});

describe('template pre-parse', () => {
  it('turns the 8 escapes into their characters', () => {
    expect(preparseTemplate('\\b\\t\\n\\f\\r\\\\\\"\\\'').text).toBe('\b\t\n\f\r\\"\'');
  });

  it('reports any other backslash sequence with line and column', () => {
    const r = preparseTemplate('line one\n  x.split(/\\s*;/) \\u0041 \\');
    expect(r.errors.map((e) => [e.sequence, e.line, e.column])).toEqual([
      ['\\s', 2, 12],
      ['\\u', 2, 19],
      ['\\', 2, 26],
    ]);
  });

  it('leaves text without backslashes untouched (property)', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('\\')),
        (s) => {
          expect(preparseTemplate(s).text).toBe(s);
        },
      ),
    );
  });
});
