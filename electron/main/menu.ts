import type { MenuItemConstructorOptions } from 'electron';
import path from 'node:path';

export interface MenuActions {
  openCollection(): void;
  openRecent(dir: string): void;
}

/** The application menu: the usual shortcuts through Electron roles, plus Open Collection… and recent collections. */
export function menuTemplate(options: {
  isMac: boolean;
  isPackaged: boolean;
  recent: string[];
  actions: MenuActions;
}): MenuItemConstructorOptions[] {
  const { isMac, actions } = options;
  const recentItems: MenuItemConstructorOptions[] = options.recent.length
    ? options.recent.map((dir) => ({ label: `${path.basename(dir)} — ${dir}`, click: () => actions.openRecent(dir) }))
    : [{ label: 'No recent collections', enabled: false }];
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Collection…', accelerator: 'CmdOrCtrl+O', click: () => actions.openCollection() },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        // Cmd/Ctrl+W closes the studio's tab (the page handles it); the window closes with Shift added.
        isMac ? { role: 'close', accelerator: 'CmdOrCtrl+Shift+W' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        // Reload and developer tools only in development: a packaged studio has nothing to debug for its users.
        ...(options.isPackaged
          ? []
          : [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }]),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    // Spelled out rather than `role: 'windowMenu'`, whose Close takes Ctrl+W on Windows and Linux before the page
    // can close its tab.
    {
      label: 'Window',
      submenu: [
        { role: 'minimize' },
        { role: 'zoom' },
        ...(isMac
          ? [{ type: 'separator' as const }, { role: 'front' as const }]
          : [{ role: 'close' as const, accelerator: 'CmdOrCtrl+Shift+W' }]),
      ],
    },
  ];
  return template;
}
