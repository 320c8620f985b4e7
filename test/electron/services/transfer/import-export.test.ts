import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initCollection, openCollection, saveWebhook } from '@services/collection/index';
import { exportCollection, importIntoCollection } from '@services/transfer/index';
import { parseBundle } from '@shared/formats/bundle';
import { renderWebhook } from '@shared/engine';
import { tokenContextSchema } from '@shared/model';
import { studioErrorOf } from '../../studio-error';

const fixtures = path.resolve(__dirname, '../../../fixtures/import');
let work: string;
let dir: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'h3-transfer-'));
  dir = path.join(work, 'c');
  await initCollection(dir);
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function files(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!f.isFile()) continue;
    const rel = path.relative(root, path.join(f.parentPath, f.name));
    out.set(rel, await readFile(path.join(root, rel), 'utf8'));
  }
  return out;
}

async function fixture(name: string): Promise<{ fileName: string; content: string }> {
  return { fileName: name, content: await readFile(path.join(fixtures, name), 'utf8') };
}

describe('import of real Postman collections', () => {
  it('PlayingWithRefit: six requests become six webhooks with the same method, URL, headers and body', async () => {
    const report = await importIntoCollection(dir, {
      ...(await fixture('postman-playing-with-refit.postman_collection.json')),
      format: 'auto',
    });
    expect(report.format).toBe('postman');
    expect(report.created).toHaveLength(6);
    const snap = await openCollection(dir);
    const create = snap.webhooks.find((w) => w.webhook.name === 'CreatePost')!.webhook;
    expect(create).toMatchObject({
      method: 'POST',
      url: 'http://localhost:5000/json-placeholder/posts',
      template: '{ "userId": 1, "title": "My title", "body": "My body" }',
      encoding: 'none',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
    });
    expect(snap.webhooks.find((w) => w.webhook.name === 'DeletePost')!.webhook.method).toBe('DELETE');
    expect(report.notCarried).toEqual([]);
  });

  it('AzureFunctions: a GET with a body and query parameters; CRLF bodies are kept byte for byte', async () => {
    const report = await importIntoCollection(dir, {
      ...(await fixture('postman-azure-functions.postman_collection.json')),
      format: 'postman',
    });
    expect(report.created).toHaveLength(9);
    const snap = await openCollection(dir);
    const order = snap.webhooks.find((w) => w.webhook.name === 'PlaceOrder')!.webhook;
    expect(order.template).toBe('{\r\n\t"customerId": 1,\r\n\t"productName": "Product name",\r\n\t"quantity": 1\r\n}');
    expect(snap.webhooks.find((w) => w.webhook.name === 'StartEmailConfirmation')!.webhook.url).toBe(
      'http://localhost:5000/api/Client_StartEmailConfirmation?email=test@gmail.com',
    );
  });

  it('never overwrites without being told, and says so; with overwrite it replaces and reports it', async () => {
    const input = {
      ...(await fixture('postman-playing-with-refit.postman_collection.json')),
      format: 'postman' as const,
    };
    await importIntoCollection(dir, input);
    const path0 = 'webhooks/createpost.webhook.yaml';
    const snap = await openCollection(dir);
    const w = snap.webhooks.find((x) => x.path === path0)!;
    await saveWebhook(dir, { path: path0, baseVersion: w.version, webhook: { ...w.webhook, description: 'mine' } });
    const before = await files(dir);
    const again = await importIntoCollection(dir, input);
    expect(again.created).toEqual([]);
    expect(again.notCarried.map((n) => n.item)).toContain(path0);
    expect(await files(dir)).toEqual(before);
    const forced = await importIntoCollection(dir, { ...input, overwrite: true });
    expect(forced.overwritten).toContain(path0);
    expect((await openCollection(dir)).webhooks.find((x) => x.path === path0)!.webhook.description).toBeUndefined();
  });
});

