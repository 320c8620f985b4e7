import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StudioError, type StudioErrorShape } from '@shared/model/error';
import { eventNames } from '../../shared/contract';
import { jsonDepthExceeded } from '../../shared/engine/json-error';
import { installProcessGuard } from '../services/process/guard';
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

/**
 * The auth cookie's name carries the port: browsers scope cookies by host, not by port, so two hosts on
 * 127.0.0.1 sharing one name would overwrite each other's token and log each other out.
 */
export function cookieNameFor(port: number): string {
  return `studio_token_${port}`;
}
/** Above the largest input the contract takes (an import's content, 50 MiB) with room for its JSON escaping. */
const defaultMaxBodyBytes = 64 * 1024 * 1024;
/** Two of the largest bodies at once: concurrent uploads cannot take the host's memory past this. */
const defaultMaxInFlightBytes = 128 * 1024 * 1024;
/** JSON nesting an API input may have; the contract's deepest input (a webhook) nests a handful of levels. */
const maxInputDepth = 64;
/** After refusing a body, how long and how much of the rest is read and dropped before the socket closes. */
const lingerMs = 2_000;
const lingerBytes = 256 * 1024 * 1024;
const heartbeatMs = 25_000;
/** Input fields that name files or folders: a NUL in one is bad input, which Node would fail on with its own words. */
const pathFields = new Set([
  'dir',
  'path',
  'from',
  'to',
  'file',
  'fileName',
  'webhookPath',
  'contextPath',
  'webhookPaths',
]);

/** HTTP status for each error code; anything else is the studio's failure (500). */
const statusByCode: Record<string, number> = {
  'bad-input': 400,
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'unknown-channel': 404,
  'not-found': 404,
  // The folder is there but is not a collection (or a link leads out of it): the request, not the studio, is at fault.
  'not-a-collection': 422,
  'outside-collection': 403,
  'body-file-gone': 404,
  'permission-denied': 403,
  'not-a-body-file': 400,
  'not-a-report': 403,
  'not-resumable': 409,
  'nothing-to-resume': 409,
  'bad-file': 400,
  'binary-file': 400,
  ambiguous: 400,
  conflict: 409,
  'too-large': 413,
  'file-too-large': 413,
  'unsupported-media-type': 415,
  busy: 503,
  unavailable: 503,
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

function sendError(res: ServerResponse, error: StudioErrorShape, extraHeaders: Record<string, string> = {}): void {
  const body = JSON.stringify({
    error: {
      code: error.code,
      message: error.message,
      ...(error.where ? { where: error.where } : {}),
      ...(error.issues ? { issues: error.issues } : {}),
    },
  });
  res.writeHead(statusByCode[error.code] ?? 500, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extraHeaders,
  });
  res.end(body);
}

/**
 * Answers a request whose body is refused (too large, or the host is full), then reads and drops what
 * the client still sends for a while before closing. Closing at once would leave unread bytes in the
 * socket, and the kernel answers those with a reset that can destroy the answer before the client
 * reads it: the client must actually see its 413 or 503.
 */
function refuseBody(
  req: IncomingMessage,
  res: ServerResponse,
  error: StudioErrorShape,
  extraHeaders: Record<string, string> = {},
): void {
  sendError(res, error, { Connection: 'close', ...extraHeaders });
  let dropped = 0;
  const stop = (): void => {
    clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = setTimeout(stop, lingerMs);
  timer.unref();
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > lingerBytes) stop();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('error', () => clearTimeout(timer));
  req.resume();
}

/** The request body, or the reason it was refused (the answer is then already on its way). */
type BodyRead = { ok: true; body: Buffer } | { ok: false };

