import { afterAll, describe, expect, it } from 'vitest';
import { mapVectors } from '../shared/engine/spec-vectors';
import { runCli, TempFolder } from './engine-cli';

const tmp = new TempFolder();
afterAll(() => tmp.remove());

interface MapJson {
  status: number;
  outcome: string;
  mappings: Array<{
    attribute: string;
    field: string;
    found: boolean;
    value: unknown;
    coerced: unknown;
    written: boolean;
    reason: string | null;
  }>;
  lead: { before: Record<string, unknown>; after: Record<string, unknown> };
}

describe('webhook-studio map (spec vectors D–F through the CLI)', () => {
  for (const v of mapVectors) {
    it(`${v.id}: ${v.title}`, () => {
      const webhook = tmp.write(`${v.id}.webhook.yaml`, {
        name: v.id,
        url: 'https://h.example/',
        responseType: v.responseType,
        mappings: [{ attribute: v.attribute, field: v.field }],
      });
      const args = [
        'map',
        webhook,
        '--status',
        String(v.status ?? 200),
        '--body',
        tmp.write(`${v.id}.body`, v.body),
        '--json',
      ];
      if (v.fields) args.push('--fields', tmp.write(`${v.id}.fields.yaml`, v.fields));
      const r = runCli(args, tmp.dir);
      const out = JSON.parse(r.stdout) as MapJson;
      expect(Object.keys(out)).toEqual([
        'status',
        'outcome',
        'mappings',
        'lead',
        'errorType',
        'triggers',
        'diagnostics',
      ]);
      const m = out.mappings[0];
      expect(Object.keys(m ?? {})).toEqual(['attribute', 'field', 'found', 'value', 'coerced', 'written', 'reason']);
      expect(m?.found).toBe(v.found);
      if ('value' in v) expect(m?.value).toEqual(v.value);
      expect(m?.written).toBe(v.written);
      if (v.coerced !== undefined) expect(m?.coerced).toEqual(v.coerced);
      expect(m?.reason).toBe(v.reason ?? null);
      expect(r.code).toBe(v.written ? 0 : 1);
    });
  }
});

describe('webhook-studio map', () => {
  const webhook = tmp.write('m.webhook.yaml', {
    name: 'm',
    url: 'https://h.example/',
    responseType: 'json',
    mappings: [{ attribute: 'person.title', field: 'Title' }],
  });
  const context = tmp.write('m.context.yaml', { name: 'c', lead: { 'Job Title': 'Intern', 'First Name': 'Sandy' } });
  const body = tmp.write('m.body.json', '{"person":{"title":"CEO"}}');

  it('applies mappings to a copy of the context lead: before and after by SOAP name', () => {
    const r = runCli(['map', webhook, '--status', '200', '--body', body, '--context', context, '--json'], tmp.dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as MapJson;
    expect(out.outcome).toBe('updated');
    expect(out.lead).toEqual({
      before: { Title: 'Intern', FirstName: 'Sandy' },
      after: { Title: 'CEO', FirstName: 'Sandy' },
    });
  });

  it('404: ignored, exit 1; the readable output names the Error Type', () => {
    const r = runCli(['map', webhook, '--status', '404', '--body', body], tmp.dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('HTTP 404: ignored (Error Type: Not Found)');
    expect(r.stdout).toContain('not written: non-2xx');
  });

  it('bad arguments: one line, exit 2', () => {
    for (const [args, message] of [
      [['map', webhook, '--body', body], /--status <code> is required/],
      [['map', webhook, '--status', '2x0', '--body', body], /not an HTTP status code/],
      [['map', webhook, '--status', '200'], /--body <file> is required/],
      [['map', webhook, '--status', '200', '--body', 'nope.json'], /cannot read the response body file 'nope.json'/],
    ] as Array<[string[], RegExp]>) {
      const r = runCli(args, tmp.dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
