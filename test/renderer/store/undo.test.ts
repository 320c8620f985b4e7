import { beforeEach, describe, expect, it } from 'vitest';
import { StudioError } from '@shared/model/error';
import { createStudioStore } from '@renderer/store/studio-store';
import { fakeApi } from '../fake-api';
import { snapshot } from '../fixtures';

beforeEach(() => globalThis.localStorage?.clear());

/** A fake folder where delete takes a webhook away and restore brings it back, as the trash does on disk. */
async function withTrash(restore?: () => unknown) {
  const full = snapshot();
  let snap = full;
  const fake = fakeApi({
    'collection:open': () => snap,
    'history:list': () => ({ entries: [] }),
    'collection:delete': () => {
      snap = { ...full, webhooks: full.webhooks.filter((w) => w.path !== 'webhooks/enrich.yaml') };
      return { ok: true, trashId: 'abc-12345678' };
    },
    'collection:restore':
      restore ??
      (() => {
        snap = full;
        return { path: 'webhooks/enrich.yaml' };
      }),
  });
  const store = createStudioStore(fake.api, { newId: () => 'send-1' });
  await store.getState().openCollection('/c');
  return { store, ...fake };
}

describe('studio store: undo a delete', () => {
  it('says what was deleted with an Undo that restores it and opens it again', async () => {
    const { store, calls } = await withTrash();
    await store.getState().remove('webhook', 'webhooks/enrich.yaml');
    const notice = store.getState().notices.at(-1)!;
    expect(notice.text).toBe('Deleted Enrich');
    expect(notice.action?.label).toBe('Undo');
    await notice.action?.run();
    expect(calls.find((c) => c.channel === 'collection:restore')?.input).toEqual({
      dir: '/c',
      trashId: 'abc-12345678',
    });
    expect(store.getState().webhooks['webhooks/enrich.yaml']).toBeDefined();
    expect(store.getState().selected).toEqual({ kind: 'webhook', key: 'webhooks/enrich.yaml' });
  });

  it('a restore that is refused says why', async () => {
    const { store } = await withTrash(() =>
      Promise.reject(new StudioError({ code: 'conflict', message: 'webhooks/enrich.yaml was not restored' })),
    );
    await store.getState().remove('webhook', 'webhooks/enrich.yaml');
    await store.getState().notices.at(-1)?.action?.run();
    const last = store.getState().notices.at(-1)!;
    expect(last.kind).toBe('error');
    expect(last.text).toContain('Not restored: webhooks/enrich.yaml was not restored');
  });
});
