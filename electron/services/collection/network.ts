import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { collectionFile, settingsDiskForm, type Settings } from '@shared/formats/collection-files';
import { StudioError } from '@shared/model/error';
import {
  networkFileKeys,
  networkSchema,
  type NetworkFileCheck,
  type NetworkFileKey,
  type NetworkSettings,
  type NetworkSettingsInput,
} from '@shared/model/network';
import { whyUnreadable } from '../fs/file-error';
import { assertCollectionDir } from './check';
import { currentSettings, loadFile } from './load';
import { saveSettingsForm } from './save';

/** Certificates and keys are small: 1 MiB is far above any PEM or PFX file. */
export const maxCertificateBytes = 1024 * 1024;

const fileWhat: Record<NetworkFileKey, { what: string; pem?: RegExp }> = {
  ca: { what: 'CA certificate', pem: /-----BEGIN CERTIFICATE-----/ },
  clientCert: { what: 'client certificate', pem: /-----BEGIN CERTIFICATE-----/ },
  clientKey: { what: 'client key', pem: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  pfx: { what: 'PFX' },
};

/** Where a network path points: relative paths are taken from the collection folder. */
export function networkFilePath(dir: string, p: string): string {
  return path.resolve(dir, p);
}

/** One network file read whole, or why it cannot be used, naming the key and the path. */
export async function readNetworkFile(
  dir: string,
  key: NetworkFileKey,
  p: string,
): Promise<{ ok: true; data: Buffer } | { ok: false; message: string }> {
  const abs = networkFilePath(dir, p);
  const { what, pem } = fileWhat[key];
  const where = `network.${key}: the ${what} file '${abs}'`;
  try {
    // Non-blocking, so a FIFO or device named here cannot hang the studio; it is refused as not a file.
    const handle = await open(abs, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const info = await handle.stat();
      if (!info.isFile()) return { ok: false, message: `${where} is not a file` };
      if (info.size > maxCertificateBytes)
        return { ok: false, message: `${where} is ${info.size} bytes, over 1 MiB: not a certificate or key` };
      const data = await handle.readFile();
      if (pem && !pem.test(data.toString('utf8')))
        return { ok: false, message: `${where} is not PEM text (no '-----BEGIN ...' block found)` };
      return { ok: true, data };
    } finally {
      await handle.close();
    }
  } catch (e) {
    return { ok: false, message: `${where} cannot be read: ${whyUnreadable(e)}` };
  }
}

/** Whether each file the settings name can be read, for the settings view's "file found / not readable". */
export async function checkNetworkFiles(dir: string, network: NetworkSettings): Promise<NetworkFileCheck[]> {
  const checks: NetworkFileCheck[] = [];
  for (const key of networkFileKeys) {
    const p = network[key];
    if (p === undefined) continue;
    const read = await readNetworkFile(dir, key, p);
    checks.push({
      key,
      path: p,
      readable: read.ok,
      message: read.ok ? `file found: ${networkFilePath(dir, p)}` : read.message,
    });
  }
  return checks;
}

/** The network section of collection.yaml (its defaults when it has none); a file that does not load is refused. */
export async function loadNetworkSettings(dir: string): Promise<NetworkSettings> {
  const loaded = await loadFile<Settings>(dir, collectionFile, 'settings');
  if (loaded && 'problems' in loaded) {
    throw new StudioError({
      code: 'bad-file',
      message: `the collection's network settings cannot be read until ${collectionFile} is fixed: ${loaded.problems.map((p) => p.message).join('; ')}`,
      where: collectionFile,
    });
  }
  return loaded?.value.network ?? networkSchema.parse({});
}

/** The settings as the schema reads them, or bad input with one issue per key (`network.proxy: ...`). */
export function parsedNetwork(input: unknown): NetworkSettings {
  const parsed = networkSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({
    path: ['network', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new StudioError({
    code: 'bad-input',
    message: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
    where: issues[0]?.path ?? 'network',
    issues,
  });
}

/**
 * Stores the network section (the given one replaces the old). Refused, naming the key, when a value is
 * not valid or a file it names cannot be read; nothing is written then.
 */
export async function saveNetworkSettings(dir: string, input: NetworkSettingsInput): Promise<NetworkFileCheck[]> {
  await assertCollectionDir(dir);
  const network = parsedNetwork(input);
  const checks = await checkNetworkFiles(dir, network);
  const unreadable = checks.filter((c) => !c.readable);
  if (unreadable.length > 0) {
    throw new StudioError({
      code: 'bad-input',
      message: unreadable.map((c) => c.message).join('; '),
      where: `network.${unreadable[0]?.key ?? ''}`,
      issues: unreadable.map((c) => ({ path: `network.${c.key}`, message: c.message })),
    });
  }
  const settings = await currentSettings(dir);
  const next: Settings = { ...settings, network };
  await saveSettingsForm(dir, settingsDiskForm(next));
  return checks;
}
