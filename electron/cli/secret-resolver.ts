import { defaultUserDataDir } from '../host/user-data';
import { collectionRootOf, createSecrets, resolverOf, type SecretResolver } from '../services/secrets/index';

export type { SecretResolver };

/**
 * How a CLI send or run finds the secrets a webhook names. Secrets (never in the webhook file) come from
 * the environment, the collection's .env, or the per-user store the browser host writes; see createSecrets.
 * `near` is the collection folder, or a file inside it (the webhook file without --collection).
 */
export function secretResolverFor(env: NodeJS.ProcessEnv, near: string): SecretResolver {
  return resolverOf(createSecrets({ dir: collectionRootOf(near), env, userDataDir: defaultUserDataDir(env) }));
}
