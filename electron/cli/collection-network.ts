import path from 'node:path';
import type { AppliedNetwork } from '../services/net/collection-network';
import { asCli } from './command-kit';
import type { CliIo } from './io';

/**
 * How a CLI send or run connects when a collection is given: its collection.yaml `network:` section
 * (files relative to the collection, the proxy password and passphrase from the secrets the CLI reads).
 * Without a collection, nothing: the environment (HTTP_PROXY, ...) and the flags decide, and the
 * collection and secrets code is not even loaded.
 */
export async function collectionNetworkOptions(
  io: CliIo,
  collection: string | undefined,
): Promise<AppliedNetwork['options']> {
  if (collection === undefined) return {};
  const [{ defaultUserDataDir }, { loadNetworkSettings }, { applyNetwork }, { collectionRootOf, createSecrets }] =
    await Promise.all([
      import('../host/user-data'),
      import('../services/collection/network'),
      import('../services/net/collection-network'),
      import('../services/secrets/index'),
    ]);
  const dir = path.resolve(io.cwd, collection);
  const secrets = createSecrets({ dir: collectionRootOf(dir), env: io.env, userDataDir: defaultUserDataDir(io.env) });
  // A setting that cannot be used is bad input (exit 2), its message naming the key.
  const applied = await asCli(async () => applyNetwork(dir, await loadNetworkSettings(dir), secrets));
  if (applied.options.verifyTls === false)
    io.stderr.write(
      "warning: TLS verification is off (the collection's network settings): service certificates are not checked\n",
    );
  return applied.options;
}
