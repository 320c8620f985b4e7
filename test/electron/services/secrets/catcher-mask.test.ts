import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStudio, type Studio } from '@services/studio/index';
import { tokenContextSchema, webhookSchema } from '@shared/model';

let tmp: string;
let studio: Studio;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'catcher-mask-'));
  studio = createStudio({ shell: 'browser', userDataDir: path.join(tmp, 'user-data'), env: {} });
});
afterAll(async () => {
  await studio.close();
  await rm(tmp, { recursive: true, force: true });
});

it('catcher:requests shows secret header values and known secret values masked; the wire carried them', async () => {
  const dir = path.join(tmp, 'c');
  await studio.handle('collection:init', { dir });
  await studio.handle('secrets:set', { dir, name: 'X-Api-Key', value: 'catcher-SECRET-1' });
  await studio.handle('secrets:set', { dir, name: 'my.Token', value: 'catcher-TOKEN-22' });
  const webhook = webhookSchema.parse({
    name: 'w',
    url: 'http://catcher.local/hook?t={{my.Token}}',
    template: 't={{my.Token}}',
    headers: [{ name: 'X-Api-Key', secret: true }],
  });
  const context = tokenContextSchema.parse({ name: 'c', my: { Token: { type: 'text', secret: true } } });
  const ex = await studio.handle('webhook:send', { sendId: 's1', dir, webhook, context });
  expect(ex.outcome).toBe('updated');
  const { requests } = await studio.handle('catcher:requests', { since: 0 });
  const caught = requests.at(-1)!;
  expect(caught.head).toContain('X-Api-Key: ••••••');
  expect(caught.target).toBe('/hook?t=••••••');
  expect(caught.body).toBe('t=••••••');
  expect(JSON.stringify(requests)).not.toContain('catcher-SECRET-1');
  expect(JSON.stringify(requests)).not.toContain('catcher-TOKEN-22');
});
