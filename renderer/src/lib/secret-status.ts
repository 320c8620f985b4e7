import { secretEnvName } from '@shared/formats/secret-names';
import { useStudio } from '../store/context';

/** Where a secret's value comes from, if it has one: variables spell names their own way (`X_API_KEY`), so names are compared as variables. */
export function secretSource(
  name: string,
  sources: Array<{ name: string; source: 'store' | '.env' | 'environment' }>,
): 'store' | '.env' | 'environment' | undefined {
  const key = secretEnvName(name);
  let found: 'store' | '.env' | 'environment' | undefined;
  for (const s of sources) {
    if (s.name !== name && secretEnvName(s.name) !== key) continue;
    // The environment overrides the .env, which overrides the store (as the send resolves them).
    if (s.source === 'environment' || found === undefined || (s.source === '.env' && found === 'store'))
      found = s.source;
  }
  return found;
}

/** `•••••• set, from the store` (with how the store keeps it), or `not set`. */
export function useSecretStatus(name: string): { set: boolean; text: string } {
  const sources = useStudio((s) => s.secretSources);
  const names = useStudio((s) => s.secrets);
  const backend = useStudio((s) => s.secretBackend);
  const source = secretSource(name, sources) ?? (names.includes(name) ? 'store' : undefined);
  if (source === undefined) return { set: false, text: 'not set' };
  const where =
    source === 'store'
      ? backend === 'private-file'
        ? 'the store (a private file, not encrypted)'
        : 'the store'
      : source === '.env'
        ? '.env'
        : 'the environment';
  return { set: true, text: `•••••• set, from ${where}` };
}
