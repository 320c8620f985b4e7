import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { StudioError } from '@shared/model/error';
import type { Diagnostic, TokenContext, Webhook } from '@shared/model';
import { writePrivateFile } from '../fs/private-files';
import { readSecretsFileSync, secretsFilePath, type SecretsFile } from './store-file';
import {
  secretEnvName,
  secretEnvPrefix,
  secretNameForHeader,
  secretNameForMyToken,
} from '@shared/formats/secret-names';

export { secretEnvName, secretEnvPrefix, secretNameForHeader, secretNameForMyToken };

export { storedSecretNames } from './store-file';

/** What the desktop shell injects from Electron's `safeStorage`; services never import Electron. */
export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(s: string): Uint8Array;
  decryptString(b: Uint8Array): string;
}

/** Where a secret's value comes from, as the studio shows it. */
export type SecretSource = 'environment' | '.env' | 'store';

export interface SecretStore {
  /**
   * Where `set` writes: the OS keychain through Electron's safeStorage (desktop), or a private file in
   * the user-data folder, readable only by this user but not encrypted (browser host, CLI).
   */
  readonly backend: 'safe-storage' | 'private-file';
  get(name: string): string | undefined;
  /** Which source gives `name` its value (the environment and .env override the store); undefined when none. */
  sourceOf(name: string): SecretSource | undefined;
  set(name: string, value: string, allowedHosts?: string[]): Promise<void>;
  delete(name: string): Promise<void>;
  /** Every secret with a value, from any source, with where it comes from. */
  list(): Array<{ name: string; source: SecretSource }>;
  names(): string[];
  /** The value for a request to `host`, or why it is refused (no value anywhere, or a host it is not bound to). */
  resolveFor(name: string, host: string): { value: string } | { refused: string; missing?: boolean };
}

/** KEY=VALUE lines of a .env file, read by Node's own parser (`export` prefixes allowed; lines that are not assignments dropped). */
export function parseEnvFile(text: string): Record<string, string> {
  const parsed = parseEnv(text.replace(/^[ \t]*export[ \t]+/gm, ''));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed))
    if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(k) && typeof v === 'string') out[k] = v;
  return out;
}

/** A file read again when it changes (size or time), looked at no more than every `everyMs`. */
function watchedFile<T>(
  file: string,
  parse: (text: string) => T,
  empty: T,
  everyMs = 200,
): { value(): T; set(v: T): void } {
  let value = empty;
  let stamp = '';
  let checkedAt = -Infinity;
  return {
    value() {
      const now = performance.now();
      if (now - checkedAt < everyMs) return value;
      checkedAt = now;
      let next = '';
      try {
        const st = statSync(file);
        next = `${st.size}:${st.mtimeMs}:${st.ino}`;
      } catch {
        next = 'none';
      }
      if (next !== stamp) {
        stamp = next;
        value = next === 'none' ? empty : parse(readFileSync(file, 'utf8'));
      }
      return value;
    },
    set(v) {
      value = v;
      stamp = '';
      checkedAt = -Infinity;
    },
  };
}

/** The collection a file belongs to: the nearest folder up with a collection.yaml, else the file's own folder. */
export function collectionRootOf(fileOrDir: string): string {
  let dir = path.resolve(fileOrDir);
  try {
    if (!statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'collection.yaml'))) return d;
    if (path.dirname(d) === d) return dir;
  }
}

/** The per-user file store: `<user data>/secrets.json`, mode 0600 in a 0700 folder, values per collection. */
const privateFileSchema = z
  .object({
    version: z.literal(1),
    collections: z.record(
      z.string(),
      z.record(z.string(), z.object({ value: z.string(), allowedHosts: z.array(z.string()).optional() }).strict()),
    ),
  })
  .strict();
type PrivateFile = z.infer<typeof privateFileSchema>;

export function privateSecretsFile(userDataDir: string): string {
  return path.join(userDataDir, 'secrets.json');
}

function parsePrivateFile(file: string) {
  return (text: string): PrivateFile => {
    const got = privateFileSchema.safeParse(JSON.parse(text));
    if (!got.success)
      throw new StudioError({
        code: 'bad-input',
        message: `${file} is not a secrets file; move it away to start afresh`,
        where: file,
      });
    return got.data;
  };
}

/** One collection's part of the store behind the overrides: what `set` writes and what a missing override falls back to. */
interface Backing {
  backend: SecretStore['backend'];
  get(name: string): { value: string; allowedHosts?: string[] } | undefined;
  names(): string[];
  set(name: string, value: string, allowedHosts?: string[]): Promise<void>;
  delete(name: string): Promise<void>;
}

function privateFileBacking(dir: string, userDataDir: string): Backing {
  const file = privateSecretsFile(userDataDir);
  const key = realDir(dir);
  const data = watchedFile<PrivateFile>(file, parsePrivateFile(file), { version: 1, collections: {} });
  const mine = () => data.value().collections[key] ?? {};
  const save = async (next: Record<string, { value: string; allowedHosts?: string[] }>) => {
    // Read again right before writing, so a value stored by another host (the CLI, another window) stays.
    data.set(existsSync(file) ? parsePrivateFile(file)(readFileSync(file, 'utf8')) : { version: 1, collections: {} });
    const all = data.value();
    const collections = { ...all.collections, [key]: next };
    if (Object.keys(next).length === 0) delete collections[key];
    const written: PrivateFile = { version: 1, collections };
    await writePrivateFile(file, `${JSON.stringify(written, null, 2)}\n`);
    data.set(written);
  };
  return {
    backend: 'private-file',
    get: (name) => mine()[name],
    names: () => Object.keys(mine()).sort(),
    async set(name, value, allowedHosts) {
      await save({ ...mine(), [name]: { value, ...(allowedHosts?.length ? { allowedHosts } : {}) } });
    },
    async delete(name) {
      if (!(name in mine())) return;
      const rest = { ...mine() };
      delete rest[name];
      await save(rest);
    },
  };
}

