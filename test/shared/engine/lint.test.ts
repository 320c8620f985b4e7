import { describe, expect, it } from 'vitest';
import { lintWebhook } from '@shared/engine';
import { tokenContextSchema, webhookSchema, type TokenContextInput, type WebhookInput } from '@shared/model';

const trigger: TokenContextInput = {
  name: 'trigger',
  lead: { 'First Name': 'Sandy', 'Company Name': 'Jack & Jill', Id: 5 },
  program: { Name: 'P' },
  campaign: { Name: 'C', Type: 'trigger' },
  trigger: { 'Trigger Name': 'Fills Out Form' },
};
const lint = (w: Partial<WebhookInput>, c: TokenContextInput = trigger) =>
  lintWebhook(webhookSchema.parse({ name: 'l', url: 'https://h.example/hook', ...w }), {
    context: tokenContextSchema.parse(c),
  });
const find = (ds: ReturnType<typeof lint>, code: string) => ds.filter((d) => d.code === code);
const json = [{ name: 'Content-Type', value: 'application/json' }];

describe('lint: Marketo pitfalls, each with a stable code and a location', () => {
  it('json-double-quoted-token: quotes around a token under JSON encoding', () => {
    const ds = lint({
      template: '{\n  "name": "{{lead.First Name}}",\n  "id": {{lead.Id}}\n}',
      encoding: 'json',
      headers: json,
    });
    const d = find(ds, 'json-double-quoted-token');
    expect(d).toHaveLength(1);
    expect(d[0]?.location).toEqual({ part: 'template', line: 2, column: 12, offset: 13, length: 19 });
    expect(find(ds, 'body-invalid-json')).toHaveLength(1);
  });

  it('does not flag tokens outside strings, or quotes that are escaped', () => {
    const ds = lint({ template: '{"a": "x\\\\"y", "b": {{lead.First Name}}}', encoding: 'json', headers: json });
    expect(find(ds, 'json-double-quoted-token')).toEqual([]);
    expect(find(ds, 'body-invalid-json')).toEqual([]);
  });

  it('none-encoding-unsafe-value: & = + % or quotes in a raw value', () => {
    const d = find(lint({ template: 'company={{lead.Company Name}}', encoding: 'none' }), 'none-encoding-unsafe-value');
    expect(d[0]?.message).toContain("'&'");
    expect(d[0]?.location).toMatchObject({ part: 'template', offset: 8, line: 1, column: 9 });
  });

  it('template-on-get', () => {
    expect(find(lint({ method: 'GET', template: 'x' }), 'template-on-get')[0]?.severity).toBe('warning');
  });

  it('invalid-escape with line and column', () => {
    const d = find(lint({ template: 'a\nb \\s' }), 'invalid-escape');
    expect(d[0]).toMatchObject({
      severity: 'error',
      location: { part: 'template', line: 2, column: 3, offset: 4, length: 2 },
    });
  });

  it('body-without-content-type', () => {
    expect(find(lint({ template: 'a=1' }), 'body-without-content-type')).toHaveLength(1);
    expect(
      find(
        lint({ template: 'a=1', headers: [{ name: 'content-type', value: 'text/plain' }] }),
        'body-without-content-type',
      ),
    ).toEqual([]);
  });

  it('body-invalid-json points into the template, past the tokens before it', () => {
    const d = find(
      lint({ template: '{"a": {{lead.First Name}} "b": 1}', encoding: 'json', headers: json }),
      'body-invalid-json',
    );
    expect(d[0]?.location).toMatchObject({ part: 'template', offset: 26 });
  });

  it('body-invalid-xml', () => {
    const d = find(
      lint({
        template: '<a>\n<b>{{lead.First Name}}</a>',
        headers: [{ name: 'Content-Type', value: 'application/xml' }],
      }),
      'body-invalid-xml',
    );
    expect(d[0]?.location).toMatchObject({ part: 'template', line: 2 });
  });

  it('token-out-of-scope: trigger tokens in a batch campaign, program tokens without a program', () => {
    const ds = lint(
      { template: '{{trigger.Trigger Name}} {{program.Name}} {{member.webinar url}}' },
      { name: 'batch', campaign: { Type: 'batch' } },
    );
    expect(find(ds, 'token-out-of-scope').map((d) => d.location?.offset)).toEqual([0, 25, 42]);
    expect(find(ds, 'batch-campaign')[0]).toMatchObject({ severity: 'error' });
    expect(find(lint({ template: '{{trigger.Trigger Name}} {{program.Name}}' }), 'token-out-of-scope')).toEqual([]);
  });

  it('invalid-mapping-path with its column', () => {
    const d = find(
      lint({ responseType: 'json', mappings: [{ attribute: 'orders["0"].x', field: 'Title' }] }),
      'invalid-mapping-path',
    );
    expect(d[0]).toMatchObject({
      severity: 'error',
      location: { part: 'mapping', index: 0, field: 'attribute', column: 7 },
    });
  });

  it('mapping targets: unknown, display or REST name instead of SOAP, REST-only, read-only', () => {
    const ds = lint({
      responseType: 'json',
      mappings: [
        { attribute: 'a', field: 'Nope' },
        { attribute: 'b', field: 'Company Name' },
        { attribute: 'c', field: 'company' },
        { attribute: 'd', field: 'Inferred City' },
        { attribute: 'e', field: 'Id' },
        { attribute: 'f', field: 'Title' },
        { attribute: 'g', field: 'Title' },
      ],
    });
    expect(find(ds, 'mapping-unknown-field').map((d) => d.location?.index)).toEqual([0]);
    expect(find(ds, 'mapping-not-soap-name').map((d) => d.location?.index)).toEqual([1, 2]);
    expect(find(ds, 'mapping-not-soap-name')[1]?.message).toContain('REST name');
    expect(find(ds, 'mapping-rest-only-field').map((d) => d.location?.index)).toEqual([3]);
    expect(find(ds, 'mapping-read-only-field').map((d) => d.location?.index)).toEqual([4]);
    expect(find(ds, 'duplicate-mapping-field').map((d) => d.location?.index)).toEqual([6]);
  });

  it('mappings-response-type-none', () => {
    expect(find(lint({ mappings: [{ attribute: 'a', field: 'Title' }] }), 'mappings-response-type-none')).toHaveLength(
      1,
    );
  });

  it('unknown-token-namespace and url-token-unencoded', () => {
    const ds = lint({ url: 'https://h.example/?c={{lead.Company Name}}&x={{leed.Id}}' });
    expect(find(ds, 'unknown-token-namespace')[0]?.location).toEqual({ part: 'url', offset: 45, length: 11 });
    expect(find(ds, 'url-token-unencoded')[0]?.message).toContain("'&'");
  });

  it('encoding-content-type-mismatch', () => {
    expect(
      find(
        lint({ template: '{"a": {{lead.Id}}}', encoding: 'form-url', headers: json }),
        'encoding-content-type-mismatch',
      ),
    ).toHaveLength(1);
  });

  it('header-injection in a header from the file', () => {
    expect(find(lint({ headers: [{ name: 'X', value: 'a\nb' }] }), 'header-injection')[0]?.location).toMatchObject({
      part: 'header',
      index: 0,
      field: 'value',
    });
  });

  it('every diagnostic has a kebab-case code and, except summaries, a location', () => {
    const ds = lint(
      {
        url: 'https://h.example/a b?x={{lead.Company Name}}',
        method: 'GET',
        template: '"{{lead.First Name}}" \\q',
        encoding: 'json',
        mappings: [{ attribute: 'a..b', field: 'Nope' }],
      },
      { name: 'batch', campaign: { Type: 'batch' } },
    );
    expect(ds.length).toBeGreaterThan(6);
    for (const d of ds) {
      expect(d.code).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      if (d.code !== 'profile-assumptions') expect(d.location, d.code).toBeDefined();
    }
    expect(ds.at(-1)?.code).toBe('profile-assumptions');
  });

  it('a clean webhook lints clean apart from the assumptions summary', () => {
    const ds = lint({
      template: '{"name": {{lead.First Name}}, "id": {{lead.Id}}}',
      encoding: 'json',
      headers: json,
      responseType: 'json',
      mappings: [{ attribute: 'title', field: 'Title' }],
    });
    expect(ds.filter((d) => d.severity !== 'info')).toEqual([]);
  });
});

