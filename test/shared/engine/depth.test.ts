// Deeply nested answers (issue 11 item 4): every parse and walk of a response body is bounded by the
// profile's maxResponseDepth; a deeper body is reported as too deep, never a crash.
import { describe, expect, it } from 'vitest';
import { evaluateResponse, parseResponseBody } from '@shared/engine';
import { jsonDepthExceeded } from '@shared/engine/json-error';
import { defaultProfile, maxResponseDepthCeiling, profileSchema, webhookSchema } from '@shared/model';

const deepJsonArray = (n: number): string => '['.repeat(n) + ']'.repeat(n);
const deepJsonObject = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const deepXml = (n: number): string => '<a>'.repeat(n) + 'x' + '</a>'.repeat(n);

const hook = (responseType: 'json' | 'xml', attribute: string) =>
  webhookSchema.parse({
    name: 'deep',
    url: 'https://h.example/',
    responseType,
    mappings: [
      { attribute, field: 'Title' },
      { attribute: 'b', field: 'Company' },
    ],
  });

describe('jsonDepthExceeded', () => {
  it('counts containers, not brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeded('{"a":[1,{"b":2}]}', 3)).toBe(-1);
    expect(jsonDepthExceeded('{"a":[1,{"b":2}]}', 2)).toBe(8);
    const inString = JSON.stringify({ s: '[[[[[[[[[[{{{{{{{{{\\"[[[[[[' });
    expect(jsonDepthExceeded(inString, 1)).toBe(-1);
    expect(jsonDepthExceeded(`[${JSON.stringify('\\')},[[1]]]`, 2)).toBe(7);
    expect(jsonDepthExceeded(deepJsonArray(100_000), 1000)).toBe(1000);
  });
});

describe('deeply nested response bodies', () => {
  it('the default is 1,000 levels, and a profile may lower it but not raise it', () => {
    expect(defaultProfile.maxResponseDepth).toBe(1000);
    expect(profileSchema.safeParse({ maxResponseDepth: 10 }).success).toBe(true);
    expect(profileSchema.safeParse({ maxResponseDepth: maxResponseDepthCeiling + 1 }).success).toBe(false);
  });

  it.each([
    ['JSON arrays', 'json', deepJsonArray(100_000)],
    ['JSON objects', 'json', deepJsonObject(100_000)],
    ['XML elements', 'xml', deepXml(100_000)],
  ] as const)(
    '100,000 levels of %s: reported too deep, every mapping not written with reason too-deep',
    (_what, type, body) => {
      const parsed = parseResponseBody(body, type);
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.tooDeep).toBe(true);
      const report = evaluateResponse(hook(type, type === 'xml' ? 'a.a' : 'a'), { status: 200, body });
      expect(report.mappings.map((m) => [m.written, m.reason])).toEqual([
        [false, 'too-deep'],
        [false, 'too-deep'],
      ]);
      const d = report.diagnostics.find((x) => x.code === 'response-too-deep');
      expect(d?.severity).toBe('error');
      expect(d?.message).toMatch(/deeper than 1000 levels.*maxResponseDepth/);
      // The default shaped the result, so it is named among the assumptions.
      expect(report.diagnostics.find((x) => x.code === 'profile-assumptions')?.assumed).toContain('maxResponseDepth');
      // What the CLI and the runner do with a report: it must survive being written out.
      expect(() => JSON.stringify(report)).not.toThrow();
    },
  );

  it('exactly at the limit is read, one deeper is not (JSON and XML alike)', () => {
    for (const depth of [5, 1000]) {
      const profile = { maxResponseDepth: depth };
      expect(parseResponseBody(deepJsonArray(depth), 'json', profile).ok).toBe(true);
      expect(parseResponseBody(deepJsonArray(depth + 1), 'json', profile).ok).toBe(false);
      expect(parseResponseBody(deepXml(depth), 'xml', profile).ok).toBe(true);
      expect(parseResponseBody(deepXml(depth + 1), 'xml', profile).ok).toBe(false);
    }
  });

  it('a mapped subtree at the deepest allowed level can be written out and cloned', () => {
    const report = evaluateResponse(
      hook('json', 'a'),
      { status: 200, body: deepJsonObject(999) },
      { profile: { nestedValueToString: 'json' } },
    );
    expect(report.mappings[0]?.found).toBe(true);
    expect(() => structuredClone(report)).not.toThrow();
    const xml = parseResponseBody(deepXml(1000), 'xml');
    expect(xml.ok).toBe(true);
    expect(() => structuredClone(xml)).not.toThrow();
  });

  it('an unchecked profile asking for more than the ceiling still gets the ceiling', () => {
    const parsed = parseResponseBody(deepXml(maxResponseDepthCeiling + 1), 'xml', { maxResponseDepth: 1_000_000 });
    expect(!parsed.ok && parsed.tooDeep).toBe(true);
  });
});
