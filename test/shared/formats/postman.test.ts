import { describe, expect, it } from 'vitest';
import { fromPostman, toPostman } from '@shared/formats/postman';
import { detectImportFormat } from '@shared/formats/detect';
import { renderWebhook } from '@shared/engine';
import { tokenContextSchema, webhookSchema } from '@shared/model';

describe('Postman export', () => {
  it('holds the rendered bytes, folders, no client headers and placeholders for secrets', () => {
    const w = webhookSchema.parse({
      name: 'W',
      url: 'https://a.example/x?y=1',
      template: 'b={{lead.Email Address}}',
      encoding: 'form-url',
      headers: [{ name: 'X-Key', value: '', secret: true }],
    });
    const r = renderWebhook(w, tokenContextSchema.parse({ name: 'c', lead: { 'Email Address': 'a+b@x.example' } }));
    const doc = JSON.parse(
      toPostman('Col', [{ name: 'W', folder: 'crm/leads', rendered: r, secretHeaders: ['X-Key'] }]),
    );
    expect(doc.info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    const item = doc.item[0].item[0].item[0];
    expect(doc.item[0].name).toBe('crm');
    expect(item.request.url).toBe('https://a.example/x?y=1');
    expect(item.request.body).toEqual({ mode: 'raw', raw: 'b=a%2Bb%40x.example' });
    expect(item.request.header.map((h: { key: string }) => h.key.toLowerCase())).not.toContain('host');
    expect(item.request.header).toContainEqual({ key: 'X-Key', value: '{{secret X-Key}}' });
    expect(item.protocolProfileBehavior).toMatchObject({
      disableUrlEncoding: true,
      disabledSystemHeaders: { 'user-agent': true, 'postman-token': true },
    });
    expect(doc.variable).toEqual([{ key: 'secret X-Key', value: '', type: 'secret' }]);
  });
});

describe('Postman import', () => {
  it('refuses v1 and non-collections with a reason', () => {
    expect(
      fromPostman({
        info: { name: 'x', schema: 'https://schema.getpostman.com/json/collection/v1.0.0/collection.json' },
        item: [],
      }),
    ).toMatchObject({ ok: false, message: expect.stringContaining('v2.1') });
    expect(fromPostman([])).toMatchObject({ ok: false });
  });

  it('builds the URL from parts when there is no raw URL, and doubles backslashes so the body survives the pre-parse', () => {
    const r = fromPostman({
      info: { name: 'x' },
      item: [
        {
          name: 'a',
          request: {
            method: 'POST',
            url: {
              protocol: 'https',
              host: ['api', 'example', 'com'],
              path: ['v1', 'x'],
              query: [
                { key: 'q', value: '1' },
                { key: 'off', value: '2', disabled: true },
              ],
            },
            body: { mode: 'raw', raw: 'a\\nb' },
          },
        },
      ],
    });
    expect(r.ok && r.value.webhooks[0]!.webhook).toMatchObject({
      url: 'https://api.example.com/v1/x?q=1',
      template: 'a\\\\nb',
    });
    if (r.ok)
      expect(renderWebhook(r.value.webhooks[0]!.webhook, tokenContextSchema.parse({ name: 'c' })).body).toBe('a\\nb');
  });
});

describe('format detection', () => {
  it('tells the formats apart by content and name', () => {
    expect(detectImportFormat('x.json', '{"info":{"name":"a"},"item":[]}')).toBe('postman');
    expect(detectImportFormat('x.json', '{"format":"webhook-studio-bundle","version":1}')).toBe('bundle');
    expect(detectImportFormat('x.json', '{"result":[{"displayName":"A","dataType":"string"}]}')).toBe('describe');
    expect(detectImportFormat('cmd.txt', '  curl https://x/')).toBe('curl');
    expect(detectImportFormat('leads.CSV', 'a,b\n1,2')).toBe('leads-csv');
    expect(detectImportFormat('x.json', '{nope')).toBeUndefined();
    expect(detectImportFormat('x.txt', 'hello')).toBeUndefined();
  });
});
