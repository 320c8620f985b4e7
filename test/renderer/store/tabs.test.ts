import { beforeEach, describe, expect, it } from 'vitest';
import type { CollectionSnapshot } from '@shared/contract';
import { createStudioStore } from '@renderer/store/studio-store';
import { fakeApi } from '../fake-api';
import { snapshot, webhook } from '../fixtures';

// Each test starts from a browser that kept no session.
beforeEach(() => globalThis.localStorage?.clear());

const ENRICH = 'webhooks/enrich.yaml';
const LOOKUP = 'webhooks/crm/lookup.yaml';
const PLAIN = 'contexts/plain.yaml';

/** A store on a fake collection whose `collection:open` answers what `disk.snap` holds now. */
async function opened(disk: { snap: CollectionSnapshot } = { snap: snapshot() }, handlers = {}) {
  const fake = fakeApi({ 'collection:open': () => disk.snap, 'history:list': () => ({ entries: [] }), ...handlers });
  const store = createStudioStore(fake.api, { newId: () => 'send-1' });
  await store.getState().openCollection('/c');
  return { store, ...fake };
}

const keys = (s: { tabs: { key: string }[] }) => s.tabs.map((t) => t.key);

describe('tabs: opening and following the documents', () => {
  it('gives the webhook opened on load a tab, then one to each document opened, once', async () => {
    const { store } = await opened();
    expect(keys(store.getState())).toEqual([ENRICH]);
    store.getState().select('context', PLAIN);
    store.getState().select('webhook', LOOKUP);
    store.getState().select('webhook', ENRICH);
    const draft = store.getState().newWebhook();
    expect(store.getState().tabs).toEqual([
      { kind: 'webhook', key: ENRICH },
      { kind: 'context', key: PLAIN },
      { kind: 'webhook', key: LOOKUP },
      { kind: 'webhook', key: draft },
    ]);
  });

  it('keeps a saved draft in its tab, in place, under its new key', async () => {
    const { store } = await opened(undefined, {
      'collection:saveWebhook': () => ({ path: 'webhooks/new.yaml', version: 'n1' }),
    });
    const draft = store.getState().newWebhook();
    store.getState().select('webhook', LOOKUP);
    expect(keys(store.getState())).toEqual([ENRICH, draft, LOOKUP]);
    expect(await store.getState().save(draft)).toBe(true);
    expect(keys(store.getState())).toEqual([ENRICH, 'webhooks/new.yaml', LOOKUP]);
  });

  it('keeps a moved webhook in its tab, in place, under its new path', async () => {
    const disk = { snap: snapshot() };
    const { store } = await opened(disk, {
      'collection:move': (i: unknown) => {
        const { from, to } = i as { from: string; to: string };
        const webhooks = disk.snap.webhooks.map((w) => (w.path === from ? { ...w, path: to, folder: 'sales' } : w));
        disk.snap = { ...disk.snap, webhooks };
        return { path: to };
      },
    });
    store.getState().select('webhook', LOOKUP);
    store.getState().select('context', PLAIN);
    await store.getState().move(LOOKUP, 'sales');
    expect(keys(store.getState())).toEqual([ENRICH, 'webhooks/sales/lookup.yaml', PLAIN]);
  });

  it('drops the tab of a document whose file went away, unless it holds unsaved edits', async () => {
    const disk = { snap: snapshot() };
    const { store } = await opened(disk);
    store.getState().select('webhook', LOOKUP);
    store.getState().select('context', PLAIN);
    store.getState().updateContext(PLAIN, { ...store.getState().contexts[PLAIN]!.value, name: 'Plain (mine)' });
    disk.snap = snapshot({ webhooks: snapshot().webhooks.slice(0, 1), contexts: [] });
    await store.getState().refresh();
    expect(keys(store.getState())).toEqual([ENRICH, PLAIN]);
  });
});