/** Where a string with a NUL sits among the input's path fields (`dir`, `webhookPaths.2`), if anywhere. */
function nulInPathField(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  for (const [key, value] of Object.entries(input)) {
    if (!pathFields.has(key)) continue;
    if (typeof value === 'string' && value.includes('\0')) return key;
    if (Array.isArray(value)) {
      const i = value.findIndex((v) => typeof v === 'string' && v.includes('\0'));
      if (i >= 0) return `${key}.${i}`;
    }
  }
  return undefined;
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
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const maxInFlightBytes = options.maxInFlightBytes ?? defaultMaxInFlightBytes;
  /** Request body bytes held (or announced by Content-Length and reserved) by requests not yet answered. */
  let inFlight = 0;

  const tooLarge = (where: string): StudioErrorShape => ({
    code: 'too-large',
    message: `the request body is larger than ${maxBodyBytes} bytes, the most the studio accepts`,
    where,
  });
  const busy = (where: string): StudioErrorShape => ({
    code: 'busy',
    message: `the studio is already receiving ${maxInFlightBytes} bytes of other requests; try again in a moment`,
    where,
  });

  /**
   * Reads a request body within both limits. A Content-Length is checked (and reserved against the
   * total) before a byte is read; a body without one is counted as it comes. The reservation is given
   * back when the answer has gone.
   */
  function readBody(req: IncomingMessage, res: ServerResponse, where: string): Promise<BodyRead> {
    let reserved = 0;
    res.once('close', () => {
      inFlight -= reserved;
      reserved = 0;
    });
    const declared = req.headers['content-length'] === undefined ? 0 : Number(req.headers['content-length']);
    if (declared > maxBodyBytes) {
      refuseBody(req, res, tooLarge(where));
      return Promise.resolve({ ok: false });
    }
    if (declared > 0 && inFlight + declared > maxInFlightBytes) {
      refuseBody(req, res, busy(where), { 'Retry-After': '1' });
      return Promise.resolve({ ok: false });
    }
    inFlight += declared;
    reserved = declared;
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer): void => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          req.off('data', onData);
          chunks.length = 0;
          refuseBody(req, res, tooLarge(where));
          resolve({ ok: false });
          return;
        }
        if (size > reserved) {
          if (inFlight + (size - reserved) > maxInFlightBytes) {
            req.off('data', onData);
            chunks.length = 0;
            refuseBody(req, res, busy(where), { 'Retry-After': '1' });
            resolve({ ok: false });
            return;
          }
          inFlight += size - reserved;
          reserved = size;
        }
        chunks.push(chunk);
      };
      req.on('data', onData);
      req.on('end', () => resolve({ ok: true, body: Buffer.concat(chunks) }));
      req.on('error', () => resolve({ ok: false }));
    });
  }

  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  async function handleApi(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    if (route === 'events') {
      if (req.method !== 'GET')
        return sendError(res, { code: 'bad-request', message: 'events are read with GET', where: '/api/events' });
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Content-Type-Options': 'nosniff',
      });
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
    if (req.method !== 'POST')
      return sendError(res, { code: 'bad-request', message: `${channel} is called with POST`, where: channel });
    if (req.headers['x-studio-request'] !== '1') {
      return sendError(res, {
        code: 'forbidden',
        message: 'API calls need the X-Studio-Request: 1 header',
        where: channel,
      });
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return sendError(res, {
        code: 'unsupported-media-type',
        message: 'API calls send Content-Type: application/json',
        where: channel,
      });
    }
    let input: unknown;
    const read = await readBody(req, res, channel);
    if (!read.ok) return;
    const text = read.body.toString('utf8');
    if (jsonDepthExceeded(text, maxInputDepth) >= 0) {
      return sendError(res, {
        code: 'bad-input',
        message: `${channel}: the body nests deeper than ${maxInputDepth} levels`,
        where: channel,
      });
    }
    try {
      input = read.body.length === 0 ? {} : JSON.parse(text);
    } catch (e) {
      return sendError(res, {
        code: 'bad-input',
        message: `${channel}: the body is not JSON (${e instanceof Error ? e.message : String(e)})`,
        where: channel,
      });
    }
    const nul = nulInPathField(input);
    if (nul !== undefined) {
      return sendError(res, {
        code: 'bad-input',
        message: `${channel}: ${nul} holds a NUL character, which no file or folder name can`,
        where: channel,
        issues: [{ path: nul, message: 'a file or folder name cannot hold a NUL character' }],
      });
    }
    try {
      const output = await studio.handle(channel, input);
      res.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(JSON.stringify(output));
    } catch (e) {
      const err =
        e instanceof StudioError
          ? e
          : new StudioError({ code: 'failed', message: `${channel} failed`, where: channel });
      sendError(res, err.toJSON());
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts().includes(host)) {
      return sendError(res, {
        code: 'forbidden',
        message: `this studio answers only to 127.0.0.1:${port} or localhost:${port}, not '${req.headers.host ?? ''}'`,
      });
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
      return sendError(res, {
        code: 'unauthorized',
        message: 'open the address printed by `webhook-studio serve`: it carries the token of this launch',
      });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin.toLowerCase())) {
      return sendError(res, { code: 'forbidden', message: `requests from ${origin} are refused` });
    }

    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname.slice('/api/'.length));

    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendError(res, { code: 'bad-request', message: `${req.method ?? ''} is not served here` });
    const file = await readRendererFile(options.rendererDir, url.pathname);
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

  const server = createServer((req, res) => {
    route(req, res).catch(() => {
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
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  // An exception nobody caught is logged (without request data) and the host keeps serving.
  const removeGuard = installProcessGuard('host');

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
      removeGuard();
    },
  };
}
