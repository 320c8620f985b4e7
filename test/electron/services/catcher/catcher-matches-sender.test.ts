import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatcher, type Catcher } from '@services/catcher/index';
import { createSender, type Sender } from '@services/sender/index';
import { httpMethods, tokenContextSchema, tokenEncodings, webhookSchema } from '@shared/model';

let catcher: Catcher;
let sender: Sender;

beforeAll(async () => {
  catcher = await startCatcher({ keep: 10 });
  sender = createSender({ proxy: 'none', catcherUrl: async () => catcher.url });
});
afterAll(async () => {
  await sender.close();
  await catcher.close();
});

const fieldNames = ['First Name', 'Last Name', 'Email', 'Company Name'];
const token = fc.constantFrom(
  ...fieldNames.map((f) => `{{lead.${f}}}`),
  '{{lead.Email:default=none@example.com}}',
  '{{my.Key}}',
);
const tokenValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    'a&b=c',
    '"quoted"',
    'back\\slash',
    'line\nbreak',
    'Müller & Söhne',
    '日本',
    '%26',
    '{x}',
    '<tag/>',
  ),
);
const pathPiece = fc.oneof(
  fc.constantFrom('a', 'b', '%26', '&', '|', '{}', '..', '#f', 'ü', '?q=1', '=', 'x y', '%zz', ';', '~'),
  token,
);
const text = (pieces: fc.Arbitrary<string>) =>
  fc.array(fc.oneof(pieces, token), { maxLength: 6 }).map((p) => p.join(''));
const headerName = fc.stringMatching(/^X-[A-Za-z0-9-]{1,12}$/);

const webhookArb = fc.record({
  method: fc.constantFrom(...httpMethods),
  path: fc.array(pathPiece, { maxLength: 6 }).map((p) => `/${p.join('')}`),
  template: text(fc.oneof(fc.string(), fc.constantFrom('{"k":', '}', '&', '=', '<a>', '</a>', '\\n', ' '))),
  encoding: fc.constantFrom(...tokenEncodings),
  headers: fc.array(fc.record({ name: headerName, value: text(fc.string()) }), { maxLength: 3 }),
});
const contextArb = fc.record({
  lead: fc.record(Object.fromEntries(fieldNames.map((f) => [f, tokenValue])) as Record<string, fc.Arbitrary<string>>),
  my: fc.record({ Key: tokenValue }),
});

describe('catcher bytes equal sender bytes', () => {
  it('for 1,000 random webhooks and contexts', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(webhookArb, contextArb, async (w, c) => {
        const webhook = webhookSchema.parse({
          name: 'random',
          url: `https://hooks.example.com${w.path}`,
          method: w.method,
          template: w.template,
          encoding: w.encoding,
          headers: w.headers,
        });
        const context = tokenContextSchema.parse({ name: 'random', lead: c.lead, my: c.my });
        const since = catcher.requests().at(-1)?.seq ?? 0;
        const ex = await sender.send({ sendId: `p-${since}`, webhook, context, target: 'catcher' });
        const caught = catcher.requests(since);
        if (ex.outcome === 'not-sent') {
          expect(caught).toEqual([]);
          return;
        }
        sent++;
        expect(ex.outcome).toBe('updated');
        expect(caught.length).toBe(1);
        const [r] = caught;
        expect(r?.head).toBe(ex.request.head);
        expect(r?.body).toBe(ex.request.body);
        expect(r?.bodyEncoding).toBe('utf8');
        expect(r?.target).toBe(ex.request.requestTarget);
        // The catcher stands in for the real host: the Host header still names it.
        expect(ex.request.head).toContain('\r\nhost: hooks.example.com\r\n');
      }),
      { numRuns: 1000 },
    );
    // Most random webhooks are sendable; the property is not vacuous.
    expect(sent).toBeGreaterThan(500);
  });
});
