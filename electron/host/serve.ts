import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventNames, StudioError, type StudioErrorShape } from '../../shared/contract';
import { studioSecurityHeaders } from '../services/studio/csp';
import { createStudio, isChannelName, type Studio } from '../services/studio/index';
import { readRendererFile } from './static-files';
import { defaultUserDataDir } from './user-data';

export interface HostOptions {
  collectionDir?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  userDataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** A studio built by the caller (tests, embedders); otherwise the host builds and closes its own. */
  studio?: Studio;
  version?: string;
}

export interface Host {
  /** The address to open: carries this launch's token, which the host trades for a cookie. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

/**
 * The auth cookie's name carries the port: browsers scope cookies by host, not by port, so two hosts on
 * 127.0.0.1 sharing one name would overwrite each other's token and log each other out.
 */
export function cookieNameFor(port: number): string {
  return `studio_token_${port}`;
}
const maxBodyBytes = 64 * 1024 * 1024;
const heartbeatMs = 25_000;

/** HTTP status for each error code; anything else is the studio's failure (500). */
const statusByCode: Record<string, number> = {
  'bad-input': 400,
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'unknown-channel': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
};

function sameToken(given: string | undefined, token: string): boolean {
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

function sendError(res: ServerResponse, error: StudioErrorShape): void {
  const body = JSON.stringify({ error: { code: error.code, message: error.message, ...(error.where ? { where: error.where } : {}), ...(error.issues ? { issues: error.issues } : {}) } });
  res.writeHead(statusByCode[error.code] ?? 500, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new StudioError({ code: 'too-large', message: `the request body is larger than ${maxBodyBytes} bytes` }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The browser host: the built renderer and the whole contract over HTTP, on 127.0.0.1 only. Every
 * request must name this host (Host header, against DNS rebinding) and carry this launch's token
 * (cookie or bearer); API calls must also come from this origin, as JSON, with X-Studio-Request, so a
 * page on another site can neither read nor fire anything (a cross-site form cannot set either).
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const env = options.env ?? process.env;
  const ownStudio = !options.studio;
  const studio =
    options.studio ??
    createStudio({
      shell: 'browser',
      userDataDir: options.userDataDir ?? defaultUserDataDir(env),
      env,
      ...(options.collectionDir ? { initialCollection: options.collectionDir } : {}),
      ...(options.version ? { version: options.version } : {}),
    });
  const token = randomBytes(24).toString('base64url');
  const streams = new Set<ServerResponse>();
  let port = 0;

  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  async function handleApi(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    if (route === 'events') {
      if (req.method !== 'GET') return sendError(res, { code: 'bad-request', message: 'events are read with GET', where: '/api/events' });
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Content-Type-Options': 'nosniff' });
      res.write(': connected\n\n');
      const offs = eventNames.map((name) =>
        studio.on(name, (payload) => {
          res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
        }),
      );
      const beat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
      streams.add(res);
      res.on('close', () => {
        clearInterval(beat);
        for (const off of offs) off();
        streams.delete(res);
      });
      return;
    }
    const channel = route.replace('/', ':');
    if (!/^[a-z]+\/[A-Za-z]+$/.test(route) || !isChannelName(channel)) {
      return sendError(res, { code: 'unknown-channel', message: `no such channel: ${route}`, where: `/api/${route}` });
    }
    if (req.method !== 'POST') return sendError(res, { code: 'bad-request', message: `${channel} is called with POST`, where: channel });
    if (req.headers['x-studio-request'] !== '1') {
      return sendError(res, { code: 'forbidden', message: 'API calls need the X-Studio-Request: 1 header', where: channel });
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return sendError(res, { code: 'unsupported-media-type', message: 'API calls send Content-Type: application/json', where: channel });
    }
    let input: unknown;
    try {
      const body = await readBody(req);
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch (e) {
      if (e instanceof StudioError) return sendError(res, e.toJSON());
      return sendError(res, { code: 'bad-input', message: `${channel}: the body is not JSON (${e instanceof Error ? e.message : String(e)})`, where: channel });
    }
    try {
      const output = await studio.handle(channel, input);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(JSON.stringify(output));
    } catch (e) {
      const err = e instanceof StudioError ? e : new StudioError({ code: 'failed', message: `${channel} failed`, where: channel });
      sendError(res, err.toJSON());
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts().includes(host)) {
      return sendError(res, { code: 'forbidden', message: `this studio answers only to 127.0.0.1:${port} or localhost:${port}, not '${req.headers.host ?? ''}'` });
    }
    const url = new URL(req.url ?? '/', `http://${host}`);

    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      if (!sameToken(url.searchParams.get('token') ?? undefined, token)) {
        return sendError(res, { code: 'unauthorized', message: 'this token is not the one printed for this launch' });
      }
      res.writeHead(302, {
        'Set-Cookie': `${cookieNameFor(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }

    if (!sameToken(cookieToken(req, cookieNameFor(port)), token) && !sameToken(bearerToken(req), token)) {
      return sendError(res, { code: 'unauthorized', message: 'open the address printed by `webhook-studio serve`: it carries the token of this launch' });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin.toLowerCase())) {
      return sendError(res, { code: 'forbidden', message: `requests from ${origin} are refused` });
    }

    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname.slice('/api/'.length));

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, { code: 'bad-request', message: `${req.method ?? ''} is not served here` });
    const file = await readRendererFile(options.rendererDir, url.pathname);
    if (file.status !== 200) {
      res.writeHead(file.status, { 'Content-Type': 'text/plain; charset=utf-8', ...studioSecurityHeaders });
      res.end(`${file.message}\n`);
      return;
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': 'no-cache', ...studioSecurityHeaders, 'X-Frame-Options': 'DENY' });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const server = createServer((req, res) => {
    route(req, res).catch(() => {
      if (!res.headersSent) sendError(res, { code: 'failed', message: 'the studio host failed to answer this request' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    async close() {
      for (const s of streams) s.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownStudio) await studio.close();
    },
  };
}
