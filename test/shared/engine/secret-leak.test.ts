import { describe, expect, it } from 'vitest';
import { lintDetailed, renderWebhook } from '@shared/engine';
import { maskSpans } from '@shared/engine/render';
import {
  tokenContextSchema,
  webhookSchema,
  type RenderedRequest,
  type SecretSpan,
  type TokenContextInput,
  type WebhookInput,
} from '@shared/model';

// A secret's value may appear in a rendered field only inside a secret span that covers it: a record
// or the preview masks by span, never by searching for the value, so anything else shows it.
const SECRET = 'Sup3rS3cret';
const PASSWORD = 'hunter2pw';

const wh = (w: Partial<WebhookInput>) => webhookSchema.parse({ name: 't', ...w });
const ctx = (c: Partial<TokenContextInput> = {}) =>
  tokenContextSchema.parse({ name: 'c', my: { key: { value: SECRET, secret: true } }, ...c });

function spansOf(r: RenderedRequest, part: SecretSpan['part'], index?: number): SecretSpan[] {
  return (r.secretSpans ?? []).filter((s) => s.part === part && (index === undefined || s.index === index));
}

/** Every shown or recorded text of the render, masked where its spans say a secret went. */
function shownTexts(r: RenderedRequest): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['url', maskSpans(r.url, spansOf(r, 'url'))],
    ['requestTarget', maskSpans(r.requestTarget, spansOf(r, 'target'))],
    ['body', maskSpans(r.body ?? '', spansOf(r, 'body'))],
    ['origin', r.origin ?? ''],
    ['host', r.host ?? ''],
  ];
  // The target as written and a browser's target: where one equals the target sent, the target's spans
  // cover it; where it differs, no span does.
  const target = (text: string): string => (text === r.requestTarget ? maskSpans(text, spansOf(r, 'target')) : text);
  out.push(['requestTargetAsWritten', target(r.requestTargetAsWritten)]);
  if (r.browserRequestTarget !== undefined) out.push(['browserRequestTarget', target(r.browserRequestTarget)]);
  r.headers.forEach((h, i) => {
    out.push([`header ${i} name`, h.name]);
    out.push([`header ${i} value`, maskSpans(h.value, spansOf(r, 'header', i))]);
  });
  for (const t of r.tokens) out.push([`token ${t.text}`, `${t.value} ${t.encoded}`]);
  for (const d of r.diagnostics) out.push([`diagnostic ${d.code}`, d.message]);
  return out;
}

function expectNoLeak(r: RenderedRequest, values: string[]): void {
  for (const [field, text] of shownTexts(r))
    for (const v of values) expect(text, `${field} shows the secret unmasked`).not.toContain(v);
}

const urls: Array<[string, string]> = [
  ['a secret My Token in the path', 'https://h.example/hook/{{my.key}}'],
  ['a secret My Token in the query', 'https://h.example/hook?k={{my.key}}'],
  ['a secret My Token in a path a browser rewrites', 'https://h.example/a/../hook/{{my.key}}?'],
  ['a secret My Token next to characters sent encoded', 'https://h.example/h ook/{{my.key}}/ü'],
  ['a secret My Token in a path with a dot segment', 'https://h.example/./{{my.key}}'],
  ['a secret My Token in a query a browser encodes', 'https://h.example/hook?q=a b&k={{my.key}}'],
  ['a secret My Token in the fragment', 'https://h.example/hook#{{my.key}}'],
  ['URL credentials', `https://user:${PASSWORD}@h.example/hook`],
  ['URL credentials and a path a browser rewrites', `https://user:${PASSWORD}@h.example/a/../b?`],
];

describe('no secret appears unmasked in what a render shows or records', () => {
  for (const [what, url] of urls) {
    it(`${what}: the sender's render (values filled in)`, () => {
      expectNoLeak(renderWebhook(wh({ url }), ctx()), [SECRET, PASSWORD]);
    });
    it(`${what}: lint over the render`, () => {
      expectNoLeak(lintDetailed(wh({ url }), { context: ctx() }).request, [SECRET, PASSWORD]);
    });
  }

  it('a secret whose value is itself sent percent-encoded (its span is found in the target sent)', () => {
    const r = renderWebhook(
      wh({ url: 'https://h.example/ü/{{my.key}}/x' }),
      ctx({ my: { key: { value: 'Sup3r S3cret', secret: true } } }),
    );
    expectNoLeak(r, ['Sup3r', 'S3cret']);
  });

  it('a secret My Token in the body and a header value', () => {
    const r = renderWebhook(
      wh({
        url: 'https://h.example/hook',
        template: '{"k":{{my.key}}}',
        encoding: 'json',
        headers: [{ name: 'X-Key', value: 'k {{my.key}}' }],
      }),
      ctx(),
    );
    expectNoLeak(r, [SECRET]);
  });
});

describe('a secret in the host is an error whatever the profile', () => {
  // Found in review: when the render's diagnostics were copied (an option reported without an assumption),
  // the secret checks wrote into the old list, so the sender never saw `secret-in-host`.
  for (const profile of [{}, { defaultContentType: 'text/plain' }]) {
    it(`profile ${JSON.stringify(profile)}`, () => {
      const r = renderWebhook(
        wh({ url: 'https://{{my.key}}/x', method: 'POST', template: 'a', encoding: 'none' }),
        ctx(),
        {
          profile,
        },
      );
      const codes = r.diagnostics.map((d) => d.code);
      expect(codes).toContain('secret-in-host');
      for (const d of r.diagnostics) expect(d.message).not.toContain(SECRET);
    });
  }
});