describe('import of Postman features a webhook cannot hold', () => {
  it('folders, {{vars}} → My Tokens, inherited bearer auth, urlencoded bodies; reports scripts, form-data, disabled rows', async () => {
    const collection = {
      info: { name: 'Features', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      variable: [
        { key: 'baseUrl', value: 'https://api.example.com' },
        { key: 'token', value: 't0k', type: 'secret' },
      ],
      auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}' }] },
      event: [{ listen: 'prerequest', script: { exec: ['pm.variables.set("x", 1)'] } }],
      item: [
        {
          name: 'Leads',
          item: [
            {
              name: 'Subscribe',
              request: {
                method: 'POST',
                url: '{{baseUrl}}/subscribe?id={{$guid}}',
                header: [{ key: 'X-Off', value: '1', disabled: true }],
                body: {
                  mode: 'urlencoded',
                  urlencoded: [
                    { key: 'email', value: '{{email}}' },
                    { key: 'note', value: 'a b&c' },
                    { key: 'x', value: 'y', disabled: true },
                  ],
                },
              },
            },
            {
              name: 'Upload',
              request: {
                method: 'POST',
                url: '{{baseUrl}}/upload',
                body: { mode: 'formdata', formdata: [{ key: 'f', type: 'file' }] },
              },
            },
            { name: 'Head', request: { method: 'HEAD', url: '{{baseUrl}}/' } },
          ],
        },
      ],
    };
    const report = await importIntoCollection(dir, {
      fileName: 'features.json',
      content: JSON.stringify(collection),
      format: 'auto',
    });
    expect(report.created.sort()).toEqual([
      'contexts/features-variables.context.yaml',
      'webhooks/leads/subscribe.webhook.yaml',
      'webhooks/leads/upload.webhook.yaml',
    ]);
    const reasons = report.notCarried.map((n) => `${n.item} — ${n.reason}`).join('\n');
    expect(reasons).toMatch(/Features: scripts/);
    expect(reasons).toMatch(/\{\{\$guid\}\}/);
    expect(reasons).toMatch(/header X-Off — disabled/);
    expect(reasons).toMatch(/form field x — disabled/);
    expect(reasons).toMatch(/body \(formdata\)/);
    expect(reasons).toMatch(/Head — method HEAD/);
    expect(reasons).toMatch(/variable token — secret/);
    const snap = await openCollection(dir);
    const sub = snap.webhooks.find((w) => w.path === 'webhooks/leads/subscribe.webhook.yaml')!.webhook;
    expect(sub).toMatchObject({
      url: '{{my.baseUrl}}/subscribe?id={{$guid}}',
      template: 'email={{my.email}}&note=a+b%26c',
      encoding: 'form-url',
      headers: [
        { name: 'Authorization', value: 'Bearer {{my.token}}' },
        { name: 'Content-Type', value: 'application/x-www-form-urlencoded' },
      ],
    });
    const vars = snap.contexts.find((c) => c.path === 'contexts/features-variables.context.yaml')!.context;
    expect(vars.my).toEqual({ baseUrl: 'https://api.example.com', token: { type: 'text', secret: true } });
    expect(await readFile(path.join(dir, 'contexts/features-variables.context.yaml'), 'utf8')).not.toContain('t0k');
  });
});

describe('import of Describe Lead', () => {
  it('the example from Adobe’s docs as published is not valid JSON: a clear error, nothing written', async () => {
    const before = await files(dir);
    const err = await studioErrorOf(
      importIntoCollection(dir, { ...(await fixture('describe-lead-docs-verbatim.json')), format: 'describe' }),
    );
    expect(err.code).toBe('bad-input');
    expect(err.message).toMatch(/describe-lead-docs-verbatim\.json \(describe\): not valid JSON/);
    expect(await files(dir)).toEqual(before);
  });

  it('the same example, repaired: Company Name is a standard field, so the catalog stays as it was', async () => {
    const report = await importIntoCollection(dir, { ...(await fixture('describe-lead.json')), format: 'auto' });
    expect(report).toEqual({ format: 'describe', created: [], overwritten: [], notCarried: [] });
    const snap = await openCollection(dir);
    expect(snap.fields.find((f) => f.displayName === 'Company Name')).toMatchObject({
      soapName: 'Company',
      restName: 'company',
      type: 'string',
    });
  });

  it('custom fields are added to fields.yaml; a field defined differently needs overwrite', async () => {
    const describe = {
      requestId: 'x',
      success: true,
      result: [
        {
          id: 1,
          displayName: 'Account Tier',
          dataType: 'string',
          length: 40,
          rest: { name: 'accountTier', readOnly: false },
          soap: { name: 'Account_Tier__c', readOnly: false },
        },
        {
          id: 2,
          displayName: 'Last SMS Status',
          dataType: 'text',
          rest: { name: 'lastSMSStatus' },
          soap: { name: 'Last_SMS_Status__c' },
        },
        { id: 3, displayName: 'Odd', dataType: 'hologram' },
      ],
    };
    const report = await importIntoCollection(dir, {
      fileName: 'describe.json',
      content: JSON.stringify(describe),
      format: 'describe',
    });
    expect(report.overwritten).toEqual(['fields.yaml']);
    expect(report.notCarried.map((n) => n.item)).toEqual(['Odd', 'field Last SMS Status']);
    const text = await readFile(path.join(dir, 'fields.yaml'), 'utf8');
    expect(text).toContain('Account_Tier__c');
    expect(text).toContain('# Lead fields of this Marketo instance');
    const forced = await importIntoCollection(dir, {
      fileName: 'describe.json',
      content: JSON.stringify(describe),
      format: 'describe',
      overwrite: true,
    });
    expect(forced.notCarried.map((n) => n.item)).toEqual(['Odd']);
    expect((await openCollection(dir)).fields.find((f) => f.soapName === 'Last_SMS_Status__c')?.type).toBe('text');
  });
});

