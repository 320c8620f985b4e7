import { describe, expect, it } from 'vitest';
import {
  documentLimits,
  formatFileProblem,
  parseCatalogDocument,
  parseContextDocument,
  parseProfileDocument,
  parseWebhookDocument,
} from '@shared/formats/documents';

const issueWebhook = `name: Enrich lead
description: Looks the lead up by email
url: https://api.example.com/enrich?email={{lead.Email Address}}
method: POST              # GET | POST | PUT | PATCH | DELETE
template: '{"email": {{lead.Email Address}}, "company": {{company.Company Name}}}'
encoding: json            # none | json | form-url
responseType: json        # none | json | xml
headers:
  - name: Content-Type
    value: application/json
mappings:
  - attribute: person.employment.title
    field: Title          # SOAP API name of the lead field
`;

const issueContext = `name: Sandy, trigger campaign
lead:                     # keys: display name or SOAP API name
  First Name: Sandy
  Email Address: sandy@example.com
  Id: 1234
company:
  Company Name: Jack & Jill Construction
my:
  Partner Id: { type: number, value: 42 }   # or a plain value (text)
program: { Name: Spring Webinar, Id: 1001, Description: ... }
campaign: { Name: Enrich on form fill, Id: 2002, Description: ..., Type: trigger }   # trigger | batch
trigger: { Trigger Name: Fills Out Form, Name: Contact Us }
system: { now: '2026-11-27T16:00:00Z', timeZone: America/Chicago }
`;

describe('the file formats of issue 2', () => {
  it('reads the example webhook', () => {
    const r = parseWebhookDocument(issueWebhook, 'enrich.webhook.yaml');
    expect(r.ok && r.value).toMatchObject({
      name: 'Enrich lead',
      method: 'POST',
      encoding: 'json',
      mappings: [{ attribute: 'person.employment.title', field: 'Title' }],
    });
  });

  it('reads the example context', () => {
    const r = parseContextDocument(issueContext, 'sandy.context.yaml');
    expect(r.ok && r.value).toMatchObject({
      lead: { Id: 1234 },
      my: { 'Partner Id': { type: 'number', value: 42 } },
      campaign: { Type: 'trigger' },
    });
  });

  it('reads JSON too', () => {
    const r = parseWebhookDocument('{"name": "j", "url": "https://h.example/"}', 'w.json');
    expect(r.ok && r.value).toMatchObject({ name: 'j', method: 'POST', encoding: 'none', headers: [] });
  });

  it('reads a field catalog list and a Describe Lead response', () => {
    const list = parseCatalogDocument(
      '- displayName: Partner Id\n  soapName: Partner_Id__c\n  restName: partnerId\n  type: integer\n',
      'fields.yaml',
    );
    expect(list.ok && list.value).toEqual([
      { displayName: 'Partner Id', soapName: 'Partner_Id__c', restName: 'partnerId', type: 'integer' },
    ]);
    const describe = parseCatalogDocument(
      '{"result":[{"displayName":"A","dataType":"string","soap":{"name":"A"}},{"displayName":"B","dataType":"formula"}]}',
      'describe.json',
    );
    expect(describe.ok && describe.value).toEqual([{ displayName: 'A', type: 'string', soapName: 'A' }]);
    expect(describe.ok && describe.warnings?.[0]?.message).toContain("'formula'");
  });

  it('a profile keeps only the options it sets', () => {
    const r = parseProfileDocument('jsonEscapeSlash: true\ntimeoutMs: 5000\n', 'profile.yaml');
    expect(r.ok && r.value).toEqual({ jsonEscapeSlash: true, timeoutMs: 5000 });
  });
});

