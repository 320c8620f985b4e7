import { beforeEach, describe, expect, it, vi } from 'vitest';
import { StudioError } from '@shared/model/error';
import { type CollectionSnapshot } from '@shared/contract';
import { defaultProfile } from '@shared/model';
import { createStudioStore, explicitProfile, movedPath } from '@renderer/store/studio-store';
import { readSession } from '@renderer/store/session';
import { fakeApi } from '../fake-api';
import { exchange, snapshot, webhook } from '../fixtures';

// Drafts are kept in localStorage per collection; each test starts from a browser that kept none.
beforeEach(() => globalThis.localStorage?.clear());

/** A fake collection folder: saves land in the snapshot that the next open returns, as on disk. */
function savingTo(disk: { snap: CollectionSnapshot }, path: string, version: string) {
  return (input: unknown) => {
    const { webhook: w, folder } = input as {
      webhook: CollectionSnapshot['webhooks'][number]['webhook'];
      folder?: string;
    };
    disk.snap = {
      ...disk.snap,
      webhooks: [
        ...disk.snap.webhooks.filter((x) => x.path !== path),
        { path, folder: folder ?? '', version, webhook: w },
      ],
    };
    return { path, version };
  };
}

async function opened(handlers: Parameters<typeof fakeApi>[0] = {}, snap: CollectionSnapshot = snapshot()) {
  const fake = fakeApi({ 'collection:open': () => snap, 'history:list': () => ({ entries: [] }), ...handlers });
  const store = createStudioStore(fake.api, { newId: () => 'send-1' });
  await store.getState().openCollection('/c');
  return { store, ...fake };
}

describe('studio store: opening', () => {
  it('restores unsaved edits, a never-saved draft and the open document in a new page on the same collection', async () => {
    const first = (await opened()).store;
    first.getState().updateWebhook('webhooks/crm/lookup.yaml', { name: 'Lookup (mine)' });
    const draft = first.getState().newWebhook();
    first.getState().updateWebhook(draft, { name: 'Never saved' });
    first.getState().select('webhook', 'webhooks/crm/lookup.yaml');
    // A reload leaves the page first, which writes the session.
    globalThis.dispatchEvent(new Event('pagehide'));
    const s = (await opened()).store.getState();
    expect(s.selected).toEqual({ kind: 'webhook', key: 'webhooks/crm/lookup.yaml' });
    expect(s.currentWebhook).toBe('webhooks/crm/lookup.yaml');
    expect(s.webhooks['webhooks/crm/lookup.yaml']).toMatchObject({ dirty: true, value: { name: 'Lookup (mine)' } });
    expect(s.webhookOrder.map((k) => s.webhooks[k]?.value.name)).toContain('Never saved');
    expect(s.webhooks['webhooks/enrich.yaml']?.dirty).toBe(false);
  });

  it('writes the session after a pause in typing, not on every keystroke, and at once when the page is left', async () => {
    const store = (await opened()).store;
    const drafts = () => readSession('/c').drafts.map((d) => (d.value as { name?: string }).name);
    for (const name of ['L', 'Lo', 'Loo']) store.getState().updateWebhook('webhooks/crm/lookup.yaml', { name });
    expect(drafts()).toEqual([]);
    globalThis.dispatchEvent(new Event('pagehide'));
    expect(drafts()).toEqual(['Loo']);
  });

  it('loads webhooks and contexts, opens the first webhook and makes the first context active', async () => {
    const { store } = await opened();
    const s = store.getState();
    expect(s.webhookOrder).toEqual(['webhooks/enrich.yaml', 'webhooks/crm/lookup.yaml']);
    expect(s.selected).toEqual({ kind: 'webhook', key: 'webhooks/enrich.yaml' });
    expect(s.activeContext).toBe('contexts/plain.yaml');
    expect(s.recent[0]).toBe('/c');
  });

  it('reports a failed open as a notice naming the problem', async () => {
    const fake = fakeApi({
      'collection:open': () =>
        Promise.reject(new StudioError({ code: 'not-found', message: 'no collection at /nope', where: 'dir' })),
    });
    const store = createStudioStore(fake.api);
    await store.getState().openCollection('/nope');
    expect(store.getState().dir).toBeUndefined();
    expect(store.getState().notices.map((n) => n.text)).toEqual(['no collection at /nope (dir)']);
  });

  it('picks the collection default context by name', async () => {
    const snap = snapshot({
      defaultContext: 'Tricky',
      contexts: [
        ...snapshot().contexts,
        {
          path: 'contexts/tricky.yaml',
          version: 'c2',
          context: { ...snapshot().contexts[0]!.context, name: 'Tricky' },
        },
      ],
    });
    const { store } = await opened({}, snap);
    expect(store.getState().activeContext).toBe('contexts/tricky.yaml');
  });
});