describe('import of curl and lead CSV', () => {
  it('a copied curl command becomes a webhook that sends the same bytes', async () => {
    const cmd = `curl -X POST 'https://hooks.example.com/v1/lead?x=1' \\\n  -H 'Content-Type: application/json' -H "Authorization: Bearer abc" \\\n  --data-raw '{"a":"b\\\\n"}' --compressed -k`;
    const report = await importIntoCollection(dir, { fileName: 'paste.txt', content: cmd, format: 'auto' });
    expect(report.format).toBe('curl');
    expect(report.notCarried.map((n) => n.item)).toEqual(['--compressed', '-k']);
    const snap = await openCollection(dir);
    const w = snap.webhooks.find((x) => x.path === report.created[0])!.webhook;
    // The body holds a backslash; the template doubles it so Marketo's pre-parse gives it back.
    expect(w).toMatchObject({
      method: 'POST',
      url: 'https://hooks.example.com/v1/lead?x=1',
      template: '{"a":"b\\\\\\\\n"}',
      // The Content-Type says JSON: tokens typed into the body later are JSON-escaped.
      encoding: 'json',
    });
    expect(renderWebhook(w, tokenContextSchema.parse({ name: 'c' })).body).toBe('{"a":"b\\\\n"}');
    expect(w.headers).toEqual([
      { name: 'Content-Type', value: 'application/json' },
      { name: 'Authorization', value: 'Bearer abc' },
    ]);
  });

  it('a raw HTTP request becomes a webhook that sends the same request; a bad one names its line, nothing written', async () => {
    const body = '{"email":"a@example.com","note":"Jack & Jill"}';
    const raw = `POST /v1/lead?src=mkto&tag=%26x HTTP/1.1\r\nHost: hooks.example.com\r\nContent-Type: application/json\r\nX-Api-Key: k1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const report = await importIntoCollection(dir, { fileName: 'request.http', content: raw, format: 'auto' });
    expect(report).toMatchObject({
      format: 'http-request',
      created: ['webhooks/post-hooks-example-com-v1-lead.webhook.yaml'],
    });
    const snap = await openCollection(dir);
    const w = snap.webhooks.find((x) => x.path === report.created[0])!.webhook;
    expect(w).toMatchObject({
      method: 'POST',
      url: 'https://hooks.example.com/v1/lead?src=mkto&tag=%26x',
      encoding: 'json',
      headers: [
        { name: 'Content-Type', value: 'application/json' },
        { name: 'X-Api-Key', value: 'k1' },
      ],
    });
    const sent = renderWebhook(w, tokenContextSchema.parse({ name: 'c' }));
    expect(sent.body).toBe(body);
    expect(sent.requestTarget).toBe('/v1/lead?src=mkto&tag=%26x');

    const before = await files(dir);
    const bad = await studioErrorOf(
      importIntoCollection(dir, {
        fileName: 'pasted text',
        content: 'POST /x HTTP/1.1\nHost: h\nnot a header\n',
        format: 'auto',
      }),
    );
    expect(bad).toMatchObject({ code: 'bad-input' });
    expect(bad.message).toMatch(/^pasted text \(http-request\): line 3: “not a header” is not a header/);
    expect(await files(dir)).toEqual(before);
  });

  it('a Marketo lead export becomes one context per lead, with display names and problems reported', async () => {
    const csv =
      'First Name,Last Name,Email Address,Mobile Phone Number,Shoe Size\r\nAda,Lovelace,ada@example.com,+44 1,42\r\n"Jack & Jill","O\'Hara","jj@example.com",,"7"\r\nBroken,"row\r\n';
    const report = await importIntoCollection(dir, { fileName: 'leads.csv', content: csv, format: 'auto' });
    expect(report.format).toBe('leads-csv');
    expect(report.created).toEqual([
      'contexts/leads-ada-lovelace.context.yaml',
      'contexts/leads-jack-jill-o-hara.context.yaml',
    ]);
    expect(report.notCarried.map((n) => n.item)).toEqual(
      expect.arrayContaining(['column Shoe Size', 'leads.csv line 4']),
    );
    const snap = await openCollection(dir);
    const jj = snap.contexts.find((c) => c.path === 'contexts/leads-jack-jill-o-hara.context.yaml')!.context;
    expect(jj.lead).toEqual({
      'First Name': 'Jack & Jill',
      'Last Name': "O'Hara",
      'Email Address': 'jj@example.com',
      'Mobile Phone Number': '',
      'Shoe Size': '7',
    });
    // Importing the same leads again adds new contexts; it never replaces the first ones.
    const again = await importIntoCollection(dir, { fileName: 'leads.csv', content: csv, format: 'leads-csv' });
    expect(again.created).toEqual([
      'contexts/leads-ada-lovelace-2.context.yaml',
      'contexts/leads-jack-jill-o-hara-2.context.yaml',
    ]);
  });

  it('bad input changes nothing: unknown format, binary-ish text, a curl without URL', async () => {
    const before = await files(dir);
    expect(
      (
        await studioErrorOf(
          importIntoCollection(dir, { fileName: 'x.bin', content: '\u0000\u0001garbage', format: 'auto' }),
        )
      ).message,
    ).toMatch(/cannot tell what kind of file/);
    expect(
      (await studioErrorOf(importIntoCollection(dir, { fileName: 'c.sh', content: 'curl -X POST', format: 'curl' })))
        .message,
    ).toMatch(/no URL/);
    expect(
      (
        await studioErrorOf(
          importIntoCollection(dir, { fileName: 'p.json', content: '{"info":{}}', format: 'postman' }),
        )
      ).message,
    ).toMatch(/not a Postman v2 collection/);
    expect(
      (
        await studioErrorOf(
          importIntoCollection(dir, {
            fileName: 'b.webhooks.json',
            content:
              '{"format":"webhook-studio-bundle","version":1,"webhooks":[{"path":"../../etc/x.webhook.yaml","webhook":{"name":"x","url":"u"}}]}',
            format: 'bundle',
          }),
        )
      ).code,
    ).toBe('bad-input');
    expect(
      (
        await studioErrorOf(
          importIntoCollection(dir, {
            fileName: 'huge.json',
            content: ' '.repeat(50 * 1024 * 1024 + 1),
            format: 'auto',
          }),
        )
      ).message,
    ).toMatch(/import limit/);
    expect(await files(dir)).toEqual(before);
  });
});

describe('import is all or nothing', () => {
  const bundle = (paths: string[]): string =>
    JSON.stringify({
      format: 'webhook-studio-bundle',
      version: 1,
      webhooks: paths.map((p, i) => ({
        path: p,
        webhook: { name: `Hook ${i + 1}`, url: `https://example.com/${i + 1}` },
      })),
    });

  it('a bundle whose third entry cannot be written leaves the first two unwritten', async () => {
    const before = await files(dir);
    const err = await studioErrorOf(
      importIntoCollection(dir, {
        fileName: 'b.webhooks.json',
        content: bundle(['webhooks/one.webhook.yaml', 'webhooks/two.webhook.yaml', 'webhooks//three.webhook.yaml']),
        format: 'bundle',
      }),
    );
    expect(err.code).toBe('bad-input');
    expect(err.message).toContain('webhooks//three.webhook.yaml');
    expect(await files(dir)).toEqual(before);
  });

  it('a write that fails half-way puts back what was replaced and removes what was new, folders included', async () => {
    const snap = await openCollection(dir);
    const existing = snap.webhooks[0]!.path;
    const before = await files(dir);
    // The third entry passes every check but cannot be written: its folder is the first entry's file.
    const content = bundle([
      'webhooks/new-folder/one.webhook.yaml',
      existing,
      'webhooks/new-folder/one.webhook.yaml/three.webhook.yaml',
    ]);
    const err = await studioErrorOf(
      importIntoCollection(dir, { fileName: 'b.webhooks.json', content, format: 'bundle', overwrite: true }),
    );
    expect(err.message).toContain('webhooks/new-folder/one.webhook.yaml/three.webhook.yaml could not be written');
    expect(err.message).toContain('nothing was changed');
    expect(await files(dir)).toEqual(before);
    expect(await readdir(path.join(dir, 'webhooks'))).not.toContain('new-folder');
  });

  it('into a folder that does not exist: made a collection when the import works, not made at all when it fails', async () => {
    const fresh = path.join(work, 'fresh', 'nested');
    const bad = await studioErrorOf(
      importIntoCollection(fresh, {
        fileName: 'b.webhooks.json',
        content: bundle(['webhooks/one.webhook.yaml', 'webhooks/one.webhook.yaml/two.webhook.yaml']),
        format: 'bundle',
      }),
    );
    expect(bad.message).toContain('nothing was changed');
    await expect(readdir(path.join(work, 'fresh'))).rejects.toMatchObject({ code: 'ENOENT' });
    const report = await importIntoCollection(fresh, {
      fileName: 'b.webhooks.json',
      content: bundle(['webhooks/one.webhook.yaml']),
      format: 'bundle',
    });
    expect(report.created).toEqual(['collection.yaml', '.gitignore', 'webhooks/one.webhook.yaml']);
    const snap = await openCollection(fresh);
    expect(snap.name).toBe('nested');
    expect(snap.webhooks.map((w) => w.webhook.name)).toEqual(['Hook 1']);
    expect(await readFile(path.join(fresh, '.gitignore'), 'utf8')).toContain('.env');
  });

  it('into a folder with other things in it that is not a collection: refused, nothing written', async () => {
    const other = path.join(work, 'not-a-collection');
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(other);
    await writeFile(path.join(other, 'notes.txt'), 'mine');
    const err = await studioErrorOf(
      importIntoCollection(other, {
        fileName: 'b.webhooks.json',
        content: bundle(['webhooks/one.webhook.yaml']),
        format: 'bundle',
      }),
    );
    expect(err.code).toBe('not-a-collection');
    expect(await readdir(other)).toEqual(['notes.txt']);
  });
});

