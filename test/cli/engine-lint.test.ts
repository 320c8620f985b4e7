import { afterAll, describe, expect, it } from 'vitest';
import { runCli, TempFolder } from './engine-cli';

const tmp = new TempFolder();
afterAll(() => tmp.remove());

describe('webhook-studio lint', () => {
  const pitfalls = tmp.write('pitfalls.webhook.yaml', {
    name: 'pitfalls',
    url: 'https://h.example/?c={{company.Company Name}}',
    method: 'POST',
    template: '{"name": "{{lead.First Name}}", "s": "\\d"}',
    encoding: 'json',
    responseType: 'none',
    mappings: [{ attribute: 'a["0"]', field: 'Company Name' }],
  });
  const context = tmp.write('c.context.yaml', {
    name: 'c',
    lead: { 'First Name': 'Sandy' },
    company: { 'Company Name': 'A & B' },
    campaign: { Type: 'trigger' },
  });

  it('lists the pitfalls for a person, with where they are, and exits 1 on an error', () => {
    const r = runCli(['lint', pitfalls, '--context', context], tmp.dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    for (const code of [
      'json-double-quoted-token',
      'invalid-escape',
      'body-without-content-type',
      'invalid-mapping-path',
      'mapping-not-soap-name',
      'mappings-response-type-none',
      'url-token-unencoded',
    ]) {
      expect(
        lines.some((l) => l.includes(` ${code} `)),
        code,
      ).toBe(true);
    }
    expect(lines).toContain(
      `pitfalls.webhook.yaml: error invalid-escape (template:1:39): '\\d' at line 1, column 39 is not one of Marketo's 8 escapes (\\b \\t \\n \\f \\r \\\\ \\" \\'); Marketo rejects the template. Write \\\\d to send '\\d'`,
    );
    expect(lines.at(-1)).toMatch(/^\d+ errors?, \d+ warnings?$/);
  });

  it('--json gives the diagnostics with code and location', () => {
    const r = runCli(['lint', pitfalls, '--context', context, '--json'], tmp.dir);
    const out = JSON.parse(r.stdout) as {
      diagnostics: Array<{ code: string; location: { part: string; index?: number } | null }>;
    };
    expect(out.diagnostics.find((d) => d.code === 'invalid-mapping-path')?.location).toMatchObject({
      part: 'mapping',
      index: 0,
    });
  });

  it('a clean webhook exits 0', () => {
    const clean = tmp.write('clean.webhook.yaml', {
      name: 'clean',
      url: 'https://h.example/hook',
      template: '{"name": {{lead.First Name}}}',
      encoding: 'json',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
    });
    const r = runCli(['lint', clean, '--context', context], tmp.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 errors, 0 warnings\n$/);
  });

  it('works without a context (tokens then resolve to nothing)', () => {
    const r = runCli(['lint', pitfalls], tmp.dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('unresolved-token');
  });

  it('an unreadable file: one line, exit 2', () => {
    const r = runCli(['lint', 'nope.yaml'], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("webhook-studio lint: cannot read the webhook file 'nope.yaml': no such file\n");
  });
});
