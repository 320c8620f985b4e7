import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { StudioError } from '@shared/model/error';
import type { Diagnostic, TokenContext, Webhook } from '@shared/model';
import {
  secretEnvName,
  secretEnvPrefix,
  secretNameForHeader,
  secretNameForMyToken,
} from '@shared/formats/secret-names';
import { keychainBacking, privateFileBacking, type Backing } from './backing';
import { hostAllowed } from './hosts';
import type { SafeStorage, SecretSource, SecretStore } from './types';
import { watchedFile } from './watched-file';

export { secretEnvName, secretEnvPrefix, secretNameForHeader, secretNameForMyToken };
export { storedSecretNames } from './store-file';
export { privateSecretsFile } from './backing';
export { hostAllowed } from './hosts';
export type { SafeStorage, SecretSource, SecretStore } from './types';

/** A secret's value for a request to a host, or why it is refused (no value anywhere, or a host it is not bound to). */
export type SecretResolver = (name: string, host: string) => string | { refused: string; missing?: boolean };

/** The store as the sender asks it: the value itself, or the refusal. */
export function resolverOf(store: SecretStore): SecretResolver {
  return (name, host) => {
    const got = store.resolveFor(name, host);
    return 'value' in got ? got.value : got;
  };
}

/** KEY=VALUE lines of a .env file, read by Node's own parser (`export` prefixes allowed; lines that are not assignments dropped). */
export function parseEnvFile(text: string): Record<string, string> {
  const parsed = parseEnv(text.replace(/^[ \t]*export[ \t]+/gm, ''));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed))
    if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(k) && typeof v === 'string') out[k] = v;
  return out;
}

export { collectionRootOf } from '../collection/around';

/** The variables that override the store: the environment first, then the collection's `.env`. */
interface Overrides {
  env: NodeJS.ProcessEnv;
  dotEnv: { value(): Record<string, string> };
}

function fromVars(o: Overrides, name: string): { value: string; source: SecretSource } | undefined {
  const key = secretEnvName(name);
  const e = o.env[key];
  if (e !== undefined) return { value: e, source: 'environment' };
  const f = o.dotEnv.value()[key];
  return f !== undefined ? { value: f, source: '.env' } : undefined;
}

/** The hosts `WEBHOOK_STUDIO_SECRET_<NAME>_HOSTS` binds a secret to, if set. */
function hostsVar(o: Overrides, name: string): string[] | undefined {
  const key = `${secretEnvName(name)}_HOSTS`;
  const list = o.env[key] ?? o.dotEnv.value()[key];
  return list
    ? list
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean)
    : undefined;
}

/** Every secret with a value, from the store and the variables, each with the source that wins. */
function listSecrets(o: Overrides, backing: Backing | undefined): Array<{ name: string; source: SecretSource }> {
  const out = new Map<string, SecretSource>();
  for (const n of backing?.names() ?? []) out.set(n, 'store');
  // Variables name secrets in upper case with `_`: a stored name they match keeps its own spelling.
  const byVar = new Map([...out.keys()].map((n) => [secretEnvName(n), n]));
  const vars: Array<[Record<string, string | undefined>, SecretSource]> = [
    [o.dotEnv.value(), '.env'],
    [o.env, 'environment'],
  ];
  for (const [table, source] of vars) {
    for (const k of Object.keys(table)) {
      if (!k.startsWith(secretEnvPrefix) || k.endsWith('_HOSTS') || table[k] === undefined) continue;
      out.set(byVar.get(k) ?? k.slice(secretEnvPrefix.length), source);
    }
  }
  return [...out].map(([name, source]) => ({ name, source })).sort((a, b) => a.name.localeCompare(b.name));
}

function noStore(): never {
  throw new StudioError({
    code: 'read-only',
    message: `no secrets store here: set ${secretEnvPrefix}<NAME> in the environment or the collection's .env`,
  });
}

/** The value for a request to `host`, or why it is refused. */
function resolveFor(
  o: Overrides,
  got: { value: string; allowedHosts?: string[] } | undefined,
  name: string,
  host: string,
): { value: string } | { refused: string; missing?: boolean } {
  if (got === undefined) {
    return {
      refused: `secret '${name}' has no value: store it in the studio (tick Secret and type it), or set ${secretEnvName(name)} in the environment or the collection's .env`,
      missing: true,
    };
  }
  const allowed = hostsVar(o, name) ?? got.allowedHosts;
  if (!hostAllowed(host, allowed))
    return { refused: `secret '${name}' may not be sent to ${host} (allowed: ${allowed?.join(', ')})` };
  return { value: got.value };
}