describe('export', () => {
  it('a bundle carries webhooks, contexts, own fields and profile, and imports into an empty collection as the same thing', async () => {
    const snap = await openCollection(dir);
    const out = await exportCollection(dir, { format: 'bundle', webhookPaths: snap.webhooks.map((w) => w.path) });
    expect(out.fileName).toBe('sample-webhooks.webhooks.json');
    const parsed = parseBundle(out.content);
    expect(parsed.ok && parsed.bundle.fields.map((f) => f.soapName)).toEqual([
      'Enrichment_Score__c',
      'Last_SMS_Status__c',
    ]);
    const other = path.join(work, 'other');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(other);
    const report = await importIntoCollection(other, { fileName: out.fileName, content: out.content, format: 'auto' });
    // The empty folder became a collection: its collection.yaml (with the bundle's name) and .gitignore.
    expect(report.created).toHaveLength(8);
    expect(report.created.slice(0, 2)).toEqual(['collection.yaml', '.gitignore']);
    const copy = await openCollection(other);
    expect(copy.name).toBe(snap.name);
    expect(copy.webhooks.map((w) => [w.path, w.webhook])).toEqual(snap.webhooks.map((w) => [w.path, w.webhook]));
    expect(copy.contexts.map((c) => c.context)).toEqual(snap.contexts.map((c) => c.context));
    expect(copy.fields).toEqual(snap.fields);
  });

  it('the Marketo sheet lists every field as Admin → Webhooks asks for it, and each mapping with its field’s display name', async () => {
    const snap = await openCollection(dir);
    const out = await exportCollection(dir, {
      format: 'marketo',
      webhookPaths: [snap.webhooks.find((w) => w.path.includes('enrich'))!.path],
    });
    expect(out.content).toContain('- **Request Token Encoding:** JSON');
    expect(out.content).toContain('| scores[0].value | Enrichment Score | Enrichment_Score__c |');
    expect(out.content).toContain('"email": {{lead.Email Address}},');
  });

  it('a secret header is exported as a placeholder, never as a value', async () => {
    const snap = await openCollection(dir);
    const w = snap.webhooks[0]!;
    await saveWebhook(dir, {
      path: w.path,
      baseVersion: w.version,
      webhook: { ...w.webhook, headers: [...w.webhook.headers, { name: 'X-Api-Key', value: 'sekrit', secret: true }] },
    });
    const curl = await exportCollection(dir, { format: 'curl', webhookPaths: [w.path] });
    expect(curl.content).toContain(`-H 'X-Api-Key: '"$WEBHOOK_STUDIO_SECRET_X_API_KEY"`);
    const postman = await exportCollection(dir, { format: 'postman', webhookPaths: [w.path] });
    expect(postman.content).toContain('{{secret X-Api-Key}}');
    expect(postman.content + curl.content).not.toContain('sekrit');
    expect(postman.diagnostics.map((d) => d.code)).toContain('export-secret-header');
  });

  it('names what it cannot export', async () => {
    expect(
      (await studioErrorOf(exportCollection(dir, { format: 'curl', webhookPaths: ['webhooks/nope.webhook.yaml'] })))
        .code,
    ).toBe('not-found');
    expect((await studioErrorOf(exportCollection(dir, { format: 'curl', webhookPaths: [] }))).code).toBe('bad-input');
  });
});
