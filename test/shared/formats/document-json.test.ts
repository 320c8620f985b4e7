import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasDuplicateKey, parsedJson } from '@shared/formats/document-json';
import { loadText } from '@shared/formats/document-text';
import { parseWebhookDocument } from '@shared/formats/documents';

/** What a load gives, the same way for both readers: the value, or the problems. */
function outcome(text: string, json: boolean): unknown {
  const r = loadText(text, 'w.json', { json });
  return r.ok ? { value: r.loaded.data } : { problems: r.problems };
}

describe('JSON documents read without composing YAML', () => {
  it('reads a JSON object or list with JSON.parse, and leaves everything else to YAML', () => {
    expect(parsedJson('{"name": "x", "n": [1, 2.5, true, null]}')).toEqual({
      value: { name: 'x', n: [1, 2.5, true, null] },
    });
    expect(parsedJson(' \n[{"a": {}}]\n')).toEqual({ value: [{ a: {} }] });
    expect(parsedJson('name: x\n')).toBeUndefined();
    expect(parsedJson('{name: x}')).toBeUndefined();
    expect(parsedJson('{"a": 1,}')).toBeUndefined();
    // JSON.parse would keep the last; YAML reports the repeat, so YAML reads it.
    expect(parsedJson('{"a": 1, "b": {"c": 1}, "a": 2}')).toBeUndefined();
    // A lone CR is JSON whitespace, but a line break inside a YAML key.
    expect(parsedJson('{"a": 1,\r"b": 2}')).toBeUndefined();
  });

  it('finds a repeated key at any depth, escaped or not, and only within one mapping', () => {
    expect(hasDuplicateKey('{"a": 1, "b": 2}')).toBe(false);
    expect(hasDuplicateKey('[{"a": 1}, {"a": 2}]')).toBe(false);
    expect(hasDuplicateKey('{"a": {"a": {"a": 1}}}')).toBe(false);
    expect(hasDuplicateKey('{"a": "a", "b": ["a", "a"]}')).toBe(false);
    expect(hasDuplicateKey('{"x": [1, {"k": 1, "k": 2}]}')).toBe(true);
    expect(hasDuplicateKey('{"a\\"b": 1, "a\\u0022b": 2}')).toBe(true);
    expect(hasDuplicateKey('{"q": "\\\\", "q": 2}')).toBe(true);
  });

  it('a JSON webhook with a repeated key still names the line and column of the repeat', () => {
    const text = '{\n  "name": "x",\n  "url": "https://a.example",\n  "name": "y"\n}\n';
    expect(parseWebhookDocument(text, 'w.json')).toEqual({
      ok: false,
      problems: [
        {
          file: 'w.json',
          code: 'duplicate-key',
          message: 'a key appears twice in the same mapping',
          line: 4,
          column: 3,
        },
      ],
    });
  });

  it('a JSON webhook with a syntax error still names the line and column', () => {
    const r = parseWebhookDocument('{\n  "name": "x",\n  "url": "https://a.example",,\n}\n', 'w.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]).toMatchObject({ file: 'w.json', code: 'yaml-syntax', line: 3 });
    expect(r.problems[0]?.column).toBeGreaterThan(1);
  });

  it('a JSON webhook of the wrong shape places each problem at its field, as YAML did', () => {
    const text = '{\n  "name": "x",\n  "url": "https://a.example",\n  "method": "FETCH",\n  "colour": 1\n}\n';
    const r = parseWebhookDocument(text, 'w.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.path, p.line])).toEqual(
      expect.arrayContaining([
        ['method', 4],
        ['colour', 5],
      ]),
    );
    expect(loadText(text, 'w.json', { json: false })).toEqual(expect.objectContaining({ ok: true }));
  });

  it('gives what YAML gives for any JSON text, whatever its spacing, keys and values', () => {
    const space = fc.constantFrom('', ' ', '\n', '\r\n', '\t', '  \n  ', '\r', '\n\t');
    const key = fc.oneof(
      fc.constantFrom('a', 'b', 'name', '__proto__', '<<', '', 'a b', '#x', '"', '\\', 'é', '\u2028', '-', '?', ':'),
      fc.string({ maxLength: 4 }),
    );
    const scalar = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('\u0085', '\u007f', '\ufeff', '😀', '\ud800', 'a\nb', 'null', 'true', '1', '#', '*a', '&a'),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const { tree } = fc.letrec<{ tree: string }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar.map((v) => JSON.stringify(v)),
        fc.array(tie('tree'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
        fc
          .array(fc.tuple(key, tie('tree'), space, space), { maxLength: 4 })
          .map((pairs) => `{${pairs.map(([k, v, s1, s2]) => `${s1}${JSON.stringify(k)}${s2}:${s1}${v}`).join(',')}}`),
      ),
    }));
    const doc = fc
      .tuple(
        space,
        fc.oneof(
          tree.map((t) => `[${t}]`),
          tree.map((t) => `{"k":${t}}`),
          tree,
        ),
        space,
      )
      .map(([a, t, b]) => `${a}${t}${b}`);
    fc.assert(
      fc.property(doc, (text) => {
        expect(outcome(text, true)).toEqual(outcome(text, false));
      }),
      { numRuns: 1500 },
    );
  });
});
