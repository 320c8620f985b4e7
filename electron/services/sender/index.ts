import os from 'node:os';
import type { NetSettings } from '../net/connector';
import { Deadlines } from './deadlines';
import type { SendControl } from './flight';
import { Links } from './links';
import { Pools } from './pools';
import { send, type SenderState } from './send';
import { sweepSpilledBodiesOnce } from './spill';
import type { Sender, SenderOptions } from './types';

export type { SecretRefusal, Sender, SenderOptions, SendInput } from './types';

/** The TLS and proxy settings every connection of this sender uses. */
function netSettings(options: SenderOptions): NetSettings {
  return {
    ...(options.proxy !== undefined ? { proxy: options.proxy } : {}),
    ...(options.noProxy !== undefined ? { noProxy: options.noProxy } : {}),
    ...(options.extraCa ? { extraCa: options.extraCa } : {}),
    ...(options.clientCert ? { clientCert: options.clientCert } : {}),
    verifyTls: options.verifyTls !== false,
    env: options.env ?? process.env,
  };
}

/**
 * Sends webhooks over HTTP/1.1 (undici, one pool per origin) and records each exchange exactly as it
 * went on the wire: the request from render to bytes (prepare.ts, wire.ts), the hops and redirects
 * (send.ts, pools.ts, redirects.ts), and the record (exchange.ts, response.ts, timings.ts).
 */
export function createSender(options: SenderOptions = {}): Sender {
  const tempDir = options.tempDir ?? os.tmpdir();
  // What an earlier process left behind (killed before its exit handler ran) goes now, off the send path.
  sweepSpilledBodiesOnce(tempDir);
  const state: SenderState = {
    options,
    tempDir,
    pools: new Pools(netSettings(options)),
    active: new Links<SendControl>(),
    deadlines: new Deadlines(),
    closed: false,
  };
  return {
    send: (input) => send(state, input),
    cancel(sendId) {
      // Speed: docs/performance.md#sender
      let latest: SendControl | undefined;
      for (const a of state.active.values()) if (a.sendId === sendId) latest = a;
      if (!latest) return false;
      latest.stop('cancelled');
      return true;
    },
    async close() {
      state.closed = true;
      for (const a of state.active.values()) a.stop('cancelled');
      state.deadlines.clear();
      await state.pools.destroy();
    },
  };
}
