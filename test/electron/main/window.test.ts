import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../__mocks__/electron'));

const { BrowserWindow } = await import('../../__mocks__/electron');
const { createMainWindow, mainWindowOptions, studioWebPreferences } = await import('../../../electron/main/window');

describe('main window', () => {
  it('runs the renderer isolated, sandboxed, without Node, with web security', () => {
    const prefs = studioWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('creates the window with those preferences and loads the app protocol, never a remote origin', () => {
    const win = createMainWindow('/p/preload.cjs') as unknown as InstanceType<typeof BrowserWindow>;
    expect(BrowserWindow.instances).toContain(win);
    expect(win.options).toEqual(mainWindowOptions('/p/preload.cjs'));
    expect((win.options.webPreferences as Record<string, unknown>).contextIsolation).toBe(true);
    expect(win.loadURL).toHaveBeenCalledTimes(1);
    expect(win.loadURL).toHaveBeenCalledWith('app://studio/');
    expect(win.options.show).toBe(false);
  });
});