describe('studio store: editing and saving', () => {
  it('marks a webhook dirty on edit and clean when the edit is undone', async () => {
    const { store } = await opened();
    store.getState().updateWebhook('webhooks/enrich.yaml', { url: 'https://other.example.com/' });
    expect(store.getState().webhooks['webhooks/enrich.yaml']?.dirty).toBe(true);
    store.getState().updateWebhook('webhooks/enrich.yaml', { url: webhook('Enrich').url });
    expect(store.getState().webhooks['webhooks/enrich.yaml']?.dirty).toBe(false);
  });

  it('saves with the version it opened, then holds the new version', async () => {
    const disk = { snap: snapshot() };
    const { store, calls } = await opened({
      'collection:open': () => disk.snap,
      'collection:saveWebhook': savingTo(disk, 'webhooks/enrich.yaml', 'v2'),
    });
    store.getState().updateWebhook('webhooks/enrich.yaml', { name: 'Enrich 2' });
    expect(await store.getState().save()).toBe(true);
    const call = calls.find((c) => c.channel === 'collection:saveWebhook');
    expect(call?.input).toMatchObject({
      dir: '/c',
      path: 'webhooks/enrich.yaml',
      baseVersion: 'v1',
      webhook: { name: 'Enrich 2' },
    });
    const doc = store.getState().webhooks['webhooks/enrich.yaml'];
    expect(doc).toMatchObject({ version: 'v2', dirty: false });
  });

  it('gives a new webhook the path the collection chose, keeping it selected', async () => {
    const disk = { snap: snapshot() };
    const { store } = await opened({
      'collection:open': () => disk.snap,
      'collection:saveWebhook': savingTo(disk, 'webhooks/new-webhook.yaml', 'n1'),
    });
    const key = store.getState().newWebhook();
    expect(store.getState().webhooks[key]?.dirty).toBe(true);
    await store.getState().save(key);
    const s = store.getState();
    expect(s.webhooks[key]).toBeUndefined();
    expect(s.webhooks['webhooks/new-webhook.yaml']?.path).toBe('webhooks/new-webhook.yaml');
    expect(s.selected).toEqual({ kind: 'webhook', key: 'webhooks/new-webhook.yaml' });
    expect(s.webhookOrder.at(-1)).toBe('webhooks/new-webhook.yaml');
  });

  it('applies only the latest of overlapping refreshes, so a stale snapshot cannot undo a delete', async () => {
    let release: ((s: CollectionSnapshot) => void) | undefined;
    const stale = snapshot();
    let calls = 0;
    const { store } = await opened({
      'collection:open': () => {
        calls++;
        if (calls === 2) return new Promise<CollectionSnapshot>((r) => (release = r));
        return calls === 1 ? stale : snapshot({ webhooks: [snapshot().webhooks[1]!] });
      },
      'collection:delete': () => ({ ok: true }),
    });
    const slow = store.getState().refresh();
    await store.getState().remove('webhook', 'webhooks/enrich.yaml');
    await new Promise((r) => setTimeout(r, 0));
    release?.(stale);
    await slow;
    expect(store.getState().webhooks['webhooks/enrich.yaml']).toBeUndefined();
  });

  it('keeps the edits and shows the conflict when the file changed on disk', async () => {
    const { store } = await opened({
      'collection:saveWebhook': () =>
        Promise.reject(new StudioError({ code: 'conflict', message: 'webhooks/enrich.yaml changed on disk.' })),
    });
    store.getState().updateWebhook('webhooks/enrich.yaml', { name: 'Mine' });
    expect(await store.getState().save()).toBe(false);
    const doc = store.getState().webhooks['webhooks/enrich.yaml'];
    expect(doc?.value.name).toBe('Mine');
    expect(doc?.dirty).toBe(true);
    expect(doc?.conflict).toContain('changed on disk');
  });

  it('overwrites after a conflict only when asked, without a base version', async () => {
    const { store, calls } = await opened({
      'collection:saveWebhook': () => ({ path: 'webhooks/enrich.yaml', version: 'v3' }),
    });
    store.getState().updateWebhook('webhooks/enrich.yaml', { name: 'Mine' });
    await store.getState().save('webhooks/enrich.yaml', { overwrite: true });
    const input = calls.find((c) => c.channel === 'collection:saveWebhook')?.input as { baseVersion?: string };
    expect(input.baseVersion).toBeUndefined();
  });
});

