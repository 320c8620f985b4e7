import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInputs } from '../../electron/cli/load-inputs';
import { parseWebhookDocument } from '@shared/formats/documents';
import { validJsonDocument } from '@shared/formats/document-json';
import { webhookSchema } from '@shared/model';

let work: string;
const io = () => ({ argv: [], stdout: new PassThrough(), stderr: new PassThrough(), cwd: work, env: {} });

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'inputs-json-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const hook = {
  name: 'Enrich lead',
  url: 'http://127.0.0.1:9/enrich?email={{lead.Email Address}}',
  method: 'POST',
  template: '{"email":{{lead.Email Address}}}',
  encoding: 'json',
  responseType: 'json',
  headers: [{ name: 'Content-Type', value: 'application/json' }],
  mappings: [{ attribute: 'company.name', field: 'Company' }],
};

/** loadInputs' webhook, or the message of the error it threw. */
async function loaded(file: string, text: string): Promise<unknown> {
  await writeFile(path.join(work, file), text);
  try {
    return (await loadInputs(io(), { webhook: file })).webhook;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('a JSON webhook file on the command line', () => {
  it('a valid one is read without the YAML reader, to the very value the YAML reader gives', async () => {
    const text = JSON.stringify(hook, null, 2);
    expect(validJsonDocument(webhookSchema, text)).toBeDefined();
    const full = parseWebhookDocument(text, 'w.json');
    expect(full.ok).toBe(true);
    if (full.ok) expect(await loaded('w.json', text)).toEqual(full.value);
  });

  it('an invalid one is refused with file:line:column, as before', async () => {
    const text = JSON.stringify({ ...hook, method: 'FETCH' }, null, 2);
    expect(validJsonDocument(webhookSchema, text)).toBeUndefined();
    expect(await loaded('bad.json', text)).toMatch(/^bad\.json:4:\d+: method: expected one of/);
    const dup = '{\n  "name": "a",\n  "url": "http://x.example",\n  "name": "b"\n}\n';
    expect(await loaded('dup.json', dup)).toBe('dup.json:4:3: a key appears twice in the same mapping');
    expect(await loaded('syntax.json', '{\n  "name": "a",\n  "url": \n}\n')).toMatch(/^syntax\.json:\d+:\d+: /);
    const deep = `{"name": "a", "url": "http://x.example", "x": ${'['.repeat(70)}${']'.repeat(70)}}`;
    expect(await loaded('deep.json', deep)).toBe('deep.json: the file nests deeper than 64 levels');
  });
});
