import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderWebhook, scanTokens } from '@shared/engine';
import { tokenContextSchema, webhookSchema } from '@shared/model';

const context = tokenContextSchema.parse({ name: 'c', lead: { 'First Name': 'Sandy', Id: 7 }, my: { Code: 'x&y' } });
/** Renders text as the URL part (no pre-parse, no encoding by default), returning the rendered text. */
const renderText = (text: string): string => renderWebhook(webhookSchema.parse({ name: 'p', url: text }), context).url;

describe('scanTokens', () => {
  it('finds tokens with namespace, name and default', () => {
    expect(scanTokens('Hi {{lead.First Name:default=Friend}}, {{My.Code}}')).toEqual([
      {
        start: 3,
        end: 37,
        text: '{{lead.First Name:default=Friend}}',
        namespace: 'lead',
        name: 'First Name',
        default: 'Friend',
      },
      { start: 39, end: 50, text: '{{My.Code}}', namespace: 'my', name: 'Code' },
    ]);
  });

  it('keeps spaces and colons in a default, and an empty default', () => {
    expect(scanTokens('{{lead.X:default=a: b c}}')[0]?.default).toBe('a: b c');
    expect(scanTokens('{{lead.X:default=}}')[0]?.default).toBe('');
  });

  it('marks {{lead.Company=edit me}} as malformed', () => {
    expect(scanTokens('{{lead.Company=edit me}}')[0]).toMatchObject({ name: 'Company=edit me', malformed: true });
  });

  it('ignores unknown namespaces, empty names, braces and line breaks inside', () => {
    expect(
      scanTokens('{{foo.bar}} {{lead.}} {{lead.a{b}} {{lead.a\nb}} {{lead.a}b}} {{SP_Send_Alert_Info}} {{ lead.X}}'),
    ).toEqual([]);
  });

  it('finds a token right after extra opening braces', () => {
    expect(scanTokens('{{{lead.Id}}}')).toMatchObject([{ start: 1, end: 12 }]);
  });
});

describe('text outside tokens passes through unchanged (property)', () => {
  // Arbitrary text, including braces, backslashes, mustache-like pieces and any Unicode.
  const noise = fc.oneof(
    fc.string({ unit: 'grapheme-composite' }),
    fc.string({
      unit: fc.constantFrom(
        '{',
        '}',
        '\\',
        '#',
        '!',
        '.',
        ' ',
        'lead',
        'my',
        ':default=',
        '\n',
        '{{',
        '}}',
        '{{{',
        '\\{{',
        '{{!',
        '{{#',
      ),
    }),
    fc.string({ unit: 'binary' }),
  );

  it('rendering equals the input with each scanned token replaced by its value', () => {
    fc.assert(
      fc.property(noise, (text) => {
        const tokens = scanTokens(text);
        const out = renderText(text);
        let expected = '';
        let from = 0;
        const values = renderWebhook(webhookSchema.parse({ name: 'p', url: text }), context).tokens.map(
          (t) => t.encoded,
        );
        tokens.forEach((t, i) => {
          expected += text.slice(from, t.start) + (values[i] ?? '');
          from = t.end;
        });
        expect(out).toBe(expected + text.slice(from));
      }),
      { numRuns: 500 },
    );
  });

  it('literal text around known tokens survives exactly', () => {
    const literal = noise.filter((s) => !s.includes('{{'));
    const token = fc.constantFrom(
      ['{{lead.First Name}}', 'Sandy'],
      ['{{lead.Id}}', '7'],
      ['{{my.Code}}', 'x&y'],
      ['{{lead.Nope:default=d}}', 'd'],
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(literal, token), { maxLength: 6 }), literal, (pairs, tail) => {
        const text = pairs.map(([l, [t]]) => l + t).join('') + tail;
        const expected = pairs.map(([l, [, v]]) => l + v).join('') + tail;
        expect(renderText(text)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('Handlebars cannot be used: it changes text Marketo leaves alone', async () => {
    const Handlebars = (await import('handlebars')).default;
    const text = 'a {{!comment}} \\{{x}} {{{y}}}';
    expect(Handlebars.compile(text)({ x: 1, y: 2 })).not.toBe(text);
    expect(renderText(text)).toBe(text);
  });
});
