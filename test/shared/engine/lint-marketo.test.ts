import { describe, expect, it } from 'vitest';
import { evaluateResponse, lintResponse, lintWebhook, renderWebhook } from '@shared/engine';
import {
  tokenContextSchema,
  webhookSchema,
  type Diagnostic,
  type TokenContextInput,
  type WebhookInput,
} from '@shared/model';

const ctx = (c: Partial<TokenContextInput> = {}) =>
  tokenContextSchema.parse({ name: 'c', campaign: { Type: 'trigger' }, ...c });
const hook = (w: Partial<WebhookInput>) => webhookSchema.parse({ name: 'l', url: 'https://h.example/hook', ...w });
const codes = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);

describe('email-script-token', () => {
  it('flags an Email Script My Token, by type or by a Velocity body, with its location', () => {
    const c = ctx({
      my: { Greeting: { type: 'email-script', value: '#set($x = 1)$x' }, Plain: 'hello', Sneaky: '${lead.FirstName}' },
    });
    const ds = lintWebhook(
      hook({ template: 'a={{my.Greeting}}&b={{my.Plain}}&c={{my.Sneaky}}', encoding: 'form-url' }),
      { context: c },
    );
    const d = codes(ds, 'email-script-token');
    expect(d.map((x) => x.location)).toEqual([
      { part: 'template', line: 1, column: 3, offset: 2, length: 15 },
      { part: 'template', line: 1, column: 36, offset: 35, length: 13 },
    ]);
    expect(d[0]?.message).toContain('emails only');
  });
  it('is silent for a plain text token', () => {
    expect(
      codes(
        lintWebhook(hook({ url: 'https://h.example/?q={{my.Plain}}' }), {
          context: ctx({ my: { Plain: 'hello $5' } }),
        }),
        'email-script-token',
      ),
    ).toEqual([]);
  });
});

describe('lead-full-name-token and the fullName profile option', () => {
  const c = ctx({ lead: { 'First Name': 'Sandy', 'Last Name': 'Smith' } });
  it('composes First and Last Name by default, and says it rests on an assumption', () => {
    const w = hook({ url: 'https://h.example/?n={{lead.Full Name}}' });
    const ds = lintWebhook(w, { context: c });
    const d = codes(ds, 'lead-full-name-token');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({
      severity: 'info',
      assumed: ['fullName'],
      location: { part: 'url', offset: 21, length: 18 },
    });
    expect(codes(ds, 'profile-assumptions')[0]?.assumed).toContain('fullName');
    const r = renderWebhook(w, c);
    expect(r.requestTarget).toBe('/?n=Sandy%20Smith');
    expect(r.tokens[0]?.assumed).toEqual(['fullName']);
  });
  it('renders only what the context holds under fullName: context-only', () => {
    const w = hook({ url: 'https://h.example/?n={{lead.Full Name}}' });
    expect(renderWebhook(w, c, { profile: { fullName: 'context-only' } }).requestTarget).toBe('/?n=');
    const d = codes(lintWebhook(w, { context: c, profile: { fullName: 'context-only' } }), 'lead-full-name-token');
    expect(d[0]?.assumed).toBeUndefined();
    expect(d[0]?.message).toContain('only a Full Name the context holds');
  });
  it('is silent when the context holds a Full Name (it is used as given)', () => {
    const w = hook({ url: 'https://h.example/?n={{lead.Full Name}}' });
    const given = ctx({ lead: { 'Full Name': 'Dr. Sandy Smith' } });
    expect(codes(lintWebhook(w, { context: given }), 'lead-full-name-token')).toEqual([]);
    expect(renderWebhook(w, given).requestTarget).toBe('/?n=Dr.%20Sandy%20Smith');
  });
});

describe('mapped-value-outside-bmp', () => {
  const w = hook({
    responseType: 'json',
    mappings: [
      { attribute: 'title', field: 'Title' },
      { attribute: 'score', field: 'LeadScore' },
    ],
  });
  it('flags an emoji written to a String field, naming the mapping and the character', () => {
    const report = evaluateResponse(w, { status: 200, body: '{"title":"CEO 🚀","score":5}' });
    const d = codes(lintResponse({ status: 200, headers: [] }, report), 'mapped-value-outside-bmp');
    expect(d).toHaveLength(1);
    expect(d[0]?.location).toEqual({ part: 'mapping', index: 0, field: 'field' });
    expect(d[0]?.message).toContain('U+1F680');
  });
  it('is silent for BMP text (accents, CJK) and for a value not written', () => {
    expect(
      lintResponse(
        { status: 200, headers: [] },
        evaluateResponse(w, { status: 200, body: '{"title":"Directrice 東京"}' }),
      ),
    ).toEqual([]);
    expect(
      lintResponse({ status: 404, headers: [] }, evaluateResponse(w, { status: 404, body: '{"title":"🚀"}' })),
    ).toEqual([]);
  });
});

describe('service-needs-token-exchange', () => {
  it('flags 401 with WWW-Authenticate: Bearer', () => {
    const d = lintResponse({
      status: 401,
      headers: [{ name: 'WWW-Authenticate', value: 'Bearer realm="api", error="invalid_token"' }],
    });
    expect(d.map((x) => x.code)).toEqual(['service-needs-token-exchange']);
    expect(d[0]?.message).toContain('stateless');
  });
  it('is silent for Basic, for a 401 without the header, and for a 403', () => {
    expect(lintResponse({ status: 401, headers: [{ name: 'www-authenticate', value: 'Basic realm="x"' }] })).toEqual(
      [],
    );
    expect(lintResponse({ status: 401, headers: [] })).toEqual([]);
    expect(lintResponse({ status: 403, headers: [{ name: 'WWW-Authenticate', value: 'Bearer' }] })).toEqual([]);
  });
});

describe('rate-limited-not-retried', () => {
  it('flags 429, and any answer with Retry-After, saying Marketo does not retry', () => {
    const d = lintResponse({ status: 429, headers: [{ name: 'Retry-After', value: '30' }] });
    expect(d.map((x) => x.code)).toEqual(['rate-limited-not-retried']);
    expect(d[0]?.message).toContain('Retry-After: 30');
    expect(d[0]?.message).toContain('does not retry');
    expect(lintResponse({ status: 503, headers: [{ name: 'retry-after', value: '120' }] }).map((x) => x.code)).toEqual([
      'rate-limited-not-retried',
    ]);
    expect(lintResponse({ status: 429, headers: [] }).map((x) => x.code)).toEqual(['rate-limited-not-retried']);
  });
  it('is silent for an ordinary answer', () => {
    expect(lintResponse({ status: 200, headers: [{ name: 'Content-Type', value: 'application/json' }] })).toEqual([]);
  });
});
