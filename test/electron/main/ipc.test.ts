import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelNames, type ChannelName } from '@shared/contract';
import { createStudio, type Studio } from '@services/studio/index';

vi.mock('electron', () => import('../../__mocks__/electron'));

const { ipcMain, FakeWebContents } = await import('../../__mocks__/electron');
const { forwardEvents, registerIpc } = await import('../../../electron/main/ipc');
type IpcTarget = Parameters<typeof registerIpc>[0];

let tmp: string;
let real: Studio;
const calls: string[] = [];
const trustedId = 42;

/** The real studio, recording which channels reached it. */
function recording(studio: Studio): Studio {
  return { ...studio, handle: (channel, input) => (calls.push(channel), studio.handle(channel, input)) };
}

const invoke = (
  channel: string,
  event: { sender: { id: number }; senderFrame: { url: string } | null },
  input: unknown,
) => {
  const handler = ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(event, input) as Promise<{
    ok: boolean;
    value?: unknown;
    error?: { code: string; message: string; issues?: unknown };
  }>;
};
const fromStudio = { sender: { id: trustedId }, senderFrame: { url: 'app://studio/' } };

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-ipc-'));
  real = createStudio({ shell: 'electron', userDataDir: tmp, env: {} });
  registerIpc(ipcMain as unknown as IpcTarget, recording(real), () => trustedId);
});
afterAll(async () => {
  await real.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('IPC registration', () => {
  it('registers exactly the contract channels', () => {
    expect(new Set(ipcMain.handlers.keys())).toEqual(new Set(channelNames));
    expect(ipcMain.handlers.size).toBe(channelNames.length);
  });

  it('answers a trusted call through the studio', async () => {
    const reply = await invoke('app:info', fromStudio, {});
    expect(reply).toMatchObject({ ok: true, value: { shell: 'electron' } });
    expect(calls.at(-1)).toBe('app:info' satisfies ChannelName);
  });
});

describe('IPC sender check', () => {
  it('refuses another web contents, a foreign frame, and a destroyed frame before the studio is reached', async () => {
    const before = calls.length;
    const cases = [
      { sender: { id: trustedId + 1 }, senderFrame: { url: 'app://studio/' } },
      { sender: { id: trustedId }, senderFrame: { url: 'https://evil.example/' } },
      { sender: { id: trustedId }, senderFrame: { url: 'app://other/' } },
      { sender: { id: trustedId }, senderFrame: null },
    ];
    for (const event of cases) {
      const reply = await invoke('collection:recent', event, {});
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe('forbidden');
    }
    expect(calls.length).toBe(before);
  });

  it('refuses everything while no studio window exists', async () => {
    const handlers = new Map<
      string,
      (event: unknown, input: unknown) => Promise<{ ok: boolean; error?: { code: string } }>
    >();
    const fakeIpc = {
      handle: (c: string, h: (event: unknown, input: unknown) => Promise<{ ok: boolean }>) => handlers.set(c, h),
      removeHandler: (c: string) => handlers.delete(c),
    };
    const unregister = registerIpc(fakeIpc as unknown as IpcTarget, recording(real), () => undefined);
    const before = calls.length;
    const reply = await handlers.get('app:info')?.({ sender: { id: 1 }, senderFrame: { url: 'app://studio/' } }, {});
    expect(reply?.error?.code).toBe('forbidden');
    expect(calls.length).toBe(before);
    unregister();
    expect(handlers.size).toBe(0);
  });
});

describe('IPC schema check', () => {
  it('refuses a malformed payload with the schema message before any service runs', async () => {
    const reply = await invoke('webhook:send', fromStudio, { sendId: '', webhook: { name: 'x' } });
    expect(reply.ok).toBe(false);
    expect(reply.error?.code).toBe('bad-input');
    expect(reply.error?.message).toMatch(/^webhook:send: /);
    expect(reply.error?.message).toMatch(/webhook\.url/);
  });

  it('refuses a malformed collection:init, leaving the disk untouched', async () => {
    const target = path.join(tmp, 'would-be-collection');
    const reply = await invoke('collection:init', fromStudio, { dir: target, overwrite: true });
    expect(reply.error?.code).toBe('bad-input');
    expect(existsSync(target)).toBe(false);
    const good = await invoke('collection:init', fromStudio, { dir: target });
    expect(good.ok).toBe(true);
    expect(existsSync(target)).toBe(true);
  });

  it('refuses unknown fields (strict schemas), not just missing ones', async () => {
    const reply = await invoke('collection:recent', fromStudio, { extra: 1 });
    expect(reply.error?.code).toBe('bad-input');
    expect(reply.error?.message).toMatch(/extra/);
  });
});

describe('event forwarding', () => {
  it('sends contract events to the window on studio:event', () => {
    const listeners = new Map<string, (p: unknown) => void>();
    const studio: Studio = {
      handle: real.handle,
      close: real.close,
      on: (e, l) => (listeners.set(e, l as (p: unknown) => void), () => listeners.delete(e)),
    };
    const contents = new FakeWebContents();
    const off = forwardEvents(studio, (() => contents) as unknown as Parameters<typeof forwardEvents>[1]);
    listeners.get('send:progress')?.({ sendId: 's1', phase: 'done', atMs: 3 });
    expect(contents.send).toHaveBeenCalledWith('studio:event', {
      event: 'send:progress',
      payload: { sendId: 's1', phase: 'done', atMs: 3 },
    });
    contents.destroyed = true;
    listeners.get('send:progress')?.({ sendId: 's1', phase: 'done', atMs: 4 });
    expect(contents.send).toHaveBeenCalledTimes(1);
    off();
    expect(listeners.size).toBe(0);
  });
});
