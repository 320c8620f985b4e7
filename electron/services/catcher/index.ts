import { createServer, type Socket } from 'node:net';
import type { CaughtRequest } from '@shared/contract';
import { bytesToText, headerText } from '../sender/bytes';
import { RequestParseError, RequestParser, type ParsedRequest } from './request-parser';
import { createRateLimiter, matchRule, type CatcherRule } from './rules';

export { loadCatcherRules, parseCatcherRules, CatcherRulesError, type CatcherRule } from './rules';

export interface CatcherOptions {
  port?: number;
  host?: string;
  rules?: CatcherRule[];
  /** How many requests are kept (oldest dropped first). */
  keep?: number;
  /** The largest request body accepted (413 beyond). */
  maxBodyBytes?: number;
  /** The most head and body text kept over all requests; the oldest are dropped first. */
  maxKeptBytes?: number;
}

export interface Catcher {
  url: string;
  port: number;
  /** Requests with a sequence number above `since`, oldest first. */
  requests(since?: number): CaughtRequest[];
  onRequest(listener: (r: CaughtRequest) => void): () => void;
  setRules(rules: CatcherRule[]): void;
  close(): Promise<void>;
}

/** What the studio knows to be secret in what the catcher caught: header names (whole values masked) and values searched for. */
export interface CatcherSecrets {
  headers: ReadonlySet<string>;
  /** Values searched for anywhere (only long ones, see MIN_SEARCHED_SECRET in secrets/mask). */
  values: string[];
}

/**
 * A caught request as the studio shows it: the values of secret headers masked in the head, and known
 * secret values masked wherever they appear. The catcher keeps the bytes as they arrived (they never
 * leave the process); only what `catcher:requests` returns is masked.
 */
export function maskCaughtRequest(r: CaughtRequest, secrets: CatcherSecrets): CaughtRequest {
  if (secrets.headers.size === 0 && secrets.values.length === 0) return r;
  const search = (text: string): string => {
    let out = text;
    for (const v of secrets.values) if (out.includes(v)) out = out.split(v).join('••••••');
    return out;
  };
  const lines = r.head.split('\r\n').map((line, i) => {
    if (i === 0) return search(line);
    const colon = line.indexOf(':');
    if (colon > 0 && secrets.headers.has(line.slice(0, colon).trim().toLowerCase()))
      return `${line.slice(0, colon)}: ••••••`;
    return search(line);
  });
  return {
    ...r,
    target: search(r.target),
    head: lines.join('\r\n'),
    body: r.bodyEncoding === 'utf8' ? search(r.body) : r.body,
  };
}

const reasons: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function responseBytes(rule: CatcherRule | undefined, close: boolean, head = false): Buffer {
  const status = rule?.status ?? 200;
  const reason = rule?.reason ?? reasons[status] ?? '';
  const body = Buffer.from(rule ? (rule.body ?? '') : '{"ok":true}', 'utf8');
  const headers = rule?.headers ?? (rule ? [] : [{ name: 'Content-Type', value: 'application/json' }]);
  let text = `HTTP/1.1 ${status}${reason ? ` ${reason}` : ''}\r\n`;
  for (const h of headers) text += `${h.name}: ${h.value}\r\n`;
  const has = (n: string): boolean => headers.some((h) => h.name.toLowerCase() === n);
  const bodyless = status === 204 || status === 304 || (status >= 100 && status < 200);
  if (!has('content-length') && !has('transfer-encoding') && !bodyless) text += `Content-Length: ${body.length}\r\n`;
  if (close && !has('connection')) text += 'Connection: close\r\n';
  // A HEAD answer carries the headers a GET would, but never the body.
  return Buffer.concat([Buffer.from(`${text}\r\n`, 'utf8'), bodyless || head ? Buffer.alloc(0) : body]);
}

/**
 * The built-in catcher: a plain TCP server with its own HTTP/1.1 parser, so what it records is the exact
 * bytes that arrived (head and body), not a re-serialisation. Listens on 127.0.0.1 only by default.
 */
export async function startCatcher(options: CatcherOptions = {}): Promise<Catcher> {
  const host = options.host ?? '127.0.0.1';
  const keep = options.keep ?? 1000;
  const maxBodyBytes = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const maxKeptBytes = options.maxKeptBytes ?? 64 * 1024 * 1024;
  let keptBytes = 0;
  let rules: CatcherRule[] = options.rules ?? [];
  const rateLimit = createRateLimiter();
  let seq = 0;
  const kept: CaughtRequest[] = [];
  const listeners = new Set<(r: CaughtRequest) => void>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  function record(req: ParsedRequest): void {
    const body = bytesToText(req.body);
    const caught: CaughtRequest = {
      seq: ++seq,
      receivedAt: new Date().toISOString(),
      method: req.method,
      target: req.target,
      head: headerText(req.head),
      body: body.text,
      bodyEncoding: body.encoding,
    };
    kept.push(caught);
    keptBytes += caught.head.length + caught.body.length;
    let drop = 0;
    while (kept.length - drop > 1 && (kept.length - drop > keep || keptBytes > maxKeptBytes)) {
      const old = kept[drop++] as CaughtRequest;
      keptBytes -= old.head.length + old.body.length;
    }
    if (drop > 0) kept.splice(0, drop);
    for (const l of listeners) {
      try {
        l(caught);
      } catch {
        // A failing listener must not stop the catcher or the other listeners.
      }
    }
  }

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const parser = new RequestParser(maxBodyBytes);
    // Answers go out in order, one after another, even when a rule delays one of them.
    let chain = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      let got: ParsedRequest[];
      try {
        got = parser.push(chunk);
      } catch (e) {
        const status = e instanceof RequestParseError ? e.status : 400;
        socket.removeAllListeners('data');
        chain = chain.then(() => {
          if (!socket.destroyed)
            socket.end(
              responseBytes(
                { status, headers: [{ name: 'Content-Type', value: 'text/plain' }], body: `${(e as Error).message}\n` },
                true,
              ),
            );
        });
        return;
      }
      if (parser.takeContinue()) socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      for (const req of got) {
        record(req);
        const rule = rateLimit(matchRule(rules, req.method, req.target), Date.now());
        chain = chain.then(async () => {
          if (rule?.delayMs) {
            await new Promise<void>((resolve) => {
              const t = setTimeout(() => {
                timers.delete(t);
                resolve();
              }, rule.delayMs);
              timers.add(t);
            });
          }
          if (socket.destroyed) return;
          const bytes = responseBytes(rule, req.close, req.method === 'HEAD');
          if (req.close) socket.end(bytes);
          else socket.write(bytes);
        });
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    requests(since = 0) {
      return kept.filter((r) => r.seq > since);
    },
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setRules(next) {
      rules = [...next];
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      listeners.clear();
    },
  };
}
