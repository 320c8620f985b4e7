import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { installProcessGuard } from '../services/process/guard';
import { studioSecurityHeaders } from '../services/studio/csp';
import { createStudio, type Studio } from '../services/studio/index';
import { readRendererFile } from '../services/studio/static-files';
import { sendError } from './answers';
import { handleApi, type ApiState } from './api';
import { carriesToken, cookieNameFor, sameToken } from './auth';
import { defaultUserDataDir } from './user-data';

export { cookieNameFor } from './auth';

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
  /** The largest API request body (413 beyond); 64 MiB by default. */
  maxBodyBytes?: number;
  /** The most request body bytes held at once over all requests (503 beyond); 128 MiB by default. */
  maxInFlightBytes?: number;
}

export interface Host {
  /** The address to open: carries this launch's token, which the host trades for a cookie. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

/** Above the largest input the contract takes (an import's content, 50 MiB) with room for its JSON escaping. */
const defaultMaxBodyBytes = 64 * 1024 * 1024;
/** Two of the largest bodies at once: concurrent uploads cannot take the host's memory past this. */
const defaultMaxInFlightBytes = 128 * 1024 * 1024;

/** One running host: its studio, this launch's token, its port (once listening), and what the API holds. */
interface HostState extends ApiState {
  token: string;
  port: number;
  rendererDir: string;
}

const allowedHosts = (h: HostState): string[] => [`127.0.0.1:${h.port}`, `localhost:${h.port}`];
const allowedOrigins = (h: HostState): string[] => allowedHosts(h).map((host) => `http://${host}`);

/** `/?token=…`: trades the launch's token for a cookie, then sends the browser to the studio. */
function tradeToken(h: HostState, url: URL, res: ServerResponse): void {
  if (!sameToken(url.searchParams.get('token') ?? undefined, h.token)) {
    sendError(res, { code: 'unauthorized', message: 'this token is not the one printed for this launch' });
    return;
  }
  res.writeHead(302, {
    'Set-Cookie': `${cookieNameFor(h.port)}=${h.token}; HttpOnly; SameSite=Strict; Path=/`,
    Location: '/',
    'Cache-Control': 'no-store',
  });
  res.end();
}

/** Why a request is refused before it is served: the wrong token, or another site's origin. */
function refusedCaller(h: HostState, req: IncomingMessage, res: ServerResponse): boolean {
  if (!carriesToken(req, h.port, h.token)) {
    sendError(res, {
      code: 'unauthorized',
      message: 'open the address printed by `webhook-studio serve`: it carries the token of this launch',
    });
    return true;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(h).includes(origin.toLowerCase())) {
    sendError(res, { code: 'forbidden', message: `requests from ${origin} are refused` });
    return true;
  }
  return false;
}

/** A file of the built renderer (GET or HEAD), with the studio's security headers. */
async function serveFile(h: HostState, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(res, { code: 'bad-request', message: `${req.method ?? ''} is not served here` });
    return;
  }
  const file = await readRendererFile(h.rendererDir, pathname);
  if (file.status !== 200) {
    res.writeHead(file.status, { 'Content-Type': 'text/plain; charset=utf-8', ...studioSecurityHeaders });
    res.end(`${file.message}\n`);
    return;
  }
  res.writeHead(200, {
    'Content-Type': file.contentType,
    'Cache-Control': 'no-cache',
    ...studioSecurityHeaders,
    'X-Frame-Options': 'DENY',
  });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

async function route(h: HostState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!allowedHosts(h).includes(host)) {
    sendError(res, {
      code: 'forbidden',
      message: `this studio answers only to 127.0.0.1:${h.port} or localhost:${h.port}, not '${req.headers.host ?? ''}'`,
    });
    return;
  }
  const url = new URL(req.url ?? '/', `http://${host}`);
  if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
    tradeToken(h, url, res);
    return;
  }
  if (refusedCaller(h, req, res)) return;
  if (url.pathname.startsWith('/api/')) await handleApi(h, req, res, url.pathname.slice('/api/'.length));
  else await serveFile(h, req, res, url.pathname);
}

function studioOf(options: HostOptions, env: NodeJS.ProcessEnv): Studio {
  return (
    options.studio ??
    createStudio({
      shell: 'browser',
      userDataDir: options.userDataDir ?? defaultUserDataDir(env),
      env,
      ...(options.collectionDir ? { initialCollection: options.collectionDir } : {}),
      ...(options.version ? { version: options.version } : {}),
    })
  );
}

/**
 * The browser host: the built renderer and the whole contract over HTTP, on 127.0.0.1 only. Every
 * request must name this host (Host header, against DNS rebinding) and carry this launch's token
 * (cookie or bearer); API calls must also come from this origin, as JSON, with X-Studio-Request, so a
 * page on another site can neither read nor fire anything (a cross-site form cannot set either).
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const h: HostState = {
    studio: studioOf(options, options.env ?? process.env),
    streams: new Set(),
    limits: {
      maxBodyBytes: options.maxBodyBytes ?? defaultMaxBodyBytes,
      maxInFlightBytes: options.maxInFlightBytes ?? defaultMaxInFlightBytes,
      inFlight: 0,
    },
    token: randomBytes(24).toString('base64url'),
    port: 0,
    rendererDir: options.rendererDir,
  };
  const server = createServer((req, res) => {
    route(h, req, res).catch(() => {
      if (!res.headersSent)
        sendError(res, { code: 'failed', message: 'the studio host failed to answer this request' });
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
  h.port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${h.port}`;
  // An exception nobody caught is logged (without request data) and the host keeps serving.
  const removeGuard = installProcessGuard('host');

  return {
    url: `${origin}/?token=${h.token}`,
    origin,
    token: h.token,
    async close() {
      for (const s of h.streams) s.end();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      if (!options.studio) await h.studio.close();
      removeGuard();
    },
  };
}
