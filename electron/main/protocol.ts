import type { Protocol } from 'electron';
import { studioSecurityHeaders } from '../services/studio/csp';
import { readRendererFile } from '../services/studio/static-files';
import { appHost, appScheme } from './security';

/** Must run before the app is ready: `app://` behaves like https (secure context, same-origin rules). */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves `app://studio/...` from the built renderer folder, with the CSP header on every response. */
export async function serveAppRequest(request: Request, rendererDir: string): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== appHost || request.method !== 'GET') {
    return new Response('not found\n', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', ...studioSecurityHeaders },
    });
  }
  const file = await readRendererFile(rendererDir, url.pathname);
  if (file.status !== 200) {
    return new Response(`${file.message}\n`, {
      status: file.status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', ...studioSecurityHeaders },
    });
  }
  return new Response(new Uint8Array(file.body), {
    status: 200,
    headers: { 'Content-Type': file.contentType, ...studioSecurityHeaders },
  });
}

export function registerAppProtocol(protocol: Protocol, rendererDir: string): void {
  protocol.handle(appScheme, (request) => serveAppRequest(request, rendererDir));
}
