import type { Session, WebContents } from 'electron';

/** The app is served from this origin only; nothing else may run with the preload's API. */
export const appScheme = 'app';
export const appHost = 'studio';
export const appUrl = `${appScheme}://${appHost}/`;

/** True for a URL of the studio's own protocol (WHATWG gives custom schemes an opaque origin, so compare parts). */
export function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === `${appScheme}:` && url.host === appHost && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/**
 * Every web contents the app creates: no new windows, no navigation away (a link in a response
 * preview must not replace the studio), no <webview>. Applied from app 'web-contents-created', so it
 * covers contents the studio did not expect too.
 */
export function lockDownWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The studio needs no camera, notifications, clipboard reads, HID or anything else: every request is refused. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
