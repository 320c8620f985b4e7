import { cp, mkdtemp, readFile, readdir, rm, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deletePath,
  findContext,
  findWebhook,
  fmtCollection,
  initCollection,
  movePath,
  openCollection,
  saveContext,
  saveFields,
  saveSettings,
  saveWebhook,
  versionOf,
  watchCollection,
} from '@services/collection/index';
import { CATCHER_ORIGIN } from '@services/collection/sample';
import { studioErrorOf } from '../../studio-error';

const fixtures = path.resolve(__dirname, '../../../fixtures/collections');
let work: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'h3-collection-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Every file under dir with its bytes, for "nothing changed on disk" checks. */
async function snapshotBytes(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(child);
      else out.set(child, (await readFile(path.join(dir, child))).toString('base64'));
    }
  };
  await walk('');
  return out;
}

/** Names of files added, removed or changed between two snapshots (short failure output). */
function changedFiles(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

async function copyFixture(name: string): Promise<string> {
  const dir = path.join(work, name);
  await cp(path.join(fixtures, name), dir, { recursive: true });
  return dir;
}

describe('round trip', () => {
  it.each(['hand-written', 'sample'])(
    'load → save of every file of the %s collection leaves every byte as it was',
    async (name) => {
      const dir = name === 'sample' ? path.join(work, 'sample') : await copyFixture(name);
      if (name === 'sample') await initCollection(dir);
      const before = await snapshotBytes(dir);
      const snap = await openCollection(dir);
      expect(snap.problems).toEqual([]);
      for (const w of snap.webhooks) {
        const saved = await saveWebhook(dir, { path: w.path, webhook: w.webhook, baseVersion: w.version });
        expect(saved.version).toBe(w.version);
      }
      for (const c of snap.contexts)
        await saveContext(dir, { path: c.path, context: c.context, baseVersion: c.version });
      await saveSettings(dir, { name: snap.name });
      await saveFields(dir, snap.fields);
      expect(changedFiles(before, await snapshotBytes(dir))).toEqual([]);
    },
  );

  it('an edit in the app keeps the comments, key order and quoting of a hand-written file', async () => {
    const dir = await copyFixture('hand-written');
    const snap = await openCollection(dir);
    const w = snap.webhooks.find((x) => x.path === 'webhooks/crm/upsert-contact.webhook.yaml')!;
    await saveWebhook(dir, {
      path: w.path,
      baseVersion: w.version,
      webhook: { ...w.webhook, mappings: [...w.webhook.mappings, { attribute: 'contact.tier', field: 'Tier__c' }] },
    });
    const text = await readFile(path.join(dir, w.path), 'utf8');
    expect(text).toBe(`# Upserts the contact in the CRM.
# Owner: marketing ops
url: "https://crm.example.com/api/v2/contacts?upsert=true&src={{program.Name}}"
name: Upsert contact
# method left out on purpose: POST is the default
encoding: json
template: |+
  {"email": {{lead.Email Address}}, "tier": {{lead.Tier:default=bronze}}}

headers:
  - name: Authorization
    secret: true # value lives in the secrets store
    allowedHosts: [ crm.example.com ]
  - { name: X-Source, value: marketo }
responseType: json
mappings:
  # the CRM answers {"contact": {"id": ..., "ltv": ...}}
  - attribute: contact.ltv
    field: Lifetime_Value__c
  - attribute: contact.tier
    field: Tier__c
`);
    const again = await openCollection(dir);
    expect(again.webhooks.find((x) => x.path === w.path)!.webhook.mappings).toHaveLength(2);
  });

  it('a file written on Windows keeps its CRLF line ends when edited in the app', async () => {
    const dir = await copyFixture('hand-written');
    const snap = await openCollection(dir);
    const c = snap.contexts.find((x) => x.path === 'contexts/crlf.context.yaml')!;
    await saveContext(dir, {
      path: c.path,
      baseVersion: c.version,
      context: { ...c.context, lead: { ...c.context.lead, 'Last Name': 'Line\nBreak' } },
    });
    const text = await readFile(path.join(dir, c.path), 'utf8');
    // The untouched double-quoted value keeps its quotes; its \u escape comes back as the character itself.
    expect(text).toBe(
      'name: Windows-edited lead\r\nlead:\r\n  Email Address: win@example.com\r\n  First Name: "Zoë"\r\n  Last Name: |-\r\n    Line\r\n    Break\r\n',
    );
    expect((await openCollection(dir)).contexts.find((x) => x.path === c.path)!.context.lead['Last Name']).toBe(
      'Line\nBreak',
    );
  });

  it('a new key goes in its canonical place, an unchanged default is not written', async () => {
    const dir = await copyFixture('hand-written');
    const snap = await openCollection(dir);
    const ping = snap.webhooks.find((x) => x.path === 'webhooks/ping.webhook.yaml')!;
    await saveWebhook(dir, {
      path: ping.path,
      baseVersion: ping.version,
      webhook: { ...ping.webhook, description: 'Health check', responseType: 'json' },
    });
    expect(await readFile(path.join(dir, ping.path), 'utf8')).toBe(
      'name: Ping\ndescription: Health check\nurl: https://status.example.com/ping?lead={{lead.Id}}\nmethod: GET\nresponseType: json\n',
    );
  });

  it('secret header values and secret My Token values never reach the files', async () => {
    const dir = await copyFixture('hand-written');
    const snap = await openCollection(dir);
    const w = snap.webhooks.find((x) => x.path.endsWith('upsert-contact.webhook.yaml'))!;
    const headers = w.webhook.headers.map((h) => (h.secret ? { ...h, value: 'Bearer s3cr3t-header' } : h));
    await saveWebhook(dir, { path: w.path, baseVersion: w.version, webhook: { ...w.webhook, headers } });
    const c = snap.contexts.find((x) => x.path.endsWith('vip.context.yaml'))!;
    await saveContext(dir, {
      path: c.path,
      baseVersion: c.version,
      context: {
        ...c.context,
        my: { ...c.context.my, 'API Key': { type: 'text', secret: true, value: 's3cr3t-token' } },
      },
    });
    const created = await saveWebhook(dir, {
      webhook: {
        name: 'New one',
        url: 'https://x.example/',
        headers: [{ name: 'X-Key', value: 's3cr3t-new', secret: true }],
      },
    });
    for (const [file, b64] of await snapshotBytes(dir)) {
      expect(Buffer.from(b64, 'base64').toString('utf8'), file).not.toMatch(/s3cr3t/);
    }
    expect(await readFile(path.join(dir, created.path), 'utf8')).toContain('secret: true');
  });
});

describe('conflicts and paths', () => {
  it('refuses a save whose base version no longer matches the disk, naming the file, and writes nothing', async () => {
    const dir = path.join(work, 's');
    const snap = await initCollection(dir);
    const w = snap.webhooks[0]!;
    const file = path.join(dir, w.path);
    const outside = `${await readFile(file, 'utf8')}# edited in vim\n`;
    await writeFile(file, outside);
    const err = await studioErrorOf(
      saveWebhook(dir, { path: w.path, baseVersion: w.version, webhook: { ...w.webhook, method: 'PUT' } }),
    );
    expect(err.code).toBe('conflict');
    expect(err.message).toContain(w.path);
    expect(await readFile(file, 'utf8')).toBe(outside);
    await rm(file);
    expect(
      (await studioErrorOf(saveWebhook(dir, { path: w.path, baseVersion: w.version, webhook: w.webhook }))).code,
    ).toBe('conflict');
  });

  it('new webhooks get a free slug path in their folder; versions are content hashes', async () => {
    const dir = path.join(work, 's');
    await initCollection(dir);
    const a = await saveWebhook(dir, {
      folder: 'crm/leads',
      webhook: { name: 'Score lead!', url: 'https://a.example/' },
    });
    const b = await saveWebhook(dir, {
      folder: 'crm/leads',
      webhook: { name: 'Score lead?', url: 'https://b.example/' },
    });
    expect(a.path).toBe('webhooks/crm/leads/score-lead.webhook.yaml');
    expect(b.path).toBe('webhooks/crm/leads/score-lead-2.webhook.yaml');
    expect(a.version).toBe(versionOf(await readFile(path.join(dir, a.path), 'utf8')));
    const snap = await openCollection(dir);
    expect(snap.webhooks.find((w) => w.path === a.path)?.folder).toBe('crm/leads');
    expect(
      (await studioErrorOf(saveWebhook(dir, { folder: '../escape', webhook: { name: 'x', url: 'u' } }))).code,
    ).toBe('bad-input');
    expect(
      (await studioErrorOf(saveWebhook(dir, { path: '../x.webhook.yaml', webhook: { name: 'x', url: 'u' } }))).code,
    ).toBe('bad-input');
    expect(
      (await studioErrorOf(saveWebhook(dir, { path: 'contexts/x.context.yaml', webhook: { name: 'x', url: 'u' } })))
        .code,
    ).toBe('bad-input');
  });

  it('moves and deletes files and webhook folders, never over an existing file', async () => {
    const dir = path.join(work, 's');
    const snap = await initCollection(dir);
    const sms = snap.webhooks.find((w) => w.path.includes('send-sms'))!;
    expect((await movePath(dir, sms.path, 'webhooks/sms/text-lead.webhook.yaml')).path).toBe(
      'webhooks/sms/text-lead.webhook.yaml',
    );
    const other = snap.webhooks.find((w) => w.path.includes('enrich'))!;
    expect((await studioErrorOf(movePath(dir, other.path, 'webhooks/sms/text-lead.webhook.yaml'))).code).toBe(
      'conflict',
    );
    expect((await studioErrorOf(movePath(dir, other.path, 'contexts/x.context.yaml'))).code).toBe('bad-input');
    await movePath(dir, 'webhooks/sms', 'webhooks/messaging/sms');
    await deletePath(dir, 'webhooks/lookup');
    await deletePath(dir, 'contexts/tricky-lead.context.yaml');
    expect((await studioErrorOf(deletePath(dir, 'collection.yaml'))).code).toBe('bad-input');
    expect((await studioErrorOf(deletePath(dir, 'webhooks/nope.webhook.yaml'))).code).toBe('not-found');
    const after = await openCollection(dir);
    expect(after.webhooks.map((w) => w.path)).toEqual([
      'webhooks/enrichment/enrich-lead.webhook.yaml',
      'webhooks/messaging/sms/text-lead.webhook.yaml',
    ]);
    expect(after.contexts.map((c) => c.path)).toEqual(['contexts/plain-lead.context.yaml']);
  });

  it('finds webhooks and contexts by name, file name or path, and says which names exist', async () => {
    const dir = path.join(work, 's');
    const snap = await initCollection(dir);
    expect(findWebhook(snap, 'Send SMS (Form/Url)').path).toBe('webhooks/messaging/send-sms.webhook.yaml');
    expect(findWebhook(snap, 'send sms (form/url)').path).toBe('webhooks/messaging/send-sms.webhook.yaml');
    expect(findWebhook(snap, 'messaging/send-sms').path).toBe('webhooks/messaging/send-sms.webhook.yaml');
    expect(findContext(snap, 'tricky lead').path).toBe('contexts/tricky-lead.context.yaml');
    expect(() => findWebhook(snap, 'nothing like it')).toThrow(/no webhook named 'nothing like it'.*Enrich lead/);
  });
});

describe('bad files', () => {
  it('reports each malformed file with its line and why, loads the rest, and changes nothing on disk', async () => {
    const dir = await copyFixture('with-problems');
    const before = await snapshotBytes(dir);
    const snap = await openCollection(dir);
    expect(snap.webhooks.map((w) => w.path)).toEqual(['webhooks/good.webhook.yaml']);
    expect(snap.contexts.map((c) => c.path)).toEqual(['contexts/ok.context.yaml']);
    const byFile = new Map(snap.problems.map((p) => [p.file, p]));
    expect(byFile.get('webhooks/alias-bomb.webhook.yaml')?.code).toBe('alias-limit');
    expect(byFile.get('webhooks/binary.webhook.yaml')?.code).toBe('binary-file');
    expect(byFile.get('webhooks/deep.webhook.yaml')?.code).toBe('too-deep');
    expect(byFile.get('webhooks/duplicate-key.webhook.yaml')).toMatchObject({ code: 'duplicate-key', line: 3 });
    expect(byFile.get('webhooks/truncated.webhook.yaml')?.code).toBe('yaml-syntax');
    expect(
      snap.problems.filter((p) => p.file === 'webhooks/wrong-type.webhook.yaml').map((p) => [p.path, p.line]),
    ).toEqual([
      ['method', 3],
      ['headers.0.value', 6],
    ]);
    expect(byFile.get('contexts/latin1.context.yaml')?.code).toBe('not-utf8');
    expect(changedFiles(before, await snapshotBytes(dir))).toEqual([]);
    const fmt = await fmtCollection(dir);
    expect(fmt.problems.length).toBeGreaterThanOrEqual(7);
    // fmt rewrites only the files that load; every broken one keeps its bytes.
    expect(fmt.changed).toEqual(['contexts/ok.context.yaml']);
    expect(changedFiles(before, await snapshotBytes(dir))).toEqual(['contexts/ok.context.yaml']);
  });

  it('refuses a file over the size limit without reading it', async () => {
    const dir = path.join(work, 's');
    await initCollection(dir);
    await writeFile(
      path.join(dir, 'webhooks/huge.webhook.yaml'),
      `name: Huge\nurl: https://x/\ntemplate: "${'x'.repeat(5 * 1024 * 1024)}"\n`,
    );
    const snap = await openCollection(dir);
    expect(snap.problems).toEqual([
      expect.objectContaining({ file: 'webhooks/huge.webhook.yaml', code: 'file-too-large' }),
    ]);
    expect(snap.webhooks).toHaveLength(3);
  });

  it('answers a missing folder with a clear error', async () => {
    expect((await studioErrorOf(openCollection(path.join(work, 'nope')))).code).toBe('not-found');
  });
});

describe('fmt', () => {
  it('rewrites hand-written files in canonical form, keeps comments and meaning, and a second run changes nothing', async () => {
    const dir = await copyFixture('hand-written');
    const before = await openCollection(dir);
    const first = await fmtCollection(dir);
    expect(first.changed).toContain('webhooks/crm/upsert-contact.webhook.yaml');
    expect(first.problems).toEqual([]);
    const text = await readFile(path.join(dir, 'webhooks/crm/upsert-contact.webhook.yaml'), 'utf8');
    expect(text.indexOf('name:')).toBeLessThan(text.indexOf('url:'));
    expect(text).toContain('# value lives in the secrets store');
    const after = await openCollection(dir);
    expect(after.webhooks).toEqual(before.webhooks.map((w) => ({ ...w, version: expect.any(String) })));
    expect(after.contexts.map((c) => c.context)).toEqual(before.contexts.map((c) => c.context));
    const bytes = await snapshotBytes(dir);
    expect((await fmtCollection(dir)).changed).toEqual([]);
    expect(changedFiles(bytes, await snapshotBytes(dir))).toEqual([]);
  });

  it('leaves a fresh sample collection as it is', async () => {
    const dir = path.join(work, 's');
    await initCollection(dir);
    expect((await fmtCollection(dir)).changed).toEqual([]);
  });
});

describe('sample collection', () => {
  it('has the three webhooks aimed at the catcher, two contexts, a custom field, and keeps .studio out of git', async () => {
    const dir = path.join(work, 's');
    const snap = await initCollection(dir);
    expect(snap.problems).toEqual([]);
    expect(snap.webhooks.map((w) => [w.webhook.encoding, w.webhook.responseType])).toEqual([
      ['json', 'json'],
      ['none', 'xml'],
      ['form-url', 'json'],
    ]);
    for (const w of snap.webhooks) expect(w.webhook.url.startsWith(`${CATCHER_ORIGIN}/`)).toBe(true);
    expect(snap.fields.some((f) => f.soapName === 'Enrichment_Score__c')).toBe(true);
    const tricky = snap.contexts.find((c) => c.context.name === 'Tricky lead')!.context;
    expect(tricky.lead['First Name']).toBe('Jack & Jill');
    expect(tricky.lead['Mobile Phone Number']).toBe('');
    expect(String(tricky.lead['Address'])).toContain('\n');
    expect(String(tricky.lead['Last Name'])).toMatch(/\p{Extended_Pictographic}/u);
    expect(snap.defaultContext).toBe('contexts/plain-lead.context.yaml');
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toContain('.studio/');
    const second = await studioErrorOf(initCollection(dir));
    expect(second.code).toBe('conflict');
  });
});

describe('settings and fields', () => {
  it('stores only the collection’s own fields and replaces the profile overrides', async () => {
    const dir = path.join(work, 's');
    const snap = await initCollection(dir);
    await saveFields(dir, [...snap.fields, { displayName: 'Churn Risk', soapName: 'Churn_Risk__c', type: 'float' }]);
    const fields = await readFile(path.join(dir, 'fields.yaml'), 'utf8');
    expect(fields).toContain('Churn_Risk__c');
    expect(fields).toContain('# Lead fields of this Marketo instance');
    expect(fields).not.toContain('Email Address');
    await saveSettings(dir, {
      profile: { jsonNonAscii: 'escape' },
      defaultContext: 'contexts/tricky-lead.context.yaml',
    });
    const after = await openCollection(dir);
    expect(after.profile.jsonNonAscii).toBe('escape');
    expect(after.profile.timeoutMs).toBe(30000);
    expect(after.defaultContext).toBe('contexts/tricky-lead.context.yaml');
    expect(after.name).toBe('Sample webhooks');
    // A hand-written collection.yaml may name it instead; the snapshot still gives the path.
    await saveSettings(dir, { defaultContext: 'Plain lead' });
    expect((await openCollection(dir)).defaultContext).toBe('contexts/plain-lead.context.yaml');
  });
});

describe('watching', () => {
  it('reports edits made by another program, not its own saves, moves or deletes', async () => {
    const dir = path.join(work, 's');
    const snap = await initCollection(dir);
    const seen: string[][] = [];
    let notify: () => void = () => undefined;
    const stop = watchCollection(dir, (paths) => {
      seen.push(paths);
      notify();
    });
    try {
      const w = snap.webhooks[0]!;
      await saveWebhook(dir, { path: w.path, baseVersion: w.version, webhook: { ...w.webhook, method: 'PUT' } });
      await movePath(dir, 'webhooks/lookup', 'webhooks/soap');
      await deletePath(dir, 'contexts/tricky-lead.context.yaml');
      const outside = new Promise<void>((resolve) => {
        notify = resolve;
      });
      await writeFile(path.join(dir, 'contexts/plain-lead.context.yaml'), 'name: Changed in an editor\n');
      await outside;
      await new Promise((r) => setTimeout(r, 400));
      expect(seen.flat()).toEqual(['contexts/plain-lead.context.yaml']);
    } finally {
      stop();
    }
    expect((await stat(dir)).isDirectory()).toBe(true);
  });
});
