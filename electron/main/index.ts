import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session } from 'electron';
import path from 'node:path';
import { StudioError } from '@shared/model/error';
import { installProcessGuard } from '../services/process/guard';
import { createStudio, type Studio } from '../services/studio/index';
import { forwardEvents, registerIpc } from './ipc';
import { menuTemplate } from './menu';
import { registerAppProtocol, registerAppScheme } from './protocol';
import { denyAllPermissions, lockDownWebContents } from './security';
import { createMainWindow } from './window';

// The bundle is out/main/index.cjs; the preload and the renderer are built beside it.
const preloadPath = path.join(__dirname, '..', 'preload', 'index.cjs');
const rendererDir = path.join(__dirname, '..', 'renderer');

let mainWindow: BrowserWindow | undefined;
let studio: Studio | undefined;

// An exception nobody caught is logged (without request data) and the app keeps running.
installProcessGuard('app', (line) => console.error(line));
registerAppScheme(protocol);
app.enableSandbox();
app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));

async function pickFolder(): Promise<string | null> {
  const options = { title: 'Open Collection', properties: ['openDirectory' as const, 'createDirectory' as const] };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

function reportMenuFailure(e: unknown): void {
  const message =
    e instanceof StudioError ? `${e.message}${e.where ? ` (${e.where})` : ''}` : 'the collection could not be opened';
  void dialog.showMessageBox({ type: 'error', title: 'Webhook Studio', message });
}

async function refreshMenu(): Promise<void> {
  if (!studio) return;
  const { dirs } = await studio.handle('collection:recent', {});
  const s = studio;
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        isMac: process.platform === 'darwin',
        isPackaged: app.isPackaged,
        recent: dirs,
        actions: {
          openCollection: () => void s.handle('collection:pick', {}).catch(reportMenuFailure),
          openRecent: (dir) => void s.handle('collection:open', { dir }).catch(reportMenuFailure),
        },
      }),
    ),
  );
}

function openMainWindow(): void {
  mainWindow = createMainWindow(preloadPath);
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });

  void app.whenReady().then(async () => {
    denyAllPermissions(session.defaultSession);
    registerAppProtocol(protocol, rendererDir);
    studio = createStudio({
      shell: 'electron',
      userDataDir: app.getPath('userData'),
      safeStorage,
      env: process.env,
      pickFolder,
      version: app.getVersion(),
    });
    registerIpc(ipcMain, studio, () => mainWindow?.webContents.id);
    forwardEvents(studio, () => mainWindow?.webContents);
    studio.on('collection:opened', () => void refreshMenu());
    await refreshMenu();
    openMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    void studio?.close();
  });
}
