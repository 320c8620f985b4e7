import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The auth cookie's name carries the port: browsers scope cookies by host, not by port, so two hosts on
 * 127.0.0.1 sharing one name would overwrite each other's token and log each other out.
 */
export function cookieNameFor(port: number): string {
  return `studio_token_${port}`;
}

export function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage, cookieName: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === cookieName) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** Whether the request carries this launch's token, in the cookie of this port or as a bearer token. */
export function carriesToken(req: IncomingMessage, port: number, token: string): boolean {
  return sameToken(cookieToken(req, cookieNameFor(port)), token) || sameToken(bearerToken(req), token);
}
