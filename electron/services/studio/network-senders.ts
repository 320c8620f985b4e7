import { applyNetwork, type AppliedNetwork } from '../net/collection-network';
import { loadNetworkSettings } from '../collection/network';
import type { SecretStore } from '../secrets/index';
import { createSender, type Sender, type SenderOptions } from '../sender/index';

/** A sender that connects as a collection's network settings say, with those settings as applied. */
export interface CollectionSender {
  sender: Sender;
  applied: AppliedNetwork;
}

/** One sender per distinct set of network settings, so each collection's sends connect as it says. */
export interface NetworkSenders {
  /** Reads the collection's network section now (a change on disk applies to the next send). */
  forCollection(dir: string): Promise<CollectionSender>;
  /** Every sender made so far (to cancel a send wherever it runs). */
  all(): Sender[];
  close(): Promise<void>;
}

export function createNetworkSenders(deps: {
  base: Pick<SenderOptions, 'env' | 'catcherUrl'>;
  secretsFor(dir: string): SecretStore;
}): NetworkSenders {
  // Keyed by a digest of the applied options; a few entries at most (one per distinct setting in use).
  const senders = new Map<string, Sender>();
  return {
    async forCollection(dir) {
      const network = await loadNetworkSettings(dir);
      const applied = await applyNetwork(dir, network, deps.secretsFor(dir));
      let sender = senders.get(applied.key);
      if (sender === undefined) {
        sender = createSender({ ...deps.base, ...applied.options });
        senders.set(applied.key, sender);
      }
      return { sender, applied };
    },
    all: () => [...senders.values()],
    async close() {
      const all = [...senders.values()];
      senders.clear();
      await Promise.all(all.map((s) => s.close()));
    },
  };
}
