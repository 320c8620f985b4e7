import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { channelNames } from '@shared/contract';

vi.mock('electron', () => import('../../__mocks__/electron'));

const electron = await import('../../__mocks__/electron');
const userData = await mkdtemp(path.join(os.tmpdir(), 'studio-main-'));
electron.app.userData = userData;
await import('../../../electron/main/index');

afterAll(() => rm(userData, { recursive: true, force: true }));

describe('main process start-up', () => {
  it('locks things down before the app is ready', () => {
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    expect(electron.protocol.privileged.map((s) => s.scheme)).toEqual(['app']);
    expect(electron.app.listeners.has('web-contents-created')).toBe(true);
    expect(electron.BrowserWindow.instances).toHaveLength(0);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('when ready: denies permissions, serves app://, registers the contract and opens one locked-down window', async () => {
    electron.app.makeReady();
    await vi.waitFor(() => expect(electron.BrowserWindow.instances).toHaveLength(1));
    const session = electron.session.defaultSession;
    const callback = vi.fn();
    session.permissionRequestHandler?.({}, 'media', callback, {});
    expect(callback).toHaveBeenCalledWith(false);
    expect([...electron.protocol.handlers.keys()]).toEqual(['app']);
    expect(new Set(electron.ipcMain.handlers.keys())).toEqual(new Set(channelNames));
    const win = electron.BrowserWindow.instances[0]!;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect((win.options.webPreferences as { preload: string }).preload).toMatch(/preload[\\/]index\.cjs$/);
    expect(win.loadURL).toHaveBeenCalledWith('app://studio/');
    expect(electron.Menu.applied.length).toBeGreaterThan(0);
  });

  it('locks down any web contents created later', () => {
    const contents = new electron.FakeWebContents();
    electron.app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(contents.listeners.has('will-navigate')).toBe(true);
  });

  it('answers the window through IPC with the studio, sender-checked', async () => {
    const win = electron.BrowserWindow.instances[0]!;
    const handler = electron.ipcMain.handlers.get('app:info')!;
    const ok = (await handler({ sender: { id: win.webContents.id }, senderFrame: { url: 'app://studio/' } }, {})) as {
      ok: boolean;
      value: { shell: string; version: string };
    };
    expect(ok).toMatchObject({ ok: true, value: { shell: 'electron', version: '0.0.0-test' } });
    const refused = (await handler(
      { sender: { id: win.webContents.id + 100 }, senderFrame: { url: 'app://studio/' } },
      {},
    )) as { ok: boolean };
    expect(refused.ok).toBe(false);
  });

  it('File > Open Collection… opens the picked folder, tells the window, and lists it under Open Recent', async () => {
    const picked = path.join(userData, 'picked-collection');
    await mkdir(picked);
    // A folder is opened only when it is a collection (an empty one is refused as not-a-collection).
    await writeFile(path.join(picked, 'collection.yaml'), 'name: Picked\n');
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [picked] });
    type Item = { label?: string; click?: () => void; submenu?: Item[] };
    const find = (items: Item[], label: string): Item | undefined => {
      for (const i of items) {
        if (i.label === label) return i;
        const sub = i.submenu ? find(i.submenu, label) : undefined;
        if (sub) return sub;
      }
      return undefined;
    };
    const menu = () => (electron.Menu.applied.at(-1) as { template: Item[] }).template;
    find(menu(), 'Open Collection…')!.click!();
    const win = electron.BrowserWindow.instances[0]!;
    await vi.waitFor(() =>
      expect(win.webContents.send).toHaveBeenCalledWith('studio:event', {
        event: 'collection:opened',
        payload: { dir: picked },
      }),
    );
    expect(electron.dialog.showOpenDialog).toHaveBeenCalledTimes(1);
    await vi.waitFor(() =>
      expect(find(menu(), 'Open Recent')!.submenu!.map((i) => i.label)).toEqual([`picked-collection — ${picked}`]),
    );
  });
});