function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

function keychainBacking(dir: string, safe: SafeStorage): Backing {
  let file: SecretsFile | undefined;
  const load = (): SecretsFile => (file ??= readSecretsFileSync(dir));
  const save = async (next: SecretsFile): Promise<void> => {
    // Encrypted, yet still nobody else's to read: 0600 like the private file.
    await writePrivateFile(secretsFilePath(dir), `${JSON.stringify(next, null, 2)}\n`);
    file = next;
  };
  return {
    backend: 'safe-storage',
    get(name) {
      const entry = load().secrets[name];
      if (!entry) return undefined;
      const value = safe.decryptString(Buffer.from(entry.encrypted, 'base64'));
      return entry.allowedHosts ? { value, allowedHosts: entry.allowedHosts } : { value };
    },
    names: () => Object.keys(load().secrets).sort(),
    async set(name, value, allowedHosts) {
      // Never fall back to plain text: without OS encryption the value is not stored at all.
      if (!safe.isEncryptionAvailable()) {
        throw new StudioError({
          code: 'unavailable',
          message: `secret '${name}' was not stored: this system offers no encryption for it (no keychain). Set ${secretEnvName(name)} in the environment or the collection's .env instead.`,
        });
      }
      const encrypted = Buffer.from(safe.encryptString(value)).toString('base64');
      await save({
        version: 1,
        secrets: { ...load().secrets, [name]: { encrypted, ...(allowedHosts?.length ? { allowedHosts } : {}) } },
      });
    },
    async delete(name) {
      const current = load();
      if (!(name in current.secrets)) return;
      const rest = { ...current.secrets };
      delete rest[name];
      await save({ version: 1, secrets: rest });
    },
  };
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
  const env = options.env ?? {};
  const envPath = options.envFile ?? path.join(options.dir, '.env');
  if (options.envFile !== undefined && !existsSync(options.envFile)) {
    throw new StudioError({
      code: 'bad-input',
      message: `cannot read the .env file ${options.envFile}: it does not exist`,
      where: options.envFile,
    });
  }
  const dotEnv = watchedFile(envPath, parseEnvFile, {});
  const backing: Backing | undefined = options.safeStorage
    ? keychainBacking(options.dir, options.safeStorage)
    : options.userDataDir !== undefined
      ? privateFileBacking(options.dir, options.userDataDir)
      : undefined;
  const fromVars = (name: string): { value: string; source: SecretSource } | undefined => {
    const key = secretEnvName(name);
    const e = env[key];
    if (e !== undefined) return { value: e, source: 'environment' };
    const f = dotEnv.value()[key];
    return f !== undefined ? { value: f, source: '.env' } : undefined;
  };
  const hostsVar = (name: string): string[] | undefined => {
    const key = `${secretEnvName(name)}_HOSTS`;
    const list = env[key] ?? dotEnv.value()[key];
    return list
      ? list
          .split(',')
          .map((h) => h.trim())
          .filter(Boolean)
      : undefined;
  };
  const lookup = (name: string): { value: string; source: SecretSource; allowedHosts?: string[] } | undefined => {
    const v = fromVars(name);
    if (v) return v;
    const stored = backing?.get(name);
    return stored ? { ...stored, source: 'store' } : undefined;
  };
  const noStore = (): never => {
    throw new StudioError({
      code: 'read-only',
      message: `no secrets store here: set ${secretEnvPrefix}<NAME> in the environment or the collection's .env`,
    });
  };
  const list = (): Array<{ name: string; source: SecretSource }> => {
    const out = new Map<string, SecretSource>();
    for (const n of backing?.names() ?? []) out.set(n, 'store');
    // Variables name secrets in upper case with `_`: a stored name they match keeps its own spelling.
    const byVar = new Map([...out.keys()].map((n) => [secretEnvName(n), n]));
    const vars: Array<[Record<string, string | undefined>, SecretSource]> = [
      [dotEnv.value(), '.env'],
      [env, 'environment'],
    ];
    for (const [table, source] of vars) {
      for (const k of Object.keys(table)) {
        if (!k.startsWith(secretEnvPrefix) || k.endsWith('_HOSTS') || table[k] === undefined) continue;
        out.set(byVar.get(k) ?? k.slice(secretEnvPrefix.length), source);
      }
    }
    return [...out].map(([name, source]) => ({ name, source })).sort((a, b) => a.name.localeCompare(b.name));
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
    list,
    names: () => list().map((x) => x.name),
    resolveFor(name, host) {
      const got = lookup(name);
      if (got === undefined) {
        return {
          refused: `secret '${name}' has no value: store it in the studio (tick Secret and type it), or set ${secretEnvName(name)} in the environment or the collection's .env`,
          missing: true,
        };
      }
      const allowed = hostsVar(name) ?? got.allowedHosts;
      if (!hostAllowed(host, allowed))
        return { refused: `secret '${name}' may not be sent to ${host} (allowed: ${allowed?.join(', ')})` };
      return { value: got.value };
    },
  };
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