describe('studio store: outside changes', () => {
  it('refreshes clean documents and keeps dirty ones, flagging a disk change', async () => {
    let snap = snapshot();
    const { store, emit } = await opened({ 'collection:open': () => snap });
    store.getState().updateWebhook('webhooks/enrich.yaml', { name: 'Mine' });
    snap = snapshot({
      webhooks: [
        { path: 'webhooks/enrich.yaml', folder: '', version: 'v9', webhook: webhook('Theirs') },
        {
          path: 'webhooks/crm/lookup.yaml',
          folder: 'crm',
          version: 'v9',
          webhook: webhook('Lookup renamed', { method: 'GET' }),
        },
      ],
    });
    emit('collection:changed', { dir: '/c', paths: ['webhooks/enrich.yaml', 'webhooks/crm/lookup.yaml'] });
    await new Promise((r) => setTimeout(r, 0));
    const s = store.getState();
    expect(s.webhooks['webhooks/crm/lookup.yaml']?.value.name).toBe('Lookup renamed');
    expect(s.webhooks['webhooks/enrich.yaml']?.value.name).toBe('Mine');
    expect(s.webhooks['webhooks/enrich.yaml']?.conflict).toMatch(/changed on disk/);
  });

  it('keeps a dirty webhook whose file was deleted outside', async () => {
    let snap = snapshot();
    const { store } = await opened({ 'collection:open': () => snap });
    store.getState().updateWebhook('webhooks/enrich.yaml', { name: 'Mine' });
    snap = snapshot({ webhooks: [snapshot().webhooks[1]!] });
    await store.getState().refresh();
    const doc = store.getState().webhooks['webhooks/enrich.yaml'];
    expect(doc?.value.name).toBe('Mine');
    expect(doc?.conflict).toMatch(/deleted or moved/);
  });

  it('ignores changes to another collection', async () => {
    const { store, emit, calls } = await opened();
    const before = calls.length;
    emit('collection:changed', { dir: '/other', paths: [] });
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.length).toBe(before);
    expect(store.getState().dir).toBe('/c');
  });
});

describe('studio store: sending', () => {
  it('sends the edited webhook with the active context, the target and only the changed profile options', async () => {
    const snap = snapshot({ profile: { ...defaultProfile, timeoutMs: 5000 } });
    const { store, calls, emit } = await opened(
      {
        'webhook:send': async () => {
          emit('send:progress', { sendId: 'send-1', phase: 'headers', atMs: 12 });
          expect(store.getState().sends['webhooks/enrich.yaml']?.phases).toEqual([{ phase: 'headers', atMs: 12 }]);
          return exchange();
        },
      },
      snap,
    );
    store.getState().setTarget('catcher');
    store.getState().updateWebhook('webhooks/enrich.yaml', { template: 'x' });
    await store.getState().send();
    const input = calls.find((c) => c.channel === 'webhook:send')?.input as Record<string, unknown>;
    expect(input).toMatchObject({
      dir: '/c',
      webhookPath: 'webhooks/enrich.yaml',
      target: 'catcher',
      sendId: 'send-1',
      profile: { timeoutMs: 5000 },
    });
    expect(Object.keys(input['profile'] as object)).toEqual(['timeoutMs']);
    expect((input['webhook'] as { template: string }).template).toBe('x');
    expect((input['context'] as { name: string }).name).toBe('Plain');
    const s = store.getState();
    expect(s.exchanges['webhooks/enrich.yaml']?.id).toBe('x1');
    expect(s.sends['webhooks/enrich.yaml']).toBeUndefined();
  });

  it('reports a failed send and frees the Send button', async () => {
    const { store } = await opened({
      'webhook:send': () =>
        Promise.reject(new StudioError({ code: 'refused', message: "secret 'X-Key' may not be sent to evil.example" })),
    });
    await store.getState().send();
    expect(store.getState().sends['webhooks/enrich.yaml']).toBeUndefined();
    expect(store.getState().notices.at(-1)?.text).toBe("Not sent: secret 'X-Key' may not be sent to evil.example");
  });

  it('cancels the send in flight by its id', async () => {
    let release: (() => void) | undefined;
    const { store, calls } = await opened({
      'webhook:send': () =>
        new Promise((r) => (release = () => r(exchange({ outcome: 'cancelled', response: undefined })))),
      'webhook:cancel': () => ({ cancelled: true }),
    });
    const sending = store.getState().send();
    await store.getState().cancel();
    expect(calls.find((c) => c.channel === 'webhook:cancel')?.input).toEqual({ sendId: 'send-1' });
    release?.();
    await sending;
    expect(store.getState().exchanges['webhooks/enrich.yaml']?.outcome).toBe('cancelled');
  });
});

