import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../__mocks__/electron'));

const { BrowserWindow } = await import('../../__mocks__/electron');
const { createMainWindow } = await import('../../../electron/main/window');

describe('main window', () => {
  const win = createMainWindow('/app/out/preload/index.cjs') as unknown as InstanceType<typeof BrowserWindow>;

  it('runs the renderer isolated, sandboxed, without Node, with web security', () => {
    expect(BrowserWindow.instances).toEqual([win]);
    expect(win.options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('loads the app protocol, never a remote origin, and shows once painted', () => {
    expect(win.loadURL).toHaveBeenCalledTimes(1);
    expect(win.loadURL).toHaveBeenCalledWith('app://studio/');
    expect(win.options.show).toBe(false);
    expect(win.listeners.has('ready-to-show')).toBe(true);
  });
});
