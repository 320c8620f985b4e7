import { describe, expect, it, vi } from 'vitest';
import { StudioError } from '@shared/model/error';
import { channelNames, eventNames, reviveStudioApi, splitChannel, type StudioApi } from '@shared/contract';

vi.mock('electron', () => import('../../__mocks__/electron'));

const { contextBridge, ipcRenderer } = await import('../../__mocks__/electron');
await import('../../../electron/preload');

type Api = Record<string, unknown> & { on: (event: string, l: (p: unknown) => void) => () => void };
const api = contextBridge.exposed.get('studio') as Api;

describe('preload bridge', () => {
  it('exposes only window.studio', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['studio']);
  });

  it('has one named method per contract channel and nothing generic', () => {
    const expected = new Map<string, string[]>();
    for (const c of channelNames) {
      const { domain, verb } = splitChannel(c);
      expected.set(domain, [...(expected.get(domain) ?? []), verb]);
    }
    expect(Object.keys(api).sort()).toEqual([...expected.keys(), 'on'].sort());
    for (const [domain, verbs] of expected) {
      expect(Object.keys(api[domain] as object).sort(), domain).toEqual([...verbs].sort());
    }
    for (const generic of ['invoke', 'send', 'ipcRenderer', 'require']) expect(api[generic]).toBeUndefined();
  });

  it('calls the named channel with the input', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { dirs: ['/a'] } });
    const out = await (api.collection as { recent: (i: unknown) => Promise<unknown> }).recent({});
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('collection:recent', {});
    expect(out).toEqual({ dirs: ['/a'] });
  });

  it('rejects with the StudioError shape', async () => {
    const error = {
      code: 'bad-input',
      message: 'collection:open: dir: a collection folder is required',
      where: 'collection:open',
      issues: [{ path: 'dir', message: 'a collection folder is required' }],
    };
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error });
    await expect((api.collection as { open: (i: unknown) => Promise<unknown> }).open({ dir: '' })).rejects.toEqual({
      name: 'StudioError',
      ...error,
    });
  });

  it('becomes a real StudioError again in the page once revived', async () => {
    const revived = reviveStudioApi(api as unknown as StudioApi);
    ipcRenderer.invoke.mockResolvedValueOnce({
      ok: false,
      error: { code: 'conflict', message: 'a.yaml changed on disk', where: 'a.yaml' },
    });
    const failure = await revived.collection
      .saveWebhook({ dir: '/c', webhook: { name: 'a', url: 'http://x' } })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StudioError);
    expect(failure).toMatchObject({ code: 'conflict', message: 'a.yaml changed on disk', where: 'a.yaml' });
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { dirs: [] } });
    expect(await revived.collection.recent({})).toEqual({ dirs: [] });
  });

  it('delivers contract events to their listeners only, until unsubscribed', () => {
    const relay = ipcRenderer.listeners.get('studio:event')!;
    const got: unknown[] = [];
    const off = api.on('runner:progress', (p) => got.push(p));
    relay({}, { event: 'runner:progress', payload: { runId: 'r' } });
    relay({}, { event: 'send:progress', payload: { sendId: 's' } });
    off();
    relay({}, { event: 'runner:progress', payload: { runId: 'r2' } });
    expect(got).toEqual([{ runId: 'r' }]);
    expect(() => api.on('evil:event', () => undefined)).toThrow(/unknown studio event/);
    expect(eventNames).toContain('runner:progress');
  });
});