describe('studio store: organising', () => {
  it('moves a webhook by changing only the folder part of its path', async () => {
    const { store, calls } = await opened({ 'collection:move': (i) => ({ path: (i as { to: string }).to }) });
    await store.getState().move('webhooks/crm/lookup.yaml', 'sales/eu');
    expect(calls.find((c) => c.channel === 'collection:move')?.input).toEqual({
      dir: '/c',
      from: 'webhooks/crm/lookup.yaml',
      to: 'webhooks/sales/eu/lookup.yaml',
    });
  });

  it('refuses to move a webhook with unsaved edits', async () => {
    const { store, calls } = await opened();
    store.getState().updateWebhook('webhooks/enrich.yaml', { name: 'Mine' });
    await store.getState().move('webhooks/enrich.yaml', 'x');
    expect(calls.some((c) => c.channel === 'collection:move')).toBe(false);
    expect(store.getState().notices.at(-1)?.text).toMatch(/Save or discard/);
  });

  it('deletes a saved webhook on disk and selects the next one', async () => {
    const { store, calls } = await opened({ 'collection:delete': () => ({ ok: true }) });
    await store.getState().remove('webhook', 'webhooks/enrich.yaml');
    expect(calls.find((c) => c.channel === 'collection:delete')?.input).toEqual({
      dir: '/c',
      path: 'webhooks/enrich.yaml',
    });
    expect(store.getState().selected).toEqual({ kind: 'webhook', key: 'webhooks/crm/lookup.yaml' });
  });

  it('duplicates a webhook as a new saved file named “copy”', async () => {
    const disk = { snap: snapshot() };
    const { store, calls } = await opened({
      'collection:open': () => disk.snap,
      'collection:saveWebhook': savingTo(disk, 'webhooks/enrich-copy.yaml', 'd1'),
    });
    await store.getState().duplicate('webhook', 'webhooks/enrich.yaml');
    const input = calls.find((c) => c.channel === 'collection:saveWebhook')?.input as {
      webhook: { name: string; url: string };
      path?: string;
    };
    expect(input.webhook.name).toBe('Enrich copy');
    expect(input.path).toBeUndefined();
    expect(store.getState().webhooks['webhooks/enrich-copy.yaml']?.dirty).toBe(false);
  });
});

describe('helpers', () => {
  it('movedPath keeps the collection layout', () => {
    expect(movedPath('webhooks/a.yaml', '', 'x/y')).toBe('webhooks/x/y/a.yaml');
    expect(movedPath('webhooks/x/y/a.yaml', 'x/y', '')).toBe('webhooks/a.yaml');
    expect(movedPath('a.yaml', '', 'f')).toBe('f/a.yaml');
  });

  it('explicitProfile keeps only options that differ from the defaults', () => {
    expect(explicitProfile({ ...defaultProfile, followRedirects: true, timeoutMs: 30_000 })).toEqual({
      followRedirects: true,
    });
  });
});

describe('studio store: profile', () => {
  it('saves only the options that differ from the documented defaults', async () => {
    const { store, calls } = await opened({ 'collection:saveSettings': () => ({ ok: true }) });
    await store.getState().saveProfile({ followRedirects: true });
    expect(calls.find((c) => c.channel === 'collection:saveSettings')?.input).toEqual({
      dir: '/c',
      profile: { followRedirects: true },
    });
    expect(store.getState().profile.followRedirects).toBe(true);
  });
});

describe('studio store: notices in the user words (issue 15)', () => {
  it('leaves out internal channel names, from where and from a schema message', async () => {
    const { store } = await opened({
      'secrets:set': () =>
        Promise.reject(new StudioError({ code: 'bad-input', message: 'the keychain is locked', where: 'secrets:set' })),
      'collection:move': () =>
        Promise.reject(
          new StudioError({
            code: 'bad-input',
            message: 'collection:move: to: Invalid input',
            where: 'collection:move',
            issues: [{ path: 'to', message: 'Invalid input' }],
          }),
        ),
    });
    await store.getState().setSecret('K', 'v');
    expect(store.getState().notices.at(-1)?.text).toBe('Secret not stored: the keychain is locked');
    await store.getState().move('webhooks/enrich.yaml', 'crm');
    expect(store.getState().notices.at(-1)?.text).toBe('Not moved: ‘to’: Invalid input');
    for (const n of store.getState().notices) expect(n.text).not.toMatch(/secrets:set|collection:move|webhook:send/);
  });

  it('dismisses a notice that is not an error by itself; an error stays until dismissed', async () => {
    vi.useFakeTimers();
    try {
      const { store } = await opened({
        'secrets:set': () => ({}),
        'collection:saveWebhook': () => Promise.reject(new StudioError({ code: 'x', message: 'disk full' })),
      });
      await store.getState().setSecret('K', 'v');
      store.getState().notify('error', 'bad');
      expect(store.getState().notices.map((n) => n.kind)).toEqual(['info', 'error']);
      vi.advanceTimersByTime(10_000);
      expect(store.getState().notices.map((n) => n.text)).toEqual(['bad']);
      store.getState().dismiss(store.getState().notices[0]!.id);
      expect(store.getState().notices).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