describe('lint: said once, errors first, advice that fits the body (issue 15)', () => {
  const order = { error: 0, warning: 1, info: 2 } as const;

  it('errors come before warnings, warnings before notes', () => {
    const ds = lint({
      template: 'company={{lead.Company Name}}',
      encoding: 'none',
      responseType: 'json',
      mappings: [{ attribute: 'a..b', field: 'Title' }],
    });
    expect(ds.some((d) => d.severity === 'error')).toBe(true);
    const ranks = ds.map((d) => order[d.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('an out-of-scope token is warned once, not also as a token with no value', () => {
    const ds = lint({ template: 'x={{program.Name}}' }, { name: 'c', lead: {}, campaign: { Type: 'trigger' } });
    expect(
      ds
        .filter((d) => d.location?.offset === 2 && d.location.part === 'template' && d.severity === 'warning')
        .map((d) => d.code),
    ).toEqual(['token-out-of-scope']);
  });

  it('an XML body under encoding None is not told to use Form/Url or JSON for the form characters', () => {
    const d = find(
      lint({
        template: '<r><c>{{lead.Company Name}}</c></r>',
        encoding: 'none',
        headers: [{ name: 'Content-Type', value: 'application/xml' }],
      }),
      'none-encoding-unsafe-value',
    );
    expect(d).toHaveLength(1);
    expect(d[0]?.message).not.toContain('Form/Url or JSON');
    expect(d[0]?.message).toContain('XML');
  });

  it('a JSON body without a Content-Type is told to add Content-Type: application/json', () => {
    const d = find(lint({ template: '{"a": {{lead.Id}}}', encoding: 'json' }), 'encoding-content-type-mismatch');
    expect(d).toHaveLength(1);
    expect(d[0]?.message).toContain('Content-Type: application/json');
    expect(d[0]?.message).not.toContain('use Form/Url');
  });

  it('an empty lead value under Form/Url is warned like an absent one', () => {
    const ds = lint(
      { template: 'To={{lead.Email Address}}&n={{lead.First Name}}', encoding: 'form-url' },
      { name: 'c', lead: { 'Email Address': '', 'First Name': 'Sandy' } },
    );
    const d = find(ds, 'empty-token-value');
    expect(d).toHaveLength(1);
    expect(d[0]?.location).toMatchObject({ part: 'template', offset: 3 });
    const absent = lint({ template: 'To={{lead.Email Address}}', encoding: 'form-url' }, { name: 'c', lead: {} });
    expect(absent.some((x) => x.severity === 'warning' && x.location?.offset === 3)).toBe(true);
  });
});
