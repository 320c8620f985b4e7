import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../__mocks__/electron'));

const { FakeWebContents, FakeSession } = await import('../../__mocks__/electron');
const { denyAllPermissions, isAppUrl, lockDownWebContents } = await import('../../../electron/main/security');
type LockTarget = Parameters<typeof lockDownWebContents>[0];
type SessionTarget = Parameters<typeof denyAllPermissions>[0];

function navigationEvent(url: string) {
  return { url, preventDefault: vi.fn() };
}

describe('web contents lock-down', () => {
  const contents = new FakeWebContents();
  lockDownWebContents(contents as unknown as LockTarget);

  it('denies every new window', () => {
    for (const url of ['https://example.com/', 'app://studio/other', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
  });

  it('denies navigation anywhere, including within the app (the renderer is one page)', () => {
    for (const url of ['https://evil.example/', 'app://studio/', 'file:///tmp/x.html']) {
      const e = navigationEvent(url);
      contents.emit('will-navigate', e);
      expect(e.preventDefault, url).toHaveBeenCalled();
    }
  });

  it('denies frames leaving the app, redirects and <webview>', () => {
    const away = navigationEvent('https://evil.example/');
    contents.emit('will-frame-navigate', away);
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = navigationEvent('app://studio/index.html');
    contents.emit('will-frame-navigate', inside);
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const redirect = navigationEvent('https://evil.example/');
    contents.emit('will-redirect', redirect);
    expect(redirect.preventDefault).toHaveBeenCalled();
    const webview = navigationEvent('');
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });
});

describe('permissions', () => {
  it('refuses every permission request and check', () => {
    const session = new FakeSession();
    denyAllPermissions(session as unknown as SessionTarget);
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'clipboard-sanitized-write',
      'fullscreen',
      'openExternal',
      'midi',
    ]) {
      const callback = vi.fn();
      session.permissionRequestHandler?.({}, permission, callback, {});
      expect(callback, permission).toHaveBeenCalledWith(false);
      expect(session.permissionCheckHandler?.({}, permission, 'app://studio', {})).toBe(false);
    }
    expect(session.devicePermissionHandler?.({})).toBe(false);
  });
});

describe('app URLs', () => {
  it('recognises only app://studio/', () => {
    expect(isAppUrl('app://studio/')).toBe(true);
    expect(isAppUrl('app://studio/assets/x.js')).toBe(true);
    expect(isAppUrl('app://evil/')).toBe(false);
    expect(isAppUrl('app://user@studio/')).toBe(false);
    expect(isAppUrl('https://studio/')).toBe(false);
    expect(isAppUrl('http://127.0.0.1/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
