import { beforeEach, describe, expect, it } from 'vitest';
import { type CollectionSnapshot } from '@shared/contract';
import { createStudioStore } from '@renderer/store/studio-store';
import { fakeApi } from '../fake-api';
import { snapshot } from '../fixtures';

beforeEach(() => globalThis.localStorage?.clear());

async function opened(handlers: Parameters<typeof fakeApi>[0] = {}, snap: CollectionSnapshot = snapshot()) {
  const fake = fakeApi({ 'collection:open': () => snap, 'history:list': () => ({ entries: [] }), ...handlers });
  const store = createStudioStore(fake.api, { newId: () => 'send-1' });
  await store.getState().openCollection('/c');
  return { store, ...fake };
}

describe('studio store: rename renames the file', () => {
  it('renames on disk by name only: other unsaved edits stay unsaved, the selection and history follow the new path', async () => {
    const { store, calls } = await opened({
      'collection:rename': () => ({ path: 'webhooks/crm/account-lookup.yaml', version: 'v2' }),
    });
    store.getState().select('webhook', 'webhooks/crm/lookup.yaml');
    store.getState().updateWebhook('webhooks/crm/lookup.yaml', { url: 'https://edited.example' });
    await store.getState().rename('webhook', 'webhooks/crm/lookup.yaml', '  Account lookup ');
    expect(calls.find((c) => c.channel === 'collection:rename')?.input).toEqual({
      dir: '/c',
      path: 'webhooks/crm/lookup.yaml',
      name: 'Account lookup',
      baseVersion: 'v1',
    });
    expect(calls.some((c) => c.channel === 'collection:saveWebhook')).toBe(false);
    const s = store.getState();
    expect(s.webhooks['webhooks/crm/lookup.yaml']).toBeUndefined();
    const doc = s.webhooks['webhooks/crm/account-lookup.yaml'];
    expect(doc).toMatchObject({
      path: 'webhooks/crm/account-lookup.yaml',
      version: 'v2',
      dirty: true,
      value: { name: 'Account lookup', url: 'https://edited.example' },
      saved: { name: 'Account lookup', url: 'https://api.example.com/hook?id={{lead.Id}}' },
    });
    expect(s.selected).toEqual({ kind: 'webhook', key: 'webhooks/crm/account-lookup.yaml' });
    expect(s.currentWebhook).toBe('webhooks/crm/account-lookup.yaml');
    expect(
      calls.some(
        (c) =>
          c.channel === 'history:list' &&
          (c.input as { webhookPath: string }).webhookPath === 'webhooks/crm/account-lookup.yaml',
      ),
    ).toBe(true);
  });

  it('refuses a name another webhook in the folder has, in any case, naming both', async () => {
    const both = snapshot();
    both.webhooks.push({
      path: 'webhooks/crm/x.yaml',
      folder: 'crm',
      version: 'v1',
      webhook: { ...both.webhooks[1]!.webhook, name: 'Other' },
    });
    const { store, calls } = await opened({}, both);
    await store.getState().rename('webhook', 'webhooks/crm/x.yaml', 'LOOKUP');
    expect(calls.some((c) => c.channel === 'collection:rename')).toBe(false);
    expect(store.getState().notices.at(-1)?.text).toBe(
      'Not renamed: There is already a webhook named “Lookup” in folder crm, which differs from “LOOKUP” only in case (one file on macOS and Windows); choose another name.',
    );
    // The same name in another folder is no clash.
    await store.getState().rename('webhook', 'webhooks/crm/x.yaml', 'Enrich');
    expect(calls.some((c) => c.channel === 'collection:rename')).toBe(true);
  });
});

describe('studio store: a name typed in the editor', () => {
  it('is refused on save when the folder has it', async () => {
    const { store, calls } = await opened();
    store.getState().newWebhook('crm');
    const draft = store.getState().webhookOrder.at(-1) ?? '';
    store.getState().updateWebhook(draft, { name: 'lookup' });
    expect(await store.getState().save(draft)).toBe(false);
    expect(calls.some((c) => c.channel === 'collection:saveWebhook')).toBe(false);
    expect(store.getState().notices.at(-1)?.text).toMatch(
      /^Not saved: There is already a webhook named “Lookup” in folder crm/,
    );
  });
});

describe('studio store: names unique in a folder', () => {
  it('a second new webhook or context is “… 2”; a folder of its own starts again', async () => {
    const { store } = await opened();
    const a = store.getState().newWebhook();
    const b = store.getState().newWebhook();
    const c = store.getState().newWebhook('crm');
    const names = (k: string) => store.getState().webhooks[k]?.value.name;
    expect([names(a), names(b), names(c)]).toEqual(['New webhook', 'New webhook 2', 'New webhook']);
    const x = store.getState().newContext();
    const y = store.getState().newContext();
    expect([store.getState().contexts[x]?.value.name, store.getState().contexts[y]?.value.name]).toEqual([
      'New context',
      'New context 2',
    ]);
  });

  it('a move onto the folder a webhook is in already, or onto one with its name, changes nothing', async () => {
    const both = snapshot();
    both.webhooks.push({
      path: 'webhooks/crm/enrich.yaml',
      folder: 'crm',
      version: 'v1',
      webhook: both.webhooks[0]!.webhook,
    });
    const { store, calls } = await opened({}, both);
    await store.getState().move('webhooks/crm/lookup.yaml', 'crm');
    await store.getState().move('webhooks/enrich.yaml', 'crm');
    expect(calls.some((c) => c.channel === 'collection:move')).toBe(false);
    expect(store.getState().notices.at(-1)?.text).toMatch(
      /^Not moved: There is already a webhook named “Enrich” in folder crm/,
    );
  });
});
