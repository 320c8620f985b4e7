import { BrowserWindow, type BrowserWindowConstructorOptions, type WebPreferences } from 'electron';
import { appUrl } from './security';

/** The renderer gets no Node, runs sandboxed, isolated from the preload, with the web's same-origin rules. */
export function studioWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
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
  };
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 520,
    title: 'Webhook Studio',
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: studioWebPreferences(preloadPath),
  };
}

export function createMainWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadPath));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl);
  return win;
}
