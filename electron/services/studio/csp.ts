/**
 * The Content Security Policy of the studio's renderer, sent as a header by both shells (the Electron
 * `app://` protocol and the browser host) and mirrored by the meta tag in renderer/index.html.
 * Scripts come only from the app itself; the renderer talks only to its own origin (the host's API);
 * no frames, plugins, forms or base-URI tricks. The meta tag and this header both apply (the
 * stricter wins), so they list the same sources.
 */
export const studioCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Headers every renderer response carries in both shells. */
export const studioSecurityHeaders: Record<string, string> = {
  'Content-Security-Policy': studioCsp,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
