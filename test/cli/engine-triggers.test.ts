import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, TempFolder } from './engine-cli';

const tmp = new TempFolder();
afterAll(() => tmp.remove());

interface MapTriggersJson {
  status: number | null;
  outcome: string;
  errorType: string;
  triggers: Array<{ name: string; fires: boolean; because: string; assumed?: string[] }>;
  diagnostics: Array<{ code: string; message: string }>;
  lead: { before: Record<string, unknown>; after: Record<string, unknown> };
}

const webhook = tmp.write('enrich.webhook.yaml', {
  name: 'Enrich',
  url: 'https://h.example/',
  responseType: 'json',
  mappings: [{ attribute: 'title', field: 'Title' }],
});
const triggers = tmp.write('triggers.yaml', [
  {
    name: 'Not found',
    webhooks: ['Enrich'],
    constraints: [{ attribute: 'errorType', operator: 'is', values: ['Not Found'] }],
  },
  {
    name: 'Server trouble',
    constraints: [{ attribute: 'errorType', operator: 'starts-with', values: ['Service', 'Internal'] }],
  },
  { name: 'Said error', constraints: [{ attribute: 'response', operator: 'contains', values: ['error'] }] },
  {
    name: 'No answer',
    constraints: [
      { attribute: 'response', operator: 'is-empty' },
      { attribute: 'errorType', operator: 'is-not-empty' },
    ],
  },
  {
    name: 'Success',
    constraints: [
      { attribute: 'errorType', operator: 'is-empty' },
      { attribute: 'response', operator: 'not-contains', values: ['error'] },
    ],
  },
  { name: 'Other webhook', webhooks: ['Lookup'] },
]);
const ok = tmp.write('ok.json', '{"title":"CEO"}');
const missing = tmp.write('missing.json', '{"error":"no such lead"}');
const down = tmp.write('down.txt', 'upstream down');

function map(args: string[]): { code: number | null; out: MapTriggersJson } {
  const r = runCli(['map', webhook, ...args, '--triggers', triggers, '--json'], tmp.dir);
  expect(r.stderr).toBe('');
  return { code: r.code, out: JSON.parse(r.stdout) as MapTriggersJson };
}
const firing = (out: MapTriggersJson) => out.triggers.filter((t) => t.fires).map((t) => t.name);

describe('map --json: errorType and triggers for each kind of call', () => {
  it('2xx: Error Type empty (profile errorTypeOn2xx), the success trigger fires', () => {
    const { code, out } = map(['--status', '200', '--body', ok]);
    expect(code).toBe(0);
    expect(out.errorType).toBe('');
    expect(firing(out)).toEqual(['Success']);
    expect(out.triggers.find((t) => t.name === 'Success')?.assumed).toEqual(['errorTypeOn2xx']);
    expect(out.triggers.find((t) => t.name === 'Other webhook')?.because).toBe(
      'Webhook is "Lookup", and this call is to "Enrich"',
    );
  });
  it('4xx: Error Type is the reason phrase (DEV-ERR)', () => {
    const { code, out } = map(['--status', '404', '--body', missing]);
    expect(code).toBe(1);
    expect(out.errorType).toBe('Not Found');
    expect(firing(out)).toEqual(['Not found', 'Said error']);
    expect(out.triggers[0]).toEqual({
      name: 'Not found',
      fires: true,
      because: 'Webhook is "Enrich"; Error Type is "Not Found" (it is "Not Found")',
    });
  });
  it('5xx: the reason phrase as the server wrote it', () => {
    const { out } = map(['--status', '503', '--reason', 'Service Unavailable', '--body', down]);
    expect(out.errorType).toBe('Service Unavailable');
    expect(firing(out)).toEqual(['Server trouble']);
  });
  it('timeout: no answer, Error Type from the profile (timeoutErrorType), nothing written', () => {
    const { code, out } = map(['--outcome', 'timeout']);
    expect(code).toBe(1);
    expect(out).toMatchObject({ status: null, outcome: 'timeout', errorType: 'Timeout' });
    expect(firing(out)).toEqual(['No answer']);
    expect(out.triggers.find((t) => t.name === 'No answer')?.assumed).toEqual(['timeoutErrorType']);
    expect(out.diagnostics.map((d) => d.code)).toEqual(['profile-assumptions']);
  });
  it('network error: Error Type from the profile (networkErrorType), set per collection', () => {
    expect(map(['--outcome', 'network-error']).out.errorType).toBe('Connection Error');
    const profile = tmp.write('profile.yaml', { networkErrorType: 'Connection refused' });
    const { out } = map(['--outcome', 'network-error', '--profile', profile]);
    expect(out.errorType).toBe('Connection refused');
    expect(out.triggers.find((t) => t.name === 'No answer')).toMatchObject({ fires: true });
    expect(out.triggers.find((t) => t.name === 'No answer')?.assumed).toBeUndefined();
  });
  it('429 with Retry-After and 401 Bearer: the response rules speak', () => {
    expect(
      map(['--status', '429', '--body', down, '--header', 'Retry-After: 30']).out.diagnostics.map((d) => d.code),
    ).toContain('rate-limited-not-retried');
    expect(
      map(['--status', '401', '--body', down, '--header', 'WWW-Authenticate: Bearer realm="x"']).out.diagnostics.map(
        (d) => d.code,
      ),
    ).toContain('service-needs-token-exchange');
  });
  it('readable output: one line per trigger', () => {
    const r = runCli(['map', webhook, '--status', '404', '--body', missing, '--triggers', triggers], tmp.dir);
    expect(r.stdout).toContain(
      'trigger "Not found": fires: Webhook is "Enrich"; Error Type is "Not Found" (it is "Not Found")',
    );
    expect(r.stdout).toContain(
      'trigger "Server trouble": does not fire: Error Type starts with "Service" or "Internal" does not hold: the Error Type is "Not Found"',
    );
  });
  it('bad arguments and a bad triggers file: exit 2, one message', () => {
    expect(runCli(['map', webhook, '--outcome', 'slow'], tmp.dir)).toMatchObject({ code: 2 });
    expect(runCli(['map', webhook, '--outcome', 'timeout', '--status', '200'], tmp.dir).stderr).toContain(
      'leave out --status and --body',
    );
    const bad = tmp.write('bad-triggers.yaml', [
      { name: 'x', constraints: [{ attribute: 'response', operator: 'matches', values: ['a'] }] },
    ]);
    const r = runCli(['map', webhook, '--outcome', 'timeout', '--triggers', bad], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-triggers.yaml');
  });
});

describe("map --collection: the collection's triggers.yaml applies", () => {
  it('reads triggers from the collection', () => {
    const dir = path.join(tmp.dir, 'coll');
    mkdirSync(path.join(dir, 'webhooks'), { recursive: true });
    tmp.write('coll/webhooks/enrich.webhook.yaml', { name: 'Enrich', url: 'https://h.example/', responseType: 'json' });
    tmp.write('coll/triggers.yaml', [
      { name: 'Gone', constraints: [{ attribute: 'errorType', operator: 'is', values: ['Gone'] }] },
    ]);
    const r = runCli(['map', 'Enrich', '--collection', 'coll', '--status', '410', '--body', down, '--json'], tmp.dir);
    const out = JSON.parse(r.stdout) as MapTriggersJson;
    expect(out.errorType).toBe('Gone');
    expect(out.triggers).toEqual([
      { name: 'Gone', fires: true, because: 'Webhook is any; Error Type is "Gone" (it is "Gone")' },
    ]);
  });
});