/** The store behind the variables: the keychain when the shell offers one, else the private file, else none. */
function backingOf(options: { dir: string; safeStorage?: SafeStorage; userDataDir?: string }): Backing | undefined {
  if (options.safeStorage) return keychainBacking(options.dir, options.safeStorage);
  return options.userDataDir !== undefined ? privateFileBacking(options.dir, options.userDataDir) : undefined;
}

/**
 * The secrets of one collection, the same in every host. Values come, first found, from
 * `WEBHOOK_STUDIO_SECRET_<NAME>` in the environment, then the collection's `.env` (read again when it
 * changes), then the store: the OS keychain through the injected safeStorage (desktop), or a per-user
 * private file in the user-data folder (browser host, CLI; mode 0600, not encrypted). Hosts a secret is
 * bound to: `WEBHOOK_STUDIO_SECRET_<NAME>_HOSTS` (comma separated), else those stored with it.
 * No OS keyring (Secret Service, macOS Keychain) is used outside Electron.
 */
export function createSecrets(options: {
  dir: string;
  safeStorage?: SafeStorage;
  env?: NodeJS.ProcessEnv;
  envFile?: string;
  userDataDir?: string;
}): SecretStore {
  const envPath = options.envFile ?? path.join(options.dir, '.env');
  if (options.envFile !== undefined && !existsSync(options.envFile)) {
    throw new StudioError({
      code: 'bad-input',
      message: `cannot read the .env file ${options.envFile}: it does not exist`,
      where: options.envFile,
    });
  }
  const o: Overrides = { env: options.env ?? {}, dotEnv: watchedFile(envPath, parseEnvFile, {}) };
  const backing = backingOf(options);
  const lookup = (name: string): { value: string; source: SecretSource; allowedHosts?: string[] } | undefined => {
    const v = fromVars(o, name);
    if (v) return v;
    const stored = backing?.get(name);
    return stored ? { ...stored, source: 'store' } : undefined;
  };
  return {
    backend: backing?.backend ?? 'private-file',
    get: (name) => lookup(name)?.value,
    sourceOf: (name) => lookup(name)?.source,
    set: async (name, value, allowedHosts) => {
      if (!name) throw new StudioError({ code: 'bad-input', message: 'a secret needs a name', where: 'name' });
      return backing ? backing.set(name, value, allowedHosts) : noStore();
    },
    delete: async (name) => (backing ? backing.delete(name) : noStore()),
    list: () => listSecrets(o, backing),
    names: () => listSecrets(o, backing).map((x) => x.name),
    resolveFor: (name, host) => resolveFor(o, lookup(name), name, host),
  };
}

/**
 * Fills the values of secret headers and secret My Tokens for a request to `host`. A secret with no
 * value, or bound to other hosts (by the store or by the webhook's own `allowedHosts`), is refused:
 * the caller must not send, and the error diagnostics say why.
 */
export function applySecrets(
  webhook: Webhook,
  context: TokenContext,
  host: string,
  store: SecretStore,
): { webhook: Webhook; context: TokenContext; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const resolve = (name: string, allowed: string[] | undefined, where: Diagnostic['location']): string => {
    if (!hostAllowed(host, allowed)) {
      diagnostics.push({
        severity: 'error',
        code: 'secret-refused',
        message: `secret '${name}' may not be sent to ${host} (allowed: ${allowed?.join(', ')}); the request was not sent`,
        location: where,
      });
      return '';
    }
    const got = store.resolveFor(name, host);
    if ('refused' in got) {
      diagnostics.push({
        severity: 'error',
        code: 'secret-refused',
        message: `${got.refused}; the request was not sent`,
        location: where,
      });
      return '';
    }
    return got.value;
  };
  const headers = webhook.headers.map((h, index) =>
    h.secret
      ? { ...h, value: resolve(secretNameForHeader(h.name), h.allowedHosts, { part: 'header', index, field: 'value' }) }
      : h,
  );
  const my = Object.fromEntries(
    Object.entries(context.my).map(([k, token]) => {
      if (token === null || typeof token !== 'object' || !token.secret) return [k, token];
      return [
        k,
        { ...token, value: resolve(secretNameForMyToken(k), token.allowedHosts, { part: 'context', path: `my.${k}` }) },
      ];
    }),
  );
  return { webhook: { ...webhook, headers }, context: { ...context, my }, diagnostics };
}
