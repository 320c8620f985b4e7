import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHistory, type SentWith } from '@services/history/index';
import { type Exchange, tokenContextSchema, webhookSchema } from '@shared/model';

const HEADER_SECRET = 'hdr-SECRET-in-history-1';
const TOKEN_SECRET = 'tok-SECRET-in-history-2';
const URL_PASSWORD = 'pw-SECRET-in-history-3';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'h3-sent-from-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function exchange(n: number): Exchange {
  return {
    id: `send-${n}`,
    webhook: 'Enrich lead',
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:9/enrich',
      origin: 'http://127.0.0.1:9',
      requestTarget: '/enrich',
      head: 'POST /enrich HTTP/1.1\r\nhost: 127.0.0.1:9\r\n\r\n',
      body: `{"n":${n}}`,
      bodyEncoding: 'utf8',
    },
    timings: { dnsMs: null, connectMs: 1, tlsMs: null, sentMs: 0.2, ttfbMs: 3, downloadMs: 0.1, totalMs: 4 },
    outcome: 'updated',
    message: 'ok',
    redirects: [],
    diagnostics: [],
  };
}

/** A webhook and context as the editor sends them: secret values filled in, as the store would fill them. */
function sentWith(n: number): SentWith {
  return {
    webhook: webhookSchema.parse({
      name: 'Enrich lead',
      url: `https://robin:${URL_PASSWORD}@api.example.com/enrich/${n}?key={{my.Key}}`,
      template: '{"email": {{lead.Email Address}}}',
      encoding: 'json',
      headers: [
        { name: 'X-Api-Key', value: HEADER_SECRET, secret: true, allowedHosts: ['api.example.com'] },
        { name: 'X-Plain', value: 'shown' },
      ],
    }),
    context: tokenContextSchema.parse({
      name: 'Sandy',
      lead: { 'Email Address': 'sandy@example.com' },
      my: { Key: { type: 'text', secret: true, value: TOKEN_SECRET }, Plain: 'visible' },
    }),
  };
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('history: the webhook as it was sent', () => {
  it('keeps the webhook and context beside the exchange, 0600, with no secret value, and gives them back', async () => {
    const history = createHistory(dir);
    const entry = await history.record('webhooks/a.webhook.yaml', exchange(1), sentWith(1));
    expect(entry.sentFrom).toBe(true);
    const files = await filesUnder(path.join(dir, '.studio/history'));
    const sibling = files.find((f) => f.endsWith('send-1.sent-from.json'));
    expect(sibling).toBeDefined();
    if (process.platform !== 'win32') expect((await stat(sibling!)).mode & 0o777).toBe(0o600);
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      for (const secret of [HEADER_SECRET, TOKEN_SECRET, URL_PASSWORD]) expect(text, f).not.toContain(secret);
    }

    const kept = await createHistory(dir).sentFrom(entry.id);
    expect(kept.webhook.url).toBe('https://••••••@api.example.com/enrich/1?key={{my.Key}}');
    expect(kept.webhook.template).toBe('{"email": {{lead.Email Address}}}');
    expect(kept.webhook.encoding).toBe('json');
    expect(kept.webhook.headers).toEqual([
      { name: 'X-Api-Key', value: '', secret: true, allowedHosts: ['api.example.com'] },
      { name: 'X-Plain', value: 'shown' },
    ]);
    expect(kept.context.name).toBe('Sandy');
    expect(kept.context.lead).toEqual({ 'Email Address': 'sandy@example.com' });
    expect(kept.context.my).toEqual({ Key: { type: 'text', secret: true }, Plain: 'visible' });
  });

  it('is pruned with its entry', async () => {
    const history = createHistory(dir, { limitPerWebhook: 2 });
    const first = await history.record('webhooks/a.webhook.yaml', exchange(1), sentWith(1));
    for (let i = 2; i <= 4; i++) await history.record('webhooks/a.webhook.yaml', exchange(i), sentWith(i));
    const names = (await filesUnder(path.join(dir, '.studio/history'))).map((f) => path.basename(f)).sort();
    expect(names).toEqual([
      'index.json',
      'send-3.json',
      'send-3.sent-from.json',
      'send-4.json',
      'send-4.sent-from.json',
    ]);
    await expect(history.sentFrom(first.id)).rejects.toMatchObject({ code: 'not-found' });
    expect((await history.sentFrom((await history.list('webhooks/a.webhook.yaml'))[0]!.id)).webhook.url).toContain(
      '/enrich/4',
    );
  });

  it('says so when an entry was recorded before the webhook was kept, or is gone, or the id is bad', async () => {
    const history = createHistory(dir);
    const older = await history.record('webhooks/a.webhook.yaml', exchange(1));
    expect(older.sentFrom).toBeUndefined();
    await expect(history.sentFrom(older.id)).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/recorded before .* cannot be opened as it was/),
    });
    const key = older.id.slice(0, older.id.indexOf('~'));
    await expect(history.sentFrom(`${key}~never`)).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/no longer kept/),
    });
    await expect(history.sentFrom('../../etc/passwd')).rejects.toMatchObject({ code: 'bad-input' });
  });
});
