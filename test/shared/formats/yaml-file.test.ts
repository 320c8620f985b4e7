import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextDiskForm, meaningOf, webhookDiskForm } from '@shared/formats/collection-files';
import {
  formatYamlText,
  freshYaml,
  readModelFile,
  readYaml,
  writeYamlText,
  yamlLimits,
} from '@shared/formats/yaml-file';
import {
  httpMethods,
  responseTypes,
  tokenContextSchema,
  tokenEncodings,
  webhookSchema,
  type Webhook,
} from '@shared/model';

describe('reading with limits', () => {
  it('refuses alias bombs, duplicate keys, deep nesting, NUL bytes and oversize text with a reason', () => {
    const bomb = [
      'a: &a [x,x,x,x,x,x,x,x,x,x]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    ].join('\n');
    const codes = (text: string) => {
      const r = readYaml(text, 'f.yaml');
      return r.ok ? 'ok' : r.problems.map((p) => p.code).join(',');
    };
    expect(codes(bomb)).toBe('yaml-hostile');
    expect(codes('a: 1\nb: 2\na: 3\n')).toBe('yaml-duplicate-key');
    expect(codes(`a: ${'['.repeat(40)}${']'.repeat(40)}`)).toBe('yaml-too-deep');
    expect(codes(`a: ${'['.repeat(50000)}`)).toMatch(/yaml-syntax/);
    expect(codes('a: b\u0000')).toBe('binary-file');
    expect(codes('x'.repeat(yamlLimits.maxChars + 1))).toBe('file-too-large');
    expect(codes('a: "unterminated\n')).toBe('yaml-syntax');
    expect(codes('a: &x 1\nb: *x\n')).toBe('ok');
  });

  it('names the line and field path of a schema problem', () => {
    const r = readModelFile(webhookSchema, 'name: x\nurl: y\nheaders:\n  - name: A\n    value: 3\n', 'w.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems[0]).toMatchObject({ file: 'w.yaml', line: 5, path: 'headers.0.value', code: 'invalid-field' });
  });
});

const webhookArb: fc.Arbitrary<Webhook> = fc
  .record({
    name: fc.string({ minLength: 1 }),
    description: fc.option(fc.string(), { nil: undefined }),
    url: fc.string(),
    method: fc.constantFrom(...httpMethods),
    template: fc.string({ unit: 'binary' }),
    encoding: fc.constantFrom(...tokenEncodings),
    responseType: fc.constantFrom(...responseTypes),
    headers: fc.array(fc.record({ name: fc.string(), value: fc.string() }), { maxLength: 3 }),
    mappings: fc.array(fc.record({ attribute: fc.string(), field: fc.string() }), { maxLength: 3 }),
  })
  .map((w) => webhookSchema.parse(Object.fromEntries(Object.entries(w).filter(([, v]) => v !== undefined))));

describe('writing', () => {
  it('any webhook written and read back is the same webhook (any text: line breaks, quotes, emoji, lone surrogates aside)', () => {
    fc.assert(
      fc.property(webhookArb, (w) => {
        const text = freshYaml(webhookDiskForm(w));
        const back = readModelFile(webhookSchema, text, 'w.yaml');
        expect(back.ok && back.value).toEqual(w);
      }),
      { numRuns: 300 },
    );
  });

  it('an edit of any webhook keeps the meaning, and writing the same value again changes no byte', () => {
    fc.assert(
      fc.property(webhookArb, webhookArb, (a, b) => {
        const first = freshYaml(webhookDiskForm(a));
        const edited = writeYamlText(first, webhookDiskForm(b), meaningOf.webhook);
        const back = readModelFile(webhookSchema, edited, 'w.yaml');
        expect(back.ok && back.value).toEqual(b);
        expect(writeYamlText(edited, webhookDiskForm(b), meaningOf.webhook)).toBe(edited);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps comments, flow style and key order of the untouched parts', () => {
    const text = '# top\nurl: https://x/ # where\nname: A\nheaders: [{name: X, value: "1"}]\n';
    const w = webhookSchema.parse({ name: 'B', url: 'https://x/', headers: [{ name: 'X', value: '1' }] });
    expect(writeYamlText(text, webhookDiskForm(w), meaningOf.webhook)).toBe(
      '# top\nurl: https://x/ # where\nname: B\nheaders: [ { name: X, value: "1" } ]\n',
    );
  });

  it('contexts: numbers, Booleans and null stay typed; strings that look like them stay strings', () => {
    const c = tokenContextSchema.parse({
      name: 'c',
      lead: { a: '00123', b: 12, c: true, d: null, e: 'true', f: '', g: 'line\nbreak', h: ' padded ' },
    });
    const back = readModelFile(tokenContextSchema, freshYaml(contextDiskForm(c)), 'c.yaml');
    expect(back.ok && back.value).toEqual(c);
  });
});

describe('fmt', () => {
  it('canonical key order, default quoting, idempotent; a comment moves with the key it sits above', () => {
    const text = '# c1\nurl: \'https://x/\'\nname: "A"   # c2\nmethod: GET\n';
    const once = formatYamlText(
      text,
      webhookDiskForm(webhookSchema.parse({ name: 'A', url: 'https://x/', method: 'GET' })),
    );
    expect(once).toBe('name: A # c2\n# c1\nurl: https://x/\nmethod: GET\n');
    expect(
      formatYamlText(once, webhookDiskForm(webhookSchema.parse({ name: 'A', url: 'https://x/', method: 'GET' }))),
    ).toBe(once);
  });
});
