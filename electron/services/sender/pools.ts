import type { Pool as UndiciPool } from 'undici';
// Speed: docs/performance.md#runner (the Pool alone: 22 modules instead of undici's 110)
import Pool from 'undici/lib/dispatcher/pool.js';
import { ConnectFailure, type ConnectionPhase } from '../net/connect-failure';
import { createConnector, type NetSettings } from '../net/connector';
import { chooseProxy, parseProxyUrl } from '../net/proxy';
import { NON_ASCII } from './bytes';
import { Hop, type ProgressPhase } from './hop';
import { Links } from './links';
import type { WireRequest } from './wire';

/** How one hop went out: to its origin's pool, or in absolute form to a proxy that would not tunnel. */
export interface Route {
  /** The pool's key: the origin, or `forward <proxy URL>` for a proxy that takes requests in absolute form. */
  entryOrigin: string;
  wire: WireRequest;
  forwardedBy?: string;
  /** A proxy's own credentials, masked in the record. */
  masked?: string;
}

/** What every hop of one send is dispatched with. */
export interface HopPlan {
  sink: ConstructorParameters<typeof Hop>[1];
  progress: ((phase: ProgressPhase, at: number) => void) | undefined;
  timeoutMs: number;
}

interface OriginEntry {
  pool: UndiciPool;
  /** Hops waiting for a connection, oldest first: connection phases are reported to the first. */
  waiting: Links<Hop>;
  /** Takes a hop out of `waiting`. Speed: docs/performance.md#sender */
  leave: (hop: Hop) => void;
}

const forwardPrefix = 'forward ';

/**
 * The undici pools of one sender, one per origin (and one per proxy that takes requests in absolute
 * form), each with the connector that honours the sender's TLS and proxy settings.
 */
export class Pools {
  private readonly entries = new Map<string, OriginEntry>();
  /** Plain-http origins whose proxy refused a CONNECT tunnel, with that proxy's URL. */
  private readonly forwarded = new Map<string, string>();

  constructor(private readonly net: NetSettings) {}

  /**
   * How a request goes to `origin`: straight (or tunnelled with CONNECT by the connector), or, once a
   * proxy has refused to tunnel to a plain-http origin, handed to that proxy in absolute form.
   */
  route(origin: string, wire: WireRequest): Route {
    const proxyUrl = this.forwarded.size === 0 ? undefined : this.forwarded.get(origin);
    if (proxyUrl === undefined) return { entryOrigin: origin, wire };
    const proxy = this.proxyFor(origin);
    if (!proxy) return { entryOrigin: origin, wire };
    const headers = proxy.authorization ? [...wire.headers, 'proxy-authorization', proxy.authorization] : wire.headers;
    return {
      entryOrigin: `${forwardPrefix}${proxy.url}`,
      wire: { ...wire, path: `${origin}${wire.path}`, headers, ascii: wire.ascii && !NON_ASCII.test(origin) },
      forwardedBy: proxy.url,
      ...(proxy.authorization ? { masked: proxy.authorization } : {}),
    };
  }

  /** Sends one hop on its route's pool; the hop settles `done` when its answer is in (or it failed or stopped). */
  dispatch(via: Route, plan: HopPlan): Hop {
    const entry = this.entryFor(via.entryOrigin);
    const wire = via.wire;
    // The hop leaves the waiting list once connected or, if it ends before that, when it ends.
    const hop = new Hop(wire, plan.sink, plan.progress, entry.leave);
    hop.waiting = entry.waiting.push(hop);
    entry.pool.dispatch(
      {
        path: wire.path,
        method: wire.method,
        headers: wire.headers,
        body: wire.body,
        reset: wire.reset,
        // The send's own timer is the deadline; these only stop undici from waiting on its longer defaults.
        headersTimeout: plan.timeoutMs + 1_000,
        bodyTimeout: plan.timeoutMs + 1_000,
      },
      hop,
    );
    return hop;
  }

  /**
   * After a proxy refused to tunnel to a plain-http origin (nothing reached the service), the next
   * requests to it go to that proxy in absolute form. True when the hop should be sent again that way.
   */
  forwardAfterRefusal(hop: Hop, origin: string): boolean {
    if (!(hop.error instanceof ConnectFailure) || hop.error.code !== 'EPROXY_NO_TUNNEL') return false;
    if (!origin.startsWith('http:') || this.forwarded.has(origin)) return false;
    const proxy = this.proxyFor(origin);
    if (!proxy) return false;
    this.forwarded.set(origin, proxy.url);
    return true;
  }

  /** Closes every pool (their connections with them). */
  async destroy(): Promise<void> {
    const pools = [...this.entries.values()].map((e) => e.pool);
    this.entries.clear();
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }

  private proxyFor(origin: string): ReturnType<typeof chooseProxy>['proxy'] {
    const url = new URL(origin);
    return chooseProxy('http:', url.hostname, Number(url.port || 80), this.net).proxy;
  }

  /**
   * The pool for an origin, or for a proxy taking requests in absolute form (dialled directly, never via
   * another proxy; over TLS, checked like a service's certificate, when it is an https:// proxy).
   */
  private entryFor(key: string): OriginEntry {
    const found = this.entries.get(key);
    if (found) return found;
    const forward = key.startsWith(forwardPrefix);
    const waiting = new Links<Hop>();
    const onPhase = (phase: ConnectionPhase, at: number): void => {
      waiting.first()?.reportPhase(phase, at);
    };
    const proxyUrl = forward ? key.slice(forwardPrefix.length) : undefined;
    // The key holds the proxy's URL without credentials: those go in each forwarded request's header.
    const connect = createConnector(
      this.net,
      onPhase,
      proxyUrl === undefined ? undefined : parseProxyUrl(proxyUrl, 'proxy'),
    );
    const entry: OriginEntry = {
      pool: new Pool(proxyUrl ?? key, {
        connect,
        pipelining: 1,
        keepAliveTimeout: 4_000,
      }),
      waiting,
      leave: (hop) => {
        if (hop.waiting) waiting.remove(hop.waiting);
      },
    };
    this.entries.set(key, entry);
    return entry;
  }
}
