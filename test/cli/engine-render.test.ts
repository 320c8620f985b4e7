import { afterAll, describe, expect, it } from 'vitest';
import { renderVectors } from '../shared/engine/spec-vectors';
import { runCli, TempFolder } from './engine-cli';

const tmp = new TempFolder();
afterAll(() => tmp.remove());

interface RenderJson {
  method: string;
  url: string;
  requestTarget: string;
  headers: Array<{ name: string; value: string }>;
  body: string | null;
  diagnostics: Array<{ severity: string; code: string; message: string; location: unknown }>;
}

describe('webhook-studio render (spec vectors A–C through the CLI)', () => {
  for (const v of renderVectors) {
    it(`${v.id}: ${v.title}`, () => {
      const args = [
        'render',
        tmp.write(`${v.id}.webhook.yaml`, v.webhook),
        '--context',
        tmp.write(`${v.id}.context.yaml`, v.context),
        '--json',
      ];
      if (v.fields) args.push('--fields', tmp.write(`${v.id}.fields.yaml`, v.fields));
      if (v.profile) args.push('--profile', tmp.write(`${v.id}.profile.yaml`, v.profile));
      const r = runCli(args, tmp.dir);
      const out = JSON.parse(r.stdout) as RenderJson;
      expect(Object.keys(out)).toEqual(['method', 'url', 'requestTarget', 'headers', 'body', 'diagnostics']);
      if (v.body !== undefined) expect(out.body).toBe(v.body);
      if (v.requestTarget !== undefined) expect(out.requestTarget).toBe(v.requestTarget);
      for (const h of v.headers ?? []) expect(out.headers).toContainEqual(h);
      const hasError = out.diagnostics.some((d) => d.severity === 'error');
      expect(r.code).toBe(hasError ? 1 : 0);
      for (const d of out.diagnostics) expect(Object.keys(d)).toEqual(['severity', 'code', 'message', 'location']);
    });
  }
});

describe('webhook-studio render', () => {
  const webhook = tmp.write(
    'enrich.webhook.yaml',
    `name: Enrich lead
url: https://api.example.com/enrich?email={{lead.Email Address}}
method: POST
template: '{"email": {{lead.Email Address}}, "company": {{company.Company Name}}}'
encoding: json
responseType: json
headers:
  - name: Content-Type
    value: application/json
mappings:
  - attribute: person.employment.title
    field: Title
`,
  );
  const context = tmp.write(
    'sandy.context.yaml',
    `name: Sandy
lead:
  Email Address: sandy@example.com
company:
  Company Name: Jack & Jill Construction
campaign: { Type: trigger }
`,
  );

  it('prints every header in wire order and the exact body', () => {
    const r = runCli(['render', webhook, '--context', context, '--json'], tmp.dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as RenderJson;
    expect(out.headers).toEqual([
      { name: 'host', value: 'api.example.com' },
      { name: 'connection', value: 'keep-alive' },
      { name: 'Content-Type', value: 'application/json' },
      { name: 'content-length', value: '69' },
    ]);
    expect(out.body).toBe('{"email": "sandy@example.com", "company": "Jack & Jill Construction"}');
  });

  it('without --json prints the request as it goes on the wire', () => {
    const r = runCli(['render', webhook, '--context', context], tmp.dir);
    expect(r.stdout).toMatch(
      /^POST \/enrich\?email=sandy@example\.com HTTP\/1\.1\nhost: api\.example\.com\nconnection: keep-alive\n/,
    );
  });

  it('--fields adds custom fields that type tokens; --profile changes options', () => {
    const w = tmp.write('n.webhook.yaml', {
      name: 'n',
      url: 'https://h.example/',
      template: '{{lead.Partner Score}} {{lead.Note}}',
      encoding: 'json',
    });
    const c = tmp.write('n.context.yaml', { name: 'n', lead: { 'Partner Score': '12', Note: 'a/b' } });
    const f = tmp.write('n.fields.yaml', [
      { displayName: 'Partner Score', soapName: 'Partner_Score__c', type: 'integer' },
    ]);
    const p = tmp.write('n.profile.yaml', { jsonEscapeSlash: true });
    const out = JSON.parse(
      runCli(['render', w, '--context', c, '--fields', f, '--profile', p, '--json'], tmp.dir).stdout,
    ) as RenderJson;
    expect(out.body).toBe('12 "a\\/b"');
  });

  it('exit 1 when a diagnostic is an error', () => {
    const w = tmp.write('bad.webhook.yaml', { name: 'b', url: 'https://h.example/', template: 'x \\s' });
    const r = runCli(['render', w, '--context', context, '--json'], tmp.dir);
    expect(r.code).toBe(1);
    expect(
      (JSON.parse(r.stdout) as RenderJson).diagnostics.find((d) => d.code === 'invalid-escape')?.location,
    ).toMatchObject({ part: 'template', line: 1, column: 3 });
  });

  it('bad arguments and unreadable files: one line, exit 2, no stack trace', () => {
    const cases: Array<[string[], RegExp]> = [
      [['render', 'missing.yaml', '--context', context], /cannot read the webhook file 'missing.yaml': no such file/],
      [['render', webhook], /--context <context-file> is required/],
      [['render', webhook, '--context', context, '--bogus'], /bogus/],
      [['render', webhook, '--context', tmp.dir], /cannot read the context file .*: it is a folder/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args, tmp.dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });

  it('an invalid file: file:line:column and what was expected, exit 2', () => {
    const w = tmp.write('invalid.webhook.yaml', 'name: x\nurl: https://h/\nencoding: utf8\n');
    const r = runCli(['render', w, '--context', context], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /invalid\.webhook\.yaml:3:11: encoding: expected one of "none", "json", "form-url", found string "utf8"/,
    );
  });
});

describe('webhook-studio render: hostile files', () => {
  it('refuses a file over 5 MiB before reading it', () => {
    const big = tmp.write('big.webhook.yaml', `name: x\nurl: ${'a'.repeat(5 * 1024 * 1024 + 10)}\n`);
    const ctx = tmp.write('big.context.yaml', { name: 'c' });
    const r = runCli(['render', big, '--context', ctx], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("webhook-studio render: the webhook file 'big.webhook.yaml' is larger than 5 MiB\n");
  });

  it('refuses an alias bomb with its reason', () => {
    const bomb = tmp.write(
      'bomb.context.yaml',
      [
        'a: &a [x,x,x,x,x,x,x,x,x,x]',
        'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
        'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
        'name: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      ].join('\n'),
    );
    const w = tmp.write('ok.webhook.yaml', { name: 'ok', url: 'https://h.example/' });
    const r = runCli(['render', w, '--context', bomb], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bomb.context.yaml: the file expands aliases beyond the limit of 100');
  });
});
