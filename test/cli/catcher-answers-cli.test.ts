import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './engine-cli';

let tmp: string;
let collection: string;
let hook: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'catcher-answers-cli-'));
  collection = path.join(tmp, 'crm');
  await mkdir(path.join(collection, 'webhooks'), { recursive: true });
  await writeFile(path.join(collection, 'collection.yaml'), 'name: CRM\n');
  await writeFile(
    path.join(collection, 'catcher.yaml'),
    '- method: POST\n  path: /enrich*\n  status: 404\n  reason: Not Found\n  body: \'{"error":"no such lead"}\'\n',
  );
  hook = path.join(collection, 'webhooks', 'enrich.webhook.yaml');
  await writeFile(
    hook,
    'name: Enrich\nurl: https://api.example.com/enrich?e={{lead.Email Address}}\nmethod: POST\nencoding: json\n' +
      'template: \'{"email": {{lead.Email Address}}}\'\nresponseType: json\nmappings:\n  - attribute: company\n    field: Company\n',
  );
  await writeFile(path.join(tmp, 'ctx.yaml'), 'name: Sandy\nlead:\n  Email Address: sandy@example.com\n');
  await writeFile(path.join(tmp, 'leads.csv'), 'Email Address\na@example.com\nb@example.com\n');
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("--catcher answers with the collection's catcher.yaml, as the studio's catcher does", () => {
  it('send: the rule that matches answers, and says which it was', async () => {
    const r = runCli(['send', hook, '--context', 'ctx.yaml', '--catcher', '--json'], tmp);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      outcome: string;
      response: { status: number; body: string; headers: Array<{ name: string; value: string }> };
    };
    expect(out.response.status).toBe(404);
    expect(out.response.body).toBe('{"error":"no such lead"}');
    expect(out.response.headers).toContainEqual({ name: 'X-Studio-Rule', value: '1' });
    expect(out.outcome).toBe('ignored');
  });

  it('run: every lead gets the rule’s answer', async () => {
    const out = path.join(tmp, 'out');
    const r = runCli(['run', hook, '--leads', 'leads.csv', '--catcher', '--record', 'all', '--out', out], tmp);
    expect(r.code, r.stderr).toBe(1);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as {
      counts: { sent: number; byOutcome: Record<string, number> };
    };
    expect(summary.counts.sent).toBe(2);
    expect(summary.counts.byOutcome).toEqual({ ignored: 2 });
    expect(await readFile(path.join(out, 'results.jsonl'), 'utf8')).toContain('HTTP/1.1 404 Not Found');
  });

  it('a catcher.yaml that does not load is named, with exit 2 and nothing sent', async () => {
    const broken = path.join(tmp, 'broken');
    await mkdir(broken);
    await writeFile(path.join(broken, 'collection.yaml'), 'name: Broken\n');
    await writeFile(path.join(broken, 'catcher.yaml'), '- status: not-a-number\n');
    const file = path.join(broken, 'enrich.webhook.yaml');
    await writeFile(file, await readFile(hook, 'utf8'));
    const r = runCli(['send', file, '--context', 'ctx.yaml', '--catcher', '--json'], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/catcher\.yaml/);
    expect(r.stdout).toBe('');
  });
});
