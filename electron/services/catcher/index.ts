import { createServer, type Socket } from 'node:net';
import type { CaughtRequest } from '@shared/contract';
import { serveConnection, type CatcherState } from './connection';
import { KeptRequests } from './kept';
import { createRateLimiter, type CatcherRule } from './rules';

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

/**
 * The built-in catcher: a plain TCP server with its own HTTP/1.1 parser, so what it records is the exact
 * bytes that arrived (head and body), not a re-serialisation. Listens on 127.0.0.1 only by default.
 */
export async function startCatcher(options: CatcherOptions = {}): Promise<Catcher> {
  const host = options.host ?? '127.0.0.1';
  const state: CatcherState = {
    rules: options.rules ?? [],
    rateLimit: createRateLimiter(),
    kept: new KeptRequests(options.keep ?? 1000, options.maxKeptBytes ?? 64 * 1024 * 1024),
    maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
    sockets: new Set<Socket>(),
    timers: new Set<NodeJS.Timeout>(),
  };
  const server = createServer((socket) => {
    serveConnection(state, socket);
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
    requests: (since = 0) => state.kept.since(since),
    onRequest: (listener) => state.kept.listen(listener),
    setRules(next) {
      state.rules = [...next];
    },
    async close() {
      for (const t of state.timers) clearTimeout(t);
      state.timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const s of state.sockets) s.destroy();
      });
      state.kept.stopListening();
    },
  };
}
