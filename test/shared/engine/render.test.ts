import { describe, expect, it } from 'vitest';
import { lintWebhook, renderWebhook } from '@shared/engine';
import {
  tokenContextSchema,
  webhookSchema,
  type ProfileInput,
  type TokenContextInput,
  type WebhookInput,
} from '@shared/model';
import { renderVectors } from './spec-vectors';

const wh = (w: Partial<WebhookInput>) => webhookSchema.parse({ name: 't', url: 'https://h.example/hook', ...w });
const ctx = (c: Partial<TokenContextInput> = {}) => tokenContextSchema.parse({ name: 'c', ...c });
const render = (w: Partial<WebhookInput>, c: Partial<TokenContextInput> = {}, profile?: Partial<ProfileInput>) =>
  renderWebhook(wh(w), ctx(c), profile ? { profile } : undefined);
const codes = (r: { diagnostics: Array<{ code: string }> }) => r.diagnostics.map((d) => d.code);

describe('spec test vectors A–C (rendering, encoding, pre-parse, URL)', () => {
  for (const v of renderVectors) {
    it(`${v.id}: ${v.title}`, () => {
      const r = renderWebhook(webhookSchema.parse(v.webhook), tokenContextSchema.parse(v.context), {
        fields: v.fields,
        profile: v.profile,
      });
      if (v.body !== undefined) expect(r.body).toBe(v.body);
      if (v.requestTarget !== undefined) expect(r.requestTarget).toBe(v.requestTarget);
      if (v.headers) {
        const names = r.headers.map((h) => `${h.name}: ${h.value}`);
        let at = -1;
        for (const h of v.headers) {
          const i = names.indexOf(`${h.name}: ${h.value}`);
          expect(i, `${h.name}: ${h.value} in ${names.join(' | ')}`).toBeGreaterThan(at);
          at = i;
        }
      }
      // Render and lint diagnostics together: lint adds the pitfalls on top of the render's own.
      const all = [
        ...codes(r),
        ...lintWebhook(webhookSchema.parse(v.webhook), {
          context: tokenContextSchema.parse(v.context),
          fields: v.fields,
          profile: v.profile,
        }).map((d) => d.code),
      ];
      for (const c of v.codes ?? []) expect(all).toContain(c);
      for (const c of v.notCodes ?? []) expect(all).not.toContain(c);
    });
  }
});

