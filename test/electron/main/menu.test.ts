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
    expect(t.map((i) => i.role).filter(Boolean)).toEqual(['editMenu', 'windowMenu']);
    const viewRoles = (find(t, 'View')?.submenu as MenuItemConstructorOptions[]).map((i) => i.role);
    expect(viewRoles).toContain('zoomIn');
    expect(viewRoles).not.toContain('toggleDevTools');
    expect(find(t, 'No recent collections')?.enabled).toBe(false);
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
