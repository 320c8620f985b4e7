import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonQuote, renderWebhook } from '@shared/engine';
import { renderDetailed, type EngineOptions } from '@shared/engine/render';
import {
  defaultProfile,
  tokenContextSchema,
  webhookSchema,
  type Profile,
  type ProfileOption,
  type RenderedRequest,
  type TokenContext,
  type Webhook,
} from '@shared/model';

// The render keeps what depends only on the webhook and the profile (compiled texts, the URL's authority,
// the merged profile) from render to render. These properties render random webhooks in random lead
// contexts cold and warm, on copies and on objects changed in place, and ask for the same bytes and
// diagnostics every time.

const urlStarts = [
  'http://h.example',
  'https://user:p%40ss@h.example:8443',
  'https://bücher.example',
  'ftp://h',
  '',
  ' ',
];
const urlPieces = [
  '/',
  '/enrich',
  '?email=',
  '&x=1',
  '#frag',
  '/a b',
  '/ü',
  '/%2e%2E/',
  '/./',
  '%',
  '?',
  '{{lead.Email Address}}',
  '{{lead.First Name:default=Zoë & co}}',
  '{{lead.Path}}',
  '{{lead.x=y}}',
  '{{company.Company Name}}',
  '{{my.Key}}',
  '{{system.date}}',
];
const templatePieces = [
  '{"email":',
  '{{lead.Email Address}}',
  ',"first":',
  '{{lead.First Name}}',
  '{{lead.Company Name:default=Acme/Co}}',
  '{{lead.Score}}',
  '{{lead.Unsubscribed}}',
  '{{lead.Full Name}}',
  '{{lead.Nope}}',
  '{{my.Key}}',
  '\\u00e9',
  '\\q',
  'a&b=c',
  '}',
  'ü\n',
];
const headerChoices: Array<Webhook['headers'][number]> = [
  { name: 'Content-Type', value: 'application/json' },
  { name: 'X-Lead', value: '{{lead.Email Address}}' },
  { name: 'X-{{lead.First Name}}', value: 'v' },
  { name: 'Host', value: 'other.example' },
  { name: 'Authorization', value: 'Bearer {{my.Key}}' },
  { name: 'Content-Length', value: '3' },
  { name: 'User-Agent', value: 'fuzz' },
  { name: 'Connection', value: 'close' },
  { name: 'X-Api-Key', value: 's3cret', secret: true },
  { name: 'Bad Name', value: 'x' },
];
const values = [
  'lead0@example.com',
  'Zoë 0',
  'Jack & Jill',
  'a/b?c#d',
  '50%',
  'line\nbreak',
  '"quoted"',
  '',
  ' ',
  'x'.repeat(70),
  'ü'.repeat(70),
  '😀',
  '\ud800',
  '/.',
  'h.example',
  'true',
  '42',
];

const pieces = (from: string[], max: number) =>
  fc.array(fc.constantFrom(...from), { maxLength: max }).map((p) => p.join(''));
const value = fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 12 }), fc.integer(), fc.boolean());

const webhookArb = fc
  .record({
    url: fc.tuple(fc.constantFrom(...urlStarts), pieces(urlPieces, 5)).map(([a, b]) => a + b),
    template: pieces(templatePieces, 6),
    encoding: fc.constantFrom('none' as const, 'json' as const, 'form-url' as const),
    method: fc.constantFrom('GET' as const, 'POST' as const, 'DELETE' as const),
    headers: fc.subarray(headerChoices, { maxLength: 3 }),
  })
  .map((w) => webhookSchema.parse({ name: 'fuzz', ...w }));

const leadArb = fc.record(
  {
    'Email Address': value,
    'First Name': value,
    'Company Name': value,
    Path: value,
    Score: value,
    Unsubscribed: value,
    'Last Name': value,
  },
  { requiredKeys: [] },
);

const contextArb = fc
  .record({ lead: leadArb, company: fc.record({ 'Company Name': value }, { requiredKeys: [] }), key: value })
  .map(({ lead, company, key }) =>
    tokenContextSchema.parse({
      name: 'c',
      lead,
      company,
      my: { Key: typeof key === 'boolean' ? String(key) : key },
      system: { now: '2026-01-02T03:04:05Z', timeZone: 'Europe/Berlin' },
    }),
  );