describe('problems name the file, the field path, the line and what was expected', () => {
  it('a wrong enum value', () => {
    const r = parseWebhookDocument(issueWebhook.replace('method: POST', 'method: FETCH'), 'w.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      {
        file: 'w.yaml',
        line: 4,
        column: 9,
        path: 'method',
        code: 'invalid-value',
        message: expect.stringContaining('expected one of "GET", "POST"'),
      },
    ]);
    expect(formatFileProblem(r.problems[0]!)).toMatch(/^w\.yaml:4:9: method: expected one of/);
  });

  it('a missing required field points at its parent', () => {
    const r = parseWebhookDocument('name: x\nurl: https://h/\nmappings:\n  - attribute: a\n', 'w.yaml');
    expect(!r.ok && r.problems).toEqual([
      {
        file: 'w.yaml',
        line: 4,
        column: 5,
        path: 'mappings.0.field',
        code: 'missing-field',
        message: expect.stringContaining('required'),
      },
    ]);
  });

  it('an unknown field is named at its key', () => {
    const r = parseWebhookDocument('name: x\nurl: https://h/\nheaders:\n  - name: A\n    valu: b\n', 'w.yaml');
    expect(!r.ok && r.problems).toEqual([
      {
        file: 'w.yaml',
        line: 5,
        column: 5,
        path: 'headers.0.valu',
        code: 'unknown-field',
        message: expect.stringContaining("'valu'"),
      },
    ]);
  });

  it('a wrong type says what it found', () => {
    const r = parseContextDocument('name: c\nlead: [1, 2]\n', 'c.yaml');
    expect(!r.ok && r.problems[0]).toMatchObject({
      line: 2,
      column: 7,
      path: 'lead',
      message: expect.stringContaining('found a list'),
    });
  });

  it('YAML syntax errors carry line and column', () => {
    const r = parseWebhookDocument('name: x\nurl: [unclosed\n', 'w.yaml');
    expect(!r.ok && r.problems[0]).toMatchObject({
      code: 'yaml-syntax',
      line: expect.any(Number),
      column: expect.any(Number),
    });
  });

  it('a top-level list where a webhook is expected', () => {
    expect(parseWebhookDocument('- a\n- b\n', 'w.yaml')).toMatchObject({
      ok: false,
      problems: [{ code: 'invalid-value', line: 1 }],
    });
  });
});

describe('hostile or broken input is refused clearly', () => {
  const code = (r: ReturnType<typeof parseWebhookDocument>) => (r.ok ? 'ok' : r.problems[0]?.code);

  it('an empty file', () => {
    expect(code(parseWebhookDocument('', 'w.yaml'))).toBe('empty-file');
    expect(code(parseWebhookDocument('  \n# only a comment\n', 'w.yaml'))).toBe('empty-file');
    expect(code(parseWebhookDocument(' \n\n', 'w.yaml'))).toBe('empty-file');
  });

  it('a file over the size limit', () => {
    expect(code(parseWebhookDocument(`name: x\nurl: ${'a'.repeat(documentLimits.maxBytes)}\n`, 'w.yaml'))).toBe(
      'file-too-large',
    );
  });

  it('binary content', () => {
    expect(code(parseWebhookDocument('name: x\u0000\u0001\u0002', 'w.yaml'))).toBe('binary-file');
  });

  it('duplicate keys, with their line', () => {
    const r = parseWebhookDocument('name: x\nurl: https://h/\nname: y\n', 'w.yaml');
    expect(!r.ok && r.problems[0]).toMatchObject({ code: 'duplicate-key', line: 3, column: 1 });
  });

  it('an alias bomb', () => {
    const bomb = [
      'a: &a [x,x,x,x,x,x,x,x,x,x]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'name: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    expect(code(parseWebhookDocument(bomb, 'bomb.yaml'))).toBe('alias-limit');
  });

  it('nesting deeper than the bound, in flow or block style', () => {
    expect(code(parseWebhookDocument('['.repeat(100_000), 'deep.yaml'))).toBe('too-deep');
    expect(code(parseWebhookDocument(`${'['.repeat(70)}${']'.repeat(70)}`, 'deep.yaml'))).toBe('too-deep');
    const block = Array.from({ length: 80 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' x';
    expect(code(parseWebhookDocument(block, 'deep.yaml'))).toBe('too-deep');
  });

  it('an unresolved alias', () => {
    expect(code(parseWebhookDocument('name: *nope\nurl: x\n', 'w.yaml'))).toBe('yaml-syntax');
  });
});