describe('tokens', () => {
  it('resolves namespace and name case-insensitively, lead fields by display or SOAP name', () => {
    const r = render(
      {
        template: '{{Lead.first name}}|{{LEAD.FirstName}}|{{Company.Company Name}}|{{program.name}}',
        encoding: 'none',
      },
      {
        lead: { 'First Name': 'Sandy' },
        company: { 'Company Name': 'Acme' },
        program: { Name: 'Webinar' },
      },
    );
    expect(r.body).toBe('Sandy|Sandy|Acme|Webinar');
  });

  it('finds a lead value stored under the SOAP name when the token uses the display name', () => {
    expect(render({ template: '{{lead.Email Address}}' }, { lead: { Email: 'a@b.c' } }).body).toBe('a@b.c');
  });

  it('company tokens fall back to the lead', () => {
    expect(render({ template: '{{company.Company Name}}' }, { lead: { Company: 'Lead Co' } }).body).toBe('Lead Co');
  });

  it('an unresolved token renders empty and raises a warning naming it', () => {
    const r = render({ template: 'a{{lead.Nope}}b' });
    expect(r.body).toBe('ab');
    const d = r.diagnostics.find((x) => x.code === 'unresolved-token');
    expect(d?.severity).toBe('warning');
    expect(d?.message).toContain('{{lead.Nope}}');
    expect(d?.location).toMatchObject({ part: 'template', offset: 1, length: 13, line: 1, column: 2 });
  });

  it('a missing value takes the default without a warning', () => {
    const r = render({ template: '{{lead.Nope:default=x y}}' });
    expect(r.body).toBe('x y');
    expect(codes(r)).not.toContain('unresolved-token');
    expect(r.tokens[0]).toMatchObject({ usedDefault: true, resolved: true, default: 'x y' });
  });

  it('my tokens carry their type: a number goes in bare under JSON, text is quoted', () => {
    const r = render(
      { template: '{{my.Partner Id}},{{my.Label}},{{my.Plain}}', encoding: 'json' },
      {
        my: { 'Partner Id': { type: 'number', value: 42 }, Label: { type: 'text', value: '42' }, Plain: 'hi' },
      },
    );
    expect(r.body).toBe('42,"42","hi"');
  });

  it('a catalog number field goes in bare, an untyped string stays quoted', () => {
    const r = render(
      { template: '{{lead.Lead Score}} {{lead.Custom}}', encoding: 'json' },
      { lead: { 'Lead Score': '87', Custom: '5' } },
    );
    expect(r.body).toBe('87 "5"');
  });

  it('trigger, campaign and member tokens resolve from their tables', () => {
    const r = render(
      { template: '{{trigger.Trigger Name}}/{{campaign.id}}/{{member.webinar url}}' },
      {
        trigger: { 'Trigger Name': 'Fills Out Form' },
        campaign: { Id: 2002 },
        member: { 'Webinar URL': 'https://w' },
      },
    );
    expect(r.body).toBe('Fills Out Form/2002/https://w');
  });

  it('email-only system tokens are unresolved with a reason', () => {
    const r = render({ template: '{{system.unsubscribeLink}}' });
    expect(r.body).toBeNull();
    expect(r.diagnostics.find((d) => d.code === 'unresolved-token')?.message).toContain('email-only');
  });

  it('records where each token came from and where its value went', () => {
    const r = render(
      { url: 'https://h.example/u/{{lead.Id}}', template: 'x{{lead.First Name}}y', encoding: 'json' },
      { lead: { Id: 7, 'First Name': 'Ann' } },
    );
    const t = r.tokens.find((u) => u.part === 'template');
    expect(t).toMatchObject({
      sourceStart: 1,
      sourceEnd: 20,
      outputStart: 1,
      outputEnd: 6,
      value: 'Ann',
      encoded: '"Ann"',
    });
    expect(r.body?.slice(t?.outputStart, t?.outputEnd)).toBe('"Ann"');
    expect(r.tokens.find((u) => u.part === 'url')).toMatchObject({ value: '7', encoded: '7' });
  });

  it('token offsets point into the template as written when escapes precede them', () => {
    const r = render({ template: '\\n\\n{{lead.Id}}' }, { lead: { Id: 5 } });
    expect(r.body).toBe('\n\n5');
    expect(r.tokens[0]).toMatchObject({ sourceStart: 4, sourceEnd: 15, outputStart: 2, outputEnd: 3 });
  });

  it('a malformed default renders empty by default (assumed) or literally per profile', () => {
    const r = render({ template: '[{{lead.Company=edit me}}]' });
    expect(r.body).toBe('[]');
    const d = r.diagnostics.find((x) => x.code === 'malformed-default');
    expect(d?.assumed).toEqual(['malformedDefault']);
    const lit = render({ template: '[{{lead.Company=edit me}}]' }, {}, { malformedDefault: 'literal' });
    expect(lit.body).toBe('[{{lead.Company=edit me}}]');
    expect(lit.diagnostics.find((x) => x.code === 'malformed-default')?.assumed).toBeUndefined();
  });

  it('leaves mustache-like text that is not a Marketo token alone', () => {
    const t = '{{{lead.Id}}} \\{{x}} {{!c}} {{#if a}} {{foo.bar}} {{lead.}} {{ lead.Id}}';
    const r = render({ template: t.replace(/\\/g, '\\\\') }, { lead: { Id: 1 } });
    expect(r.body).toBe('{1} \\{{x}} {{!c}} {{#if a}} {{foo.bar}} {{lead.}} {{ lead.Id}}');
  });
});

