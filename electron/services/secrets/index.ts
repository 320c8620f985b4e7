import { readFileSync } from 'node:fs';
import { StudioError } from '../../../shared/contract';
import type { Diagnostic, TokenContext, Webhook } from '../../../shared/model';
import { writeFileAtomic } from '../collection/disk';
import { readSecretsFileSync, secretsFilePath, type SecretsFile } from './store-file';
import { secretEnvName, secretEnvPrefix, secretNameForHeader, secretNameForMyToken } from '../../../shared/formats/secret-names';

export { secretEnvName, secretEnvPrefix, secretNameForHeader, secretNameForMyToken };

export { storedSecretNames } from './store-file';

/** What the desktop shell injects from Electron's `safeStorage`; services never import Electron. */
export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(s: string): Uint8Array;
  decryptString(b: Uint8Array): string;
}

export interface SecretStore {
  /** Where values come from: the OS keychain (desktop) or the environment / .env file (CLI, browser host). */
  readonly source: 'safe-storage' | 'environment';
  get(name: string): string | undefined;
  set(name: string, value: string, allowedHosts?: string[]): Promise<void>;
  delete(name: string): Promise<void>;
  names(): string[];
  /** The value for a request to `host`, or why it is refused (no value, or a host it is not bound to). */
  resolveFor(name: string, host: string): { value: string } | { refused: string };
}

/** Reads KEY=VALUE lines (optional `export`, quotes, `#` comments) of a .env file. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2] as string;
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    } else if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) {
      value = value.slice(1, -1);
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out[m[1] as string] = value;
  }
  return out;
}

/** `example.com` matches only that host; `*.example.com` any subdomain of it; `host:port` also the port. */
export function hostAllowed(host: string, allowed: string[] | undefined): boolean {
  if (!allowed || allowed.length === 0) return true;
  const [hostname = '', port] = splitHost(host.toLowerCase());
  return allowed.some((entry) => {
    const [pattern = '', wantPort] = splitHost(entry.trim().toLowerCase());
    if (wantPort !== undefined && wantPort !== port) return false;
    if (pattern.startsWith('*.')) return hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1;
    return hostname === pattern;
  });
}

function splitHost(host: string): [string, string | undefined] {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    const rest = host.slice(end + 1);
    return [host.slice(0, end + 1), rest.startsWith(':') ? rest.slice(1) : undefined];
  }
  const cut = host.lastIndexOf(':');
  return cut < 0 ? [host, undefined] : [host.slice(0, cut), host.slice(cut + 1)];
}

/**
 * The secrets of one collection. Desktop: values encrypted with the injected safeStorage under
 * `.studio/secrets.json`. CLI and browser host: read-only, from `WEBHOOK_STUDIO_SECRET_<NAME>` in the
 * environment or the .env file (bound hosts from `WEBHOOK_STUDIO_SECRET_<NAME>_HOSTS`, comma separated).
 */
export function createSecrets(options: { dir: string; safeStorage?: SafeStorage; env?: NodeJS.ProcessEnv; envFile?: string }): SecretStore {
  if (options.safeStorage) return keychainStore(options.dir, options.safeStorage);
  let fileVars: Record<string, string> = {};
  if (options.envFile) {
    try {
      fileVars = parseEnvFile(readFileSync(options.envFile, 'utf8'));
    } catch (e) {
      throw new StudioError({ code: 'bad-input', message: `cannot read the .env file ${options.envFile}: ${(e as Error).message}`, where: options.envFile });
    }
  }
  const vars: Record<string, string | undefined> = { ...fileVars, ...(options.env ?? {}) };
  const lookup = (name: string): string | undefined => vars[secretEnvName(name)];
  const hostsOf = (name: string): string[] | undefined => {
    const list = vars[`${secretEnvName(name)}_HOSTS`];
    return list ? list.split(',').map((h) => h.trim()).filter(Boolean) : undefined;
  };
  const readOnly = (): never => {
    throw new StudioError({ code: 'read-only', message: `secrets here come from the environment or a .env file: set ${secretEnvPrefix}<NAME> there` });
  };
  return {
    source: 'environment',
    get: lookup,
    set: async () => readOnly(),
    delete: async () => readOnly(),
    names: () =>
      Object.keys(vars)
        .filter((k) => k.startsWith(secretEnvPrefix) && !k.endsWith('_HOSTS') && vars[k] !== undefined)
        .map((k) => k.slice(secretEnvPrefix.length))
        .sort(),
    resolveFor(name, host) {
      const value = lookup(name);
      if (value === undefined) return { refused: `secret '${name}' has no value: set ${secretEnvName(name)} in the environment or the .env file` };
      if (!hostAllowed(host, hostsOf(name))) return { refused: `secret '${name}' may not be sent to ${host} (allowed: ${hostsOf(name)?.join(', ')})` };
      return { value };
    },
  };
}

