import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { menuTemplate } from '../../../electron/main/menu';

function find(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions | undefined {
  for (const item of items) {
    if (item.label === label) return item;
    const sub = Array.isArray(item.submenu) ? find(item.submenu, label) : undefined;
    if (sub) return sub;
  }
  return undefined;
}

describe('application menu', () => {
  const actions = { openCollection: vi.fn(), openRecent: vi.fn() };

  it('has Open Collection… on Ctrl/Cmd+O and the usual edit, view and window menus', () => {
    const t = menuTemplate({ isMac: false, isPackaged: true, recent: [], actions });
    const open = find(t, 'Open Collection…');
    expect(open?.accelerator).toBe('CmdOrCtrl+O');
    (open?.click as () => void)();
    expect(actions.openCollection).toHaveBeenCalledTimes(1);
    expect(t.map((i) => i.role).filter(Boolean)).toEqual(['editMenu']);
    expect(find(t, 'Window')).toBeDefined();
    const viewRoles = (find(t, 'View')?.submenu as MenuItemConstructorOptions[]).map((i) => i.role);
    expect(viewRoles).toContain('zoomIn');
    expect(viewRoles).not.toContain('toggleDevTools');
    expect(find(t, 'No recent collections')?.enabled).toBe(false);
  });

  it('leaves Ctrl/Cmd+W to the page (it closes the studio tab): closing the window takes Shift too', () => {
    for (const isMac of [false, true]) {
      const t = menuTemplate({ isMac, isPackaged: true, recent: [], actions });
      const all = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
        items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? all(i.submenu) : [])]);
      const items = all(t);
      // A role without an accelerator gets Electron's default, which for Close is Ctrl/Cmd+W.
      for (const close of items.filter((i) => i.role === 'close')) expect(close.accelerator).toBe('CmdOrCtrl+Shift+W');
      expect(items.map((i) => i.accelerator)).not.toContain('CmdOrCtrl+W');
      // A menu role that holds Close (windowMenu, fileMenu) would bring the default back.
      expect(items.map((i) => i.role)).not.toContain('windowMenu');
      expect(items.map((i) => i.role)).not.toContain('fileMenu');
    }
  });

  it('lists recent collections, each opening its folder', () => {
    const t = menuTemplate({ isMac: true, isPackaged: false, recent: ['/home/a/hooks', '/srv/b'], actions });
    expect(t[0]?.role).toBe('appMenu');
    const recent = find(t, 'Open Recent')?.submenu as MenuItemConstructorOptions[];
    expect(recent.map((i) => i.label)).toEqual(['hooks — /home/a/hooks', 'b — /srv/b']);
    (recent[1]?.click as () => void)();
    expect(actions.openRecent).toHaveBeenCalledWith('/srv/b');
    expect((find(t, 'View')?.submenu as MenuItemConstructorOptions[]).map((i) => i.role)).toContain('toggleDevTools');
  });
});
