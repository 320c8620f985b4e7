import { describe, expect, it } from 'vitest';
import { lintWebhook } from '@shared/engine';
import { tokenContextSchema, webhookSchema, type WebhookInput } from '@shared/model';

const lint = (w: Partial<WebhookInput>) =>
  lintWebhook(webhookSchema.parse({ name: 'l', url: 'https://h.example/hook', ...w }), {
    context: tokenContextSchema.parse({ name: 'c', lead: { 'Email Address': 'ada@example.com' } }),
  }).filter((d) => d.code === 'unknown-lead-field');

describe('lint: unknown-lead-field offers the nearest lead field', () => {
  it('names the field a mistyped lead token meant, in the template, URL and headers', () => {
    const ds = lint({
      url: 'https://h.example/hook?e={{lead.Email Addr}}',
      template: 'a\n{{lead.Frist Name}}',
      headers: [{ name: 'X-Company', value: '{{company.Compny Name}}' }],
    });
    expect(ds.map((d) => d.message)).toEqual([
      'unknown lead field "Email Addr" in {{lead.Email Addr}}: did you mean Email Address ({{lead.Email Address}})? Marketo renders an unknown field empty',
      'unknown lead field "Frist Name" in {{lead.Frist Name}}: did you mean First Name ({{lead.First Name}})? Marketo renders an unknown field empty',
      'unknown lead field "Compny Name" in {{company.Compny Name}}: did you mean Company Name ({{company.Company Name}})? Marketo renders an unknown field empty',
    ]);
    expect(ds[0]?.location).toEqual({ part: 'url', offset: 25, length: 19 });
    expect(ds[1]?.location).toEqual({ part: 'template', line: 2, column: 1, offset: 2, length: 19 });
    expect(ds[2]?.location).toMatchObject({ part: 'header', index: 0, field: 'value' });
  });

  it('says nothing of known names, any of their spellings, Full Name, or names close to no field', () => {
    const ds = lint({
      template: '{{lead.Email Address}} {{lead.email}} {{lead.FirstName}} {{lead.Full Name}} {{lead.Favourite Colour}}',
    });
    expect(ds).toEqual([]);
  });
});
