import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBundle, parseBundle } from '@shared/formats/bundle';
import {
  canonicalOf,
  folderOfWebhookPath,
  kindOfPath,
  slugify,
  webhookDiskForm,
} from '@shared/formats/collection-files';
import { contextsFromLeadsCsv } from '@shared/formats/leads-csv';
import { toMarketoSheet } from '@shared/formats/marketo-sheet';
import { formatYamlText, freshYaml, readYaml } from '@shared/formats/yaml-file';
import { defaultFieldCatalog } from '@shared/catalog';
import { webhookSchema } from '@shared/model';

describe('paths', () => {
  it('knows which files belong to a collection', () => {
    expect(kindOfPath('collection.yaml')).toBe('settings');
    expect(kindOfPath('fields.yaml')).toBe('fields');
    expect(kindOfPath('webhooks/a/b/c.webhook.yaml')).toBe('webhook');
    expect(kindOfPath('contexts/x.context.yaml')).toBe('context');
    expect(kindOfPath('contexts/sub/x.context.yaml')).toBeUndefined();
    expect(kindOfPath('webhooks/.x.webhook.yaml.123.tmp')).toBeUndefined();
    expect(kindOfPath('webhooks/.hidden/x.webhook.yaml')).toBeUndefined();
    expect(kindOfPath('.studio/history/index.json')).toBeUndefined();
    expect(folderOfWebhookPath('webhooks/a/b/c.webhook.yaml')).toBe('a/b');
    expect(folderOfWebhookPath('webhooks/c.webhook.yaml')).toBe('');
  });

  it('slugs are lower-case letters, digits and dashes, with a fallback', () => {
    expect(slugify('Send SMS (Form/Url)', 'w')).toBe('send-sms-form-url');
    expect(slugify('Crème brûlée', 'w')).toBe('creme-brulee');
    expect(slugify('日本語', 'webhook')).toBe('webhook');
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(slugify(s, 'x')).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      }),
    );
  });
});

describe('fmt is idempotent for any webhook, whatever key order it was written in', () => {
  it('holds for random webhooks and shuffled keys', () => {
    const arb = fc.record({
      name: fc.string({ minLength: 1 }),
      url: fc.string(),
      template: fc.string(),
      headers: fc.array(fc.record({ name: fc.string(), value: fc.string() }), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(arb, fc.integer(), (raw, seed) => {
        const w = webhookSchema.parse(raw);
        const form = webhookDiskForm(w);
        const keys = Object.keys(form).sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7));
        const shuffled = freshYaml(Object.fromEntries(keys.map((k) => [k, form[k]])));
        const value = readYaml(shuffled, 'w.yaml');
        if (!value.ok) throw new Error('unreadable');
        const once = formatYamlText(shuffled, canonicalOf('webhook', value.value));
        expect(formatYamlText(once, canonicalOf('webhook', value.value))).toBe(once);
        expect(Object.keys((readYaml(once, 'w.yaml') as { value: Record<string, unknown> }).value)).toEqual(
          Object.keys(form),
        );
      }),
      { numRuns: 150 },
    );
  });
});

describe('bundle', () => {
  it('round-trips and refuses paths outside a collection', () => {
    const w = webhookSchema.parse({
      name: 'A',
      url: 'https://a/',
      headers: [{ name: 'K', value: 'secret!', secret: true }],
    });
    const text = createBundle({
      fields: [],
      webhooks: [{ path: 'webhooks/a.webhook.yaml', webhook: w }],
      contexts: [],
    });
    expect(text).not.toContain('secret!');
    const back = parseBundle(text);
    expect(back.ok && back.bundle.webhooks[0]!.webhook).toEqual({
      ...w,
      headers: [{ name: 'K', value: '', secret: true }],
    });
    expect(
      parseBundle(
        '{"format":"webhook-studio-bundle","version":1,"webhooks":[{"path":"webhooks/../../x.webhook.yaml","webhook":{"name":"a","url":"b"}}]}',
      ),
    ).toMatchObject({ ok: false });
    expect(parseBundle('{"format":"other"}')).toMatchObject({ ok: false });
  });
});

describe('Marketo sheet', () => {
  it('flags mapping fields that are not in the catalog', () => {
    const w = webhookSchema.parse({
      name: 'A',
      url: 'u',
      mappings: [
        { attribute: 'a', field: 'Company' },
        { attribute: 'b', field: 'Nope__c' },
      ],
      template: 'has ``` fences',
    });
    const sheet = toMarketoSheet('C', [w], defaultFieldCatalog);
    expect(sheet.unknownFields).toEqual([{ webhook: 'A', field: 'Nope__c' }]);
    expect(sheet.text).toContain('| a | Company Name | Company |');
    expect(sheet.text).toContain('````\nhas ``` fences\n````');
  });

  it('flags an invalid mapping path and a field mapped twice', () => {
    const w = webhookSchema.parse({
      name: 'A',
      url: 'u',
      mappings: [
        { attribute: 'a..b', field: 'Company' },
        { attribute: 'c', field: 'Title' },
        { attribute: 'd', field: 'Title' },
      ],
    });
    const sheet = toMarketoSheet('C', [w], defaultFieldCatalog);
    expect(sheet.problems.map((p) => [p.mapping, p.message.split(':')[0]])).toEqual([
      [0, "'a..b' is not a Marketo path"],
      [2, 'Title is already mapped in row 2; the later row wins'],
    ]);
    expect(sheet.text).toContain('| a..b ⚠ | Company Name | Company |');
    expect(sheet.text).toContain('> ⚠ Row 3: Title is already mapped in row 2');
    expect(sheet.text).toContain('| c | Job Title | Title |');
  });
});

describe('lead CSV', () => {
  it('renames API-name columns to display names and keeps unknown columns, reporting them', () => {
    const r = contextsFromLeadsCsv('email,First Name,Custom X\na@x.example,Ann,1\n', 'l.csv', defaultFieldCatalog);
    expect(r.contexts[0]!.lead).toEqual({ 'Email Address': 'a@x.example', 'First Name': 'Ann', 'Custom X': '1' });
    expect(r.contexts[0]!.name).toBe('l: Ann');
    expect(r.notCarried).toEqual([{ item: 'column Custom X', reason: expect.stringContaining('no lead field') }]);
  });
});
