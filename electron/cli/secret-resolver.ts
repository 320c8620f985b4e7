import { defaultUserDataDir } from '../host/user-data';
import { collectionRootOf, createSecrets } from '../services/secrets/index';

/** A secret's value for a request to a host, or why it is refused (no value anywhere, or a host it is not bound to). */
export type SecretResolver = (name: string, host: string) => string | { refused: string; missing?: boolean };

/**
 * How a CLI send or run finds the secrets a webhook names. Secrets (never in the webhook file) come from
 * the environment, the collection's .env, or the per-user store the browser host writes; see createSecrets.
 * `near` is the collection folder, or a file inside it (the webhook file without --collection).
 */
export function secretResolverFor(env: NodeJS.ProcessEnv, near: string): SecretResolver {
  const secrets = createSecrets({ dir: collectionRootOf(near), env, userDataDir: defaultUserDataDir(env) });
  return (name, host) => {
    const r = secrets.resolveFor(name, host);
    return 'value' in r ? r.value : r;
  };
}
