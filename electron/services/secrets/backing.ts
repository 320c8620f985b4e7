import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StudioError } from '@shared/model/error';
import { secretEnvName } from '@shared/formats/secret-names';
import { writePrivateFile } from '../fs/private-files';
import { readSecretsFileSync, secretsFilePath, type SecretsFile } from './store-file';
import { watchedFile } from './watched-file';
import type { SafeStorage, SecretStore } from './types';

/** A copy of `record` without `key`. */
function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
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
export interface Backing {
  backend: SecretStore['backend'];
  get(name: string): { value: string; allowedHosts?: string[] } | undefined;
  names(): string[];
  set(name: string, value: string, allowedHosts?: string[]): Promise<void>;
  delete(name: string): Promise<void>;
}

export function privateFileBacking(dir: string, userDataDir: string): Backing {
  const file = privateSecretsFile(userDataDir);
  const key = realDir(dir);
  const data = watchedFile<PrivateFile>(file, parsePrivateFile(file), { version: 1, collections: {} });
  const mine = () => data.value().collections[key] ?? {};
  const save = async (next: Record<string, { value: string; allowedHosts?: string[] }>) => {
    // Read again right before writing, so a value stored by another host (the CLI, another window) stays.
    data.set(existsSync(file) ? parsePrivateFile(file)(readFileSync(file, 'utf8')) : { version: 1, collections: {} });
    const all = data.value();
    const collections =
      Object.keys(next).length === 0 ? without(all.collections, key) : { ...all.collections, [key]: next };
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
      await save(without(mine(), name));
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

export function keychainBacking(dir: string, safe: SafeStorage): Backing {
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
      await save({ version: 1, secrets: without(current.secrets, name) });
    },
  };
}