describe('tabs: closing and reopening', () => {
  it('shows the right-hand neighbour of a closed tab, else the left one, else nothing (and keeps nothing on a refresh)', async () => {
    const { store } = await opened();
    store.getState().select('webhook', LOOKUP);
    store.getState().select('context', PLAIN);
    store.getState().select('webhook', LOOKUP);
    store.getState().closeTab();
    expect(store.getState().selected).toEqual({ kind: 'context', key: PLAIN });
    // A context is shown: Send acts on the webhook tab left open.
    expect(store.getState().currentWebhook).toBe(ENRICH);
    store.getState().closeTab();
    expect(store.getState().currentWebhook).toBe(ENRICH);
    store.getState().closeTab();
    expect(store.getState().tabs).toEqual([]);
    expect(store.getState().selected).toBeUndefined();
    expect(store.getState().currentWebhook).toBeUndefined();
    await store.getState().refresh();
    expect(store.getState().tabs).toEqual([]);
    expect(store.getState().currentWebhook).toBeUndefined();
  });

  it('reopens the last closed tab first, and skips one whose document is gone', async () => {
    const { store } = await opened();
    store.getState().select('webhook', LOOKUP);
    store.getState().select('context', PLAIN);
    store.getState().closeTab({ kind: 'webhook', key: LOOKUP });
    store.getState().closeTab({ kind: 'context', key: PLAIN });
    expect(keys(store.getState())).toEqual([ENRICH]);
    store.getState().reopenTab();
    expect(keys(store.getState())).toEqual([ENRICH, PLAIN]);
    expect(store.getState().selected).toEqual({ kind: 'context', key: PLAIN });
    store.getState().reopenTab();
    expect(keys(store.getState())).toEqual([ENRICH, PLAIN, LOOKUP]);
    expect(store.getState().currentWebhook).toBe(LOOKUP);
  });

  it('asks before closing unsaved edits: Cancel keeps the tab, the edits and no question is left open', async () => {
    const { store } = await opened();
    store.getState().updateWebhook(ENRICH, { url: 'https://mine.example.com' });
    store.getState().closeTab();
    expect(store.getState().closingTab).toEqual({ kind: 'webhook', key: ENRICH });
    expect(keys(store.getState())).toEqual([ENRICH]);
    await store.getState().answerClose('cancel');
    expect(store.getState().closingTab).toBeUndefined();
    expect(keys(store.getState())).toEqual([ENRICH]);
    expect(store.getState().webhooks[ENRICH]?.value.url).toBe('https://mine.example.com');
  });

  it('Discard on a never-saved draft closes it; reopening (or Undo) brings the draft back with its edits', async () => {
    const { store } = await opened();
    const draft = store.getState().newWebhook();
    store.getState().updateWebhook(draft, { name: 'Mine', url: 'https://mine.example.com' });
    store.getState().closeTab();
    await store.getState().answerClose('discard');
    expect(store.getState().webhooks[draft]).toBeUndefined();
    expect(keys(store.getState())).toEqual([ENRICH]);
    const undo = store.getState().notices.at(-1);
    expect(undo?.text).toBe('Discarded the unsaved edits to Mine');
    store.getState().reopenTab();
    const back = store.getState().currentWebhook;
    expect(back && store.getState().webhooks[back]).toMatchObject({
      dirty: true,
      value: { name: 'Mine', url: 'https://mine.example.com' },
    });
    expect(keys(store.getState())).toEqual([ENRICH, back]);
  });

  it('Save writes the file, then closes the tab; a refused save keeps it open', async () => {
    let refuse = true;
    const { store, calls } = await opened(undefined, {
      'collection:saveWebhook': () => {
        if (refuse) throw new Error('disk full');
        return { path: ENRICH, version: 'v2' };
      },
    });
    store.getState().select('webhook', LOOKUP);
    store.getState().select('webhook', ENRICH);
    store.getState().updateWebhook(ENRICH, webhook('Enrich (mine)'));
    store.getState().closeTab();
    await store.getState().answerClose('save');
    expect(keys(store.getState())).toEqual([ENRICH, LOOKUP]);
    expect(store.getState().webhooks[ENRICH]?.dirty).toBe(true);
    refuse = false;
    store.getState().closeTab();
    await store.getState().answerClose('save');
    expect(keys(store.getState())).toEqual([LOOKUP]);
    expect(store.getState().currentWebhook).toBe(LOOKUP);
    expect(calls.filter((c) => c.channel === 'collection:saveWebhook')).toHaveLength(2);
  });
});

describe('tabs: across a reload', () => {
  it('restores the tabs (a draft under its new key) and the one shown; a tab whose file went away is dropped', async () => {
    const disk = { snap: snapshot() };
    const first = (await opened(disk)).store;
    first.getState().select('webhook', LOOKUP);
    const draft = first.getState().newWebhook();
    first.getState().updateWebhook(draft, { name: 'Never saved' });
    first.getState().select('context', PLAIN);
    // A reload leaves the page first, which writes the session.
    globalThis.dispatchEvent(new Event('pagehide'));
    disk.snap = snapshot({ webhooks: snapshot().webhooks.slice(0, 1) });
    const s = (await opened(disk)).store.getState();
    const restored = s.webhookOrder.find((k) => s.webhooks[k]?.value.name === 'Never saved');
    expect(restored).toBeDefined();
    expect(s.tabs).toEqual([
      { kind: 'webhook', key: ENRICH },
      { kind: 'webhook', key: restored },
      { kind: 'context', key: PLAIN },
    ]);
    expect(s.selected).toEqual({ kind: 'context', key: PLAIN });
  });
});