function keychainStore(dir: string, safe: SafeStorage): SecretStore {
  let file: SecretsFile | undefined;
  const load = (): SecretsFile => (file ??= readSecretsFileSync(dir));
  const decrypt = (name: string): string | undefined => {
    const entry = load().secrets[name];
    if (!entry) return undefined;
    return safe.decryptString(Buffer.from(entry.encrypted, 'base64'));
  };
  const save = async (next: SecretsFile): Promise<void> => {
    await writeFileAtomic(secretsFilePath(dir), `${JSON.stringify(next, null, 2)}\n`);
    file = next;
  };
  return {
    source: 'safe-storage',
    get: decrypt,
    async set(name, value, allowedHosts) {
      if (!name) throw new StudioError({ code: 'bad-input', message: 'a secret needs a name', where: 'name' });
      // Never fall back to plain text: without OS encryption the value is not stored at all.
      if (!safe.isEncryptionAvailable()) {
        throw new StudioError({ code: 'unavailable', message: `secret '${name}' was not stored: this system offers no encryption for it (no keychain). Use ${secretEnvName(name)} in the environment instead.` });
      }
      const encrypted = Buffer.from(safe.encryptString(value)).toString('base64');
      const current = load();
      await save({ version: 1, secrets: { ...current.secrets, [name]: { encrypted, ...(allowedHosts?.length ? { allowedHosts } : {}) } } });
    },
    async delete(name) {
      const current = load();
      if (!(name in current.secrets)) return;
      const rest = { ...current.secrets };
      delete rest[name];
      await save({ version: 1, secrets: rest });
    },
    names: () => Object.keys(load().secrets).sort(),
    resolveFor(name, host) {
      const entry = load().secrets[name];
      if (!entry) return { refused: `secret '${name}' has no stored value: set it in the collection's secrets` };
      if (!hostAllowed(host, entry.allowedHosts)) return { refused: `secret '${name}' may not be sent to ${host} (allowed: ${entry.allowedHosts?.join(', ')})` };
      const value = decrypt(name);
      return value === undefined ? { refused: `secret '${name}' could not be decrypted` } : { value };
    },
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
      diagnostics.push({ severity: 'error', code: 'secret-refused', message: `secret '${name}' may not be sent to ${host} (allowed: ${allowed?.join(', ')}); the request was not sent`, location: where });
      return '';
    }
    const got = store.resolveFor(name, host);
    if ('refused' in got) {
      diagnostics.push({ severity: 'error', code: 'secret-refused', message: `${got.refused}; the request was not sent`, location: where });
      return '';
    }
    return got.value;
  };
  const headers = webhook.headers.map((h, index) =>
    h.secret ? { ...h, value: resolve(secretNameForHeader(h.name), h.allowedHosts, { part: 'header', index, field: 'value' }) } : h,
  );
  const my = Object.fromEntries(
    Object.entries(context.my).map(([k, token]) => {
      if (token === null || typeof token !== 'object' || !token.secret) return [k, token];
      return [k, { ...token, value: resolve(secretNameForMyToken(k), token.allowedHosts, { part: 'context', path: `my.${k}` }) }];
    }),
  );
  return { webhook: { ...webhook, headers }, context: { ...context, my }, diagnostics };
}
