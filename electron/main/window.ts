import { BrowserWindow } from 'electron';
import { appUrl } from './security';

/**
 * The studio's one window. The options are written out here, literally, so that reviewers and
 * electronegativity read them where the window is made: the renderer gets no Node, runs sandboxed,
 * isolated from the preload, with the web's same-origin rules; middle-click cannot open anything.
 */
export function createMainWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 520,
    title: 'Webhook Studio',
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
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
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl);
  return win;
}