const profileArb = fc.option(
  fc.record(
    {
      encodingScope: fc.constantFrom('body' as const, 'body-and-url' as const, 'all' as const),
      jsonNonAscii: fc.constantFrom('raw' as const, 'escape' as const),
      jsonEscapeSlash: fc.boolean(),
      htmlEncodeTokens: fc.boolean(),
      urlUnsafeCharacters: fc.constantFrom('percent-encode' as const, 'refuse' as const),
      malformedDefault: fc.constantFrom('empty' as const, 'literal' as const),
      templateOnGet: fc.constantFrom('drop' as const, 'send' as const),
      jsonEmptyValue: fc.constantFrom('empty-string' as const, 'null' as const),
      userAgent: fc.constantFrom('', 'Studio/1'),
      maxRenderedBytes: fc.constantFrom(16 * 1024 * 1024, 40),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const copy = <T>(x: T): T => structuredClone(x);

/** Renders once with a fresh copy of everything (nothing the caches hold is keyed on these objects). */
function fresh(webhook: Webhook, context: TokenContext, options: EngineOptions): RenderedRequest {
  return renderWebhook(copy(webhook), copy(context), {
    ...options,
    profile: options.profile === undefined ? undefined : copy(options.profile),
  });
}

const optionsArb = fc.record({ profile: profileArb, tokenUses: fc.boolean() });

describe('render caches: cold, warm and changed webhooks render the same', () => {
  it('a webhook rendered for many leads gives what a fresh copy of each gives', () => {
    fc.assert(
      fc.property(
        webhookArb,
        fc.array(contextArb, { minLength: 1, maxLength: 6 }),
        optionsArb,
        (webhook, contexts, o) => {
          const options: EngineOptions = { profile: o.profile, tokenUses: o.tokenUses };
          for (const context of contexts) {
            const warm = renderWebhook(webhook, context, options);
            expect(warm).toEqual(fresh(webhook, context, options));
            // Rendered again on the very same objects: the second render is served from every cache.
            expect(renderWebhook(webhook, context, options)).toEqual(warm);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a webhook changed in place, or replaced by another with a different URL, is not served stale', () => {
    fc.assert(
      fc.property(webhookArb, webhookArb, contextArb, optionsArb, (webhook, other, context, o) => {
        const options: EngineOptions = { profile: o.profile, tokenUses: o.tokenUses };
        renderWebhook(webhook, context, options);
        const replaced = { ...webhook, url: other.url };
        expect(renderWebhook(replaced, context, options)).toEqual(fresh(replaced, context, options));
        // The same object, its URL, template, encoding and headers changed under the render.
        webhook.url = other.url;
        webhook.template = other.template;
        webhook.encoding = other.encoding;
        webhook.headers.splice(0, webhook.headers.length, ...copy(other.headers));
        expect(renderWebhook(webhook, context, options)).toEqual(fresh(webhook, context, options));
        // A header object itself changed: its name, its value, whether it is secret.
        const first = webhook.headers[0];
        if (first !== undefined) {
          first.value = `${first.value}-{{lead.First Name}}`;
          expect(renderWebhook(webhook, context, options)).toEqual(fresh(webhook, context, options));
          first.name = 'Host';
          expect(renderWebhook(webhook, context, options)).toEqual(fresh(webhook, context, options));
          first.secret = true;
          expect(renderWebhook(webhook, context, options)).toEqual(fresh(webhook, context, options));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a profile object changed in place between renders is merged again', () => {
    fc.assert(
      fc.property(webhookArb, contextArb, profileArb, profileArb, (webhook, context, first, second) => {
        const profile: Partial<Profile> = { ...first };
        renderWebhook(webhook, context, { profile });
        for (const k of Object.keys(profile)) delete (profile as Record<string, unknown>)[k];
        Object.assign(profile, second);
        const options: EngineOptions = { profile };
        expect(renderWebhook(webhook, context, options)).toEqual(fresh(webhook, context, options));
        expect(renderDetailed(webhook, context, options).profile.profile).toEqual({ ...defaultProfile, ...second });
      }),
      { numRuns: 200 },
    );
  });

  it('an option given as undefined, or no option at all, is the default and is not recorded as chosen', () => {
    const webhook = webhookSchema.parse({
      name: 'w',
      url: 'https://h.example/{{lead.Email Address}}',
      template: '{"a":{{lead.First Name}}}',
      encoding: 'json',
    });
    const context = tokenContextSchema.parse({ name: 'c', lead: { 'First Name': 'Zoë/x', 'Email Address': 'a b' } });
    const plain = renderWebhook(webhook, context);
    expect(renderWebhook(webhook, context, { profile: {} })).toEqual(plain);
    expect(renderWebhook(webhook, context, { profile: { jsonNonAscii: undefined } })).toEqual(plain);
    const chosen = renderWebhook(webhook, context, { profile: { jsonNonAscii: 'raw' } });
    const assumed = (r: RenderedRequest) => r.diagnostics.find((d) => d.code === 'profile-assumptions')?.assumed;
    expect(assumed(plain)).toContain('jsonNonAscii');
    expect(assumed(chosen)).not.toContain('jsonNonAscii');
    expect(chosen.body).toBe(plain.body);
  });

  it('JSON quoting records each option once, in the order of first use, and quotes as JSON.stringify', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const used: ProfileOption[] = [];
        const quoted = jsonQuote(s, defaultProfile, (o) => used.push(o));
        expect(new Set(used).size).toBe(used.length);
        const slash = s.indexOf('/');
        const nonAscii = s.search(/[\u007f-\ud7ff\ue000-\uffff]|[\ud800-\udbff][\udc00-\udfff]/);
        const expected: ProfileOption[] = [];
        if (slash >= 0) expected.push('jsonEscapeSlash');
        if (nonAscii >= 0) expected.splice(slash >= 0 && slash < nonAscii ? 1 : 0, 0, 'jsonNonAscii');
        expect(used).toEqual(expected);
        expect(JSON.parse(quoted)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
});