describe('encodings and profile options', () => {
  it('JSON-escapes quotes, backslashes and control characters', () => {
    const r = render({ template: '{{lead.X}}', encoding: 'json' }, { lead: { X: 'a"b\\c\td\u0001' } });
    expect(r.body).toBe('"a\\"b\\\\c\\td\\u0001"');
    expect(JSON.parse(r.body ?? '')).toBe('a"b\\c\td\u0001');
  });

  it('jsonEscapeSlash and jsonNonAscii', () => {
    const c = { lead: { X: 'a/é😀' } };
    expect(render({ template: '{{lead.X}}', encoding: 'json' }, c).body).toBe('"a/é😀"');
    expect(
      render({ template: '{{lead.X}}', encoding: 'json' }, c, { jsonEscapeSlash: true, jsonNonAscii: 'escape' }).body,
    ).toBe('"a\\/\\u00e9\\ud83d\\ude00"');
  });

  it('jsonEmptyValue: "" by default, null by choice', () => {
    expect(render({ template: '{{lead.X}}', encoding: 'json' }, { lead: { X: '' } }).body).toBe('""');
    expect(
      render({ template: '{{lead.X}}', encoding: 'json' }, { lead: { X: '' } }, { jsonEmptyValue: 'null' }).body,
    ).toBe('null');
  });

  it('booleanFormat and jsonBooleanBare', () => {
    const c = { lead: { Unsubscribed: true } };
    expect(render({ template: '{{lead.Unsubscribed}}' }, c).body).toBe('true');
    expect(render({ template: '{{lead.Unsubscribed}}' }, c, { booleanFormat: 'TRUE-FALSE' }).body).toBe('TRUE');
    expect(render({ template: '{{lead.Unsubscribed}}' }, c, { booleanFormat: '1-0' }).body).toBe('1');
    expect(render({ template: '{{lead.Unsubscribed}}', encoding: 'json' }, c).body).toBe('"true"');
    expect(render({ template: '{{lead.Unsubscribed}}', encoding: 'json' }, c, { jsonBooleanBare: true }).body).toBe(
      'true',
    );
  });

  it('htmlEncodeTokens', () => {
    const c = { lead: { X: '<a href="x">&' } };
    expect(render({ template: '{{lead.X}}' }, c).body).toBe('<a href="x">&');
    expect(render({ template: '{{lead.X}}' }, c, { htmlEncodeTokens: true }).body).toBe(
      '&lt;a href=&quot;x&quot;&gt;&amp;',
    );
  });

  it('encodeDefaults: a default is encoded like a value unless turned off', () => {
    expect(render({ template: '{{lead.X:default=a b}}', encoding: 'form-url' }).body).toBe('a+b');
    expect(
      render({ template: '{{lead.X:default=a b}}', encoding: 'form-url' }, {}, { encodeDefaults: false }).body,
    ).toBe('a b');
  });

  it('form-url encodes UTF-8 bytes in upper-case hex', () => {
    expect(render({ template: '{{lead.X}}', encoding: 'form-url' }, { lead: { X: "é ~!*'()" } }).body).toBe(
      '%C3%A9+%7E%21*%27%28%29',
    );
  });

  it('encodingScope: URL and header tokens raw by default, encoded when the profile says so', () => {
    const w = {
      url: 'https://h.example/?q={{lead.X}}',
      encoding: 'form-url' as const,
      headers: [{ name: 'X-V', value: '{{lead.X}}' }],
    };
    const c = { lead: { X: 'a b&c' } };
    const body = render(w, c);
    expect(body.url).toBe('https://h.example/?q=a b&c');
    expect(body.headers.find((h) => h.name === 'X-V')?.value).toBe('a b&c');
    expect(body.tokens.find((t) => t.part === 'url')?.assumed).toContain('encodingScope');
    const url = render(w, c, { encodingScope: 'body-and-url' });
    expect(url.requestTarget).toBe('/?q=a+b%26c');
    expect(url.headers.find((h) => h.name === 'X-V')?.value).toBe('a b&c');
    const all = render(w, c, { encodingScope: 'all' });
    expect(all.headers.find((h) => h.name === 'X-V')?.value).toBe('a+b%26c');
  });

  it('templateOnGet: dropped by default (assumed), sent by choice', () => {
    const dropped = render({ method: 'GET', template: 'x=1' });
    expect(dropped.body).toBeNull();
    expect(dropped.headers.map((h) => h.name)).not.toContain('content-length');
    expect(dropped.diagnostics.find((d) => d.code === 'template-on-get')?.assumed).toEqual(['templateOnGet']);
    const sent = render({ method: 'GET', template: 'x=1' }, {}, { templateOnGet: 'send' });
    expect(sent.body).toBe('x=1');
    expect(sent.headers.at(-1)).toEqual({ name: 'content-length', value: '3' });
  });

  it('urlUnsafeCharacters: percent-encode as UTF-8 (warning) or refuse (error)', () => {
    const enc = render({ url: 'https://h.example/a b/ü' });
    expect(enc.requestTarget).toBe('/a%20b/%C3%BC');
    expect(enc.requestTargetAsWritten).toBe('/a b/ü');
    const unsafe = enc.diagnostics.filter((d) => d.code === 'url-unsafe-character');
    expect(unsafe).toHaveLength(2);
    expect(unsafe[0]).toMatchObject({
      severity: 'warning',
      location: { part: 'url', offset: 19, length: 1 },
      assumed: ['urlUnsafeCharacters'],
    });
    const refused = render({ url: 'https://h.example/a b' }, {}, { urlUnsafeCharacters: 'refuse' });
    expect(refused.diagnostics.find((d) => d.code === 'url-unsafe-character')?.severity).toBe('error');
    expect(refused.requestTarget).toBe('/a b');
    expect(refused.diagnostics.find((d) => d.code === 'url-unsafe-character')?.assumed).toBeUndefined();
  });

  it('defaultContentType and userAgent', () => {
    const r = render({ template: 'a=1' });
    expect(r.headers).toContainEqual({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
    expect(r.diagnostics.find((d) => d.code === 'body-without-content-type')?.assumed).toEqual(['defaultContentType']);
    const none = render({ template: 'a=1' }, {}, { defaultContentType: '', userAgent: 'Marketo/1' });
    expect(none.headers.map((h) => h.name)).toEqual(['host', 'connection', 'User-Agent', 'content-length']);
  });

  it('profile-assumptions lists the defaults that shaped the output, and not the ones the caller set', () => {
    const r = render({ template: 'a=1' }, {}, { defaultContentType: 'text/plain' });
    const d = r.diagnostics.find((x) => x.code === 'profile-assumptions');
    expect(d?.assumed).toContain('userAgent');
    expect(d?.assumed).not.toContain('defaultContentType');
  });
});

describe('headers: exactly what the sender writes, in wire order', () => {
  it('host, connection, custom headers in order, derived ones, content-length last', () => {
    const r = render(
      {
        url: 'https://u:p@API.Example.com:8443/x',
        template: 'héllo',
        headers: [
          { name: 'X-B', value: '2' },
          { name: 'x-a', value: '{{lead.Id}}' },
        ],
      },
      { lead: { Id: 9 } },
      { userAgent: 'UA' },
    );
    expect(r.headers).toEqual([
      { name: 'host', value: 'api.example.com:8443' },
      { name: 'connection', value: 'keep-alive' },
      { name: 'X-B', value: '2' },
      { name: 'x-a', value: '9' },
      { name: 'Authorization', value: 'Basic dTpw' },
      { name: 'Content-Type', value: 'application/x-www-form-urlencoded' },
      { name: 'User-Agent', value: 'UA' },
      { name: 'content-length', value: '6' },
    ]);
    expect(r.origin).toBe('https://api.example.com:8443');
    expect(r.host).toBe('api.example.com:8443');
  });

  it('a custom Authorization and Content-Type win over derived ones; default ports are dropped', () => {
    const r = render({
      url: 'https://u:p@h.example:443/',
      template: '{}',
      headers: [
        { name: 'authorization', value: 'Bearer t' },
        { name: 'content-type', value: 'application/json' },
      ],
    });
    expect(r.headers.filter((h) => h.name.toLowerCase() === 'authorization')).toEqual([
      { name: 'authorization', value: 'Bearer t' },
    ]);
    expect(r.headers.filter((h) => h.name.toLowerCase() === 'content-type')).toHaveLength(1);
    expect(r.headers[0]).toEqual({ name: 'host', value: 'h.example' });
  });

  it('content-length: 0 for POST, PUT and PATCH without a body; none for GET and DELETE', () => {
    for (const method of ['POST', 'PUT', 'PATCH'] as const)
      expect(render({ method }).headers.at(-1)).toEqual({ name: 'content-length', value: '0' });
    for (const method of ['GET', 'DELETE'] as const)
      expect(render({ method }).headers.map((h) => h.name)).not.toContain('content-length');
    expect(render({ method: 'DELETE', template: 'x' }).headers.at(-1)).toEqual({ name: 'content-length', value: '1' });
  });

  it('content-length counts UTF-8 bytes', () => {
    expect(render({ template: 'é😀' }).headers.at(-1)?.value).toBe('6');
  });

  it('CR, LF or NUL in a header is header-injection, naming the header and the token', () => {
    const fromFile = render({ headers: [{ name: 'X-A', value: 'a\r\nX-Injected: 1' }] });
    const d = fromFile.diagnostics.find((x) => x.code === 'header-injection');
    expect(d).toMatchObject({ severity: 'error', location: { part: 'header', index: 0, field: 'value' } });
    expect(fromFile.headers.map((h) => h.name)).not.toContain('X-A');
    const fromToken = render({ headers: [{ name: 'X-A', value: 'v={{lead.X}}' }] }, { lead: { X: 'a\u0000b' } });
    const t = fromToken.diagnostics.find((x) => x.code === 'header-injection');
    expect(t?.message).toContain('{{lead.X}}');
    expect(t?.message).toContain('X-A');
    expect(t?.location).toMatchObject({ offset: 2, length: 10 });
  });

  it('line breaks in token values become spaces, so they cannot split a header', () => {
    const r = render({ headers: [{ name: 'X-A', value: '{{lead.X}}' }] }, { lead: { X: 'a\r\nb' } });
    expect(r.headers).toContainEqual({ name: 'X-A', value: 'a b' });
  });

  it('refuses header names undici refuses, and lets Host and Connection replace the defaults', () => {
    const r = render({
      headers: [
        { name: 'Content-Length', value: '5' },
        { name: 'Bad Name', value: 'x' },
        { name: 'Host', value: 'other.example' },
        { name: 'Connection', value: 'close' },
      ],
    });
    expect(codes(r)).toEqual(
      expect.arrayContaining(['reserved-header', 'invalid-header-name', 'host-header-override']),
    );
    expect(r.headers.slice(0, 2)).toEqual([
      { name: 'host', value: 'other.example' },
      { name: 'connection', value: 'close' },
    ]);
    expect(r.headers.map((h) => h.name)).toEqual(['host', 'connection', 'content-length']);
  });

  it('a batch campaign is an error (code 1000): Marketo does not send', () => {
    const r = render({}, { campaign: { Type: 'batch' } });
    const d = r.diagnostics.find((x) => x.code === 'batch-campaign');
    expect(d?.severity).toBe('error');
    expect(d?.message).toContain('1000');
  });
});

describe('verbatim URL', () => {
  it('keeps # and .. and backslashes; reports what a browser would send instead', () => {
    const r = render({ url: 'https://h.example/a/../b/./c\\d?x={"q"}#frag' });
    expect(r.requestTarget).toBe('/a/../b/./c\\d?x={"q"}#frag');
    expect(r.browserRequestTarget).toBe('/b/c/d?x={%22q%22}');
    expect(codes(r)).toContain('url-browser-differs');
  });

  it('an empty path becomes /, keeping the query', () => {
    expect(render({ url: 'https://h.example?a=1' }).requestTarget).toBe('/?a=1');
    expect(render({ url: 'http://h.example' }).requestTarget).toBe('/');
  });

  it('rejects non-HTTP schemes and missing hosts', () => {
    expect(codes(render({ url: 'ftp://h.example/x' }))).toContain('unsupported-scheme');
    expect(codes(render({ url: 'h.example/x' }))).toContain('url-invalid');
    expect(codes(render({ url: 'https:///x' }))).toContain('url-invalid');
    expect(codes(render({ url: 'https://h.example:99999/' }))).toContain('url-invalid-port');
  });

  it('an unsafe character from a token points at the token in the URL as written', () => {
    const r = render({ url: 'https://h.example/?q={{lead.X}}' }, { lead: { X: 'a b' } });
    expect(r.diagnostics.find((d) => d.code === 'url-unsafe-character')?.location).toEqual({
      part: 'url',
      offset: 21,
      length: 10,
    });
  });

  it('credentials are percent-decoded into the Basic header and kept out of host', () => {
    const r = render({ url: 'https://us%40er:p%3Ass@h.example/' });
    expect(r.headers).toContainEqual({
      name: 'Authorization',
      value: `Basic ${Buffer.from('us@er:p:ss').toString('base64')}`,
    });
    expect(r.host).toBe('h.example');
  });

  it('IDN hosts go out in punycode', () => {
    const r = render({ url: 'https://bücher.example/' });
    expect(r.host).toBe('xn--bcher-kva.example');
  });
});

describe('assumptions on tokens', () => {
  it('a Boolean token carries booleanFormat', () => {
    const r = render({ template: '{{lead.Unsubscribed}}' }, { lead: { Unsubscribed: false } });
    expect(r.tokens[0]?.assumed).toEqual(['booleanFormat']);
    expect(
      render({ template: '{{lead.Unsubscribed}}' }, { lead: { Unsubscribed: false } }, { booleanFormat: 'true-false' })
        .tokens[0]?.assumed,
    ).toBeUndefined();
  });
});

describe('system clock', () => {
  it('says when the machine clock or UTC stood in for the context', () => {
    const r = render({ template: '{{system.dateTime}}' });
    expect(r.body).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(r.diagnostics.find((d) => d.code === 'system-clock')?.message).toMatch(/current time.*UTC/);
    const utc = render({ template: '{{system.dateTime}}' }, { system: { now: '2026-01-02T03:04:05Z' } });
    expect(utc.body).toBe('2026-01-02 03:04:05');
    expect(utc.diagnostics.find((d) => d.code === 'system-clock')?.message).not.toContain('current time');
    expect(
      codes(
        render({ template: '{{system.date}}' }, { system: { now: '2026-01-02T03:04:05Z', timeZone: 'Asia/Kolkata' } }),
      ),
    ).not.toContain('system-clock');
  });

  it('formats midnight and noon in 12-hour time, and half-hour offsets', () => {
    const at = (now: string, timeZone: string) =>
      render({ template: '{{system.time}}' }, { system: { now, timeZone } }).body;
    expect(at('2026-06-01T00:05:00Z', 'UTC')).toBe('12:05 AM (GMT +0000)');
    expect(at('2026-06-01T12:05:00Z', 'UTC')).toBe('12:05 PM (GMT +0000)');
    expect(at('2026-06-01T12:05:00Z', 'Asia/Kolkata')).toBe('05:35 PM (GMT +0530)');
  });

  it('an unknown time zone is unresolved with the reason', () => {
    const r = render(
      { template: '{{system.date}}' },
      { system: { now: '2026-01-02T03:04:05Z', timeZone: 'Mars/Base' } },
    );
    expect(r.diagnostics.find((d) => d.code === 'unresolved-token')?.message).toContain('Mars/Base');
  });
});

describe('a render without token uses (tokenUses: false, as the sender renders)', () => {
  const cases: Array<[string, Partial<WebhookInput>, Partial<TokenContextInput>, string[]]> = [
    [
      'tokens in URL, template and a header',
      {
        url: 'https://h.example/p?e={{lead.Email}}&n={{lead.First Name:default=you}}',
        encoding: 'json',
        template: '{"e":{{lead.Email}},"c":{{company.Name}}}',
        headers: [{ name: 'X-Lead', value: '{{lead.Last Name}}' }],
      },
      { lead: { Email: 'a&b@example.com', 'Last Name': 'Müller' } },
      ['unresolved-token'],
    ],
    [
      'unsafe URL characters from a token, positions mapped back',
      { url: 'https://h.example/p/{{lead.Last Name}}/x y?q={{lead.Email}}' },
      { lead: { 'Last Name': 'O Brien|é', Email: 'k@e.com' } },
      ['url-unsafe-character'],
    ],
    [
      'header injection from a token names it',
      { headers: [{ name: 'X-A', value: 'v-{{lead.Title}}' }], template: 'x={{lead.Title}}' },
      { lead: { Title: 'a\u0000Injected: 1' } },
      ['header-injection'],
    ],
    [
      'malformed defaults, unresolved tokens, form encoding',
      {
        encoding: 'form-url',
        template: 'a={{lead.Nope}}&b={{lead.Email=x}}&c={{my.Thing}}',
        url: 'https://h.example/{{my.Path}}',
      },
      {},
      ['malformed-default', 'unresolved-token'],
    ],
  ];
  for (const [title, w, c, expected] of cases) {
    it(`${title}: the same request and diagnostics as the full render, with no token uses`, () => {
      const full = renderWebhook(wh(w), ctx(c));
      expect(codes(full)).toEqual(expect.arrayContaining(expected));
      if (expected.includes('header-injection'))
        expect(full.diagnostics.find((d) => d.code === 'header-injection')?.message).toContain(
          'from the value of {{lead.Title}}',
        );
      const lean = renderWebhook(wh(w), ctx(c), { tokenUses: false });
      expect(full.tokens.length).toBeGreaterThan(0);
      expect(lean.tokens).toEqual([]);
      expect({ ...lean, tokens: full.tokens }).toEqual(full);
    });
  }
});
