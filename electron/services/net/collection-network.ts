import { createHash } from 'node:crypto';
import type { Diagnostic, Exchange } from '@shared/model';
import { StudioError } from '@shared/model/error';
import type { NetworkSettings } from '@shared/model/network';
import { readNetworkFile } from '../collection/network';
import type { SecretStore } from '../secrets/index';
import type { SenderOptions } from '../sender/index';
import { chooseProxy, parseProxyUrl } from './proxy';

/** What the network settings take from the secret store: a proxy password (bound to the proxy's host) and a passphrase. */
export type NetworkSecrets = Pick<SecretStore, 'get' | 'resolveFor'>;

/** The sender options a collection's network section makes, and what the studio shows of them. */
export interface AppliedNetwork {
  options: Pick<SenderOptions, 'proxy' | 'noProxy' | 'extraCa' | 'clientCert' | 'verifyTls'>;
  /** A digest of the options (secrets included, never kept in clear): senders with equal keys can be shared. */
  key: string;
}

function badSetting(key: string, message: string): StudioError {
  return new StudioError({
    code: 'bad-network-setting',
    message: `network.${key}: ${message}`,
    where: `network.${key}`,
  });
}

async function fileOf(dir: string, key: 'ca' | 'clientCert' | 'clientKey' | 'pfx', p: string): Promise<Buffer> {
  const read = await readNetworkFile(dir, key, p);
  if (!read.ok) throw new StudioError({ code: 'bad-network-setting', message: read.message, where: `network.${key}` });
  return read.data;
}

/** The proxy URL with its user and password from the secret store (in memory only: parseProxyUrl turns it into a header). */
function proxyWithCredentials(network: NetworkSettings, secrets: NetworkSecrets): string | undefined {
  const raw = network.proxy?.trim();
  if (raw === undefined || raw === 'none') return raw;
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  if (network.proxyUser === undefined) return url;
  let password = '';
  if (network.proxyPasswordSecret !== undefined) {
    const host = parseProxyUrl(url, 'network.proxy').host;
    const got = secrets.resolveFor(network.proxyPasswordSecret, host);
    if (!('value' in got)) throw badSetting('proxyPasswordSecret', `the proxy password cannot be used: ${got.refused}`);
    password = got.value;
  }
  const credentials = `${encodeURIComponent(network.proxyUser)}:${encodeURIComponent(password)}@`;
  return url.replace('://', `://${credentials}`);
}

function passphraseOf(network: NetworkSettings, secrets: NetworkSecrets): { passphrase?: string } {
  const name = network.passphraseSecret;
  if (name === undefined) return {};
  const value = secrets.get(name);
  if (value === undefined)
    throw badSetting('passphraseSecret', `the secret '${name}' has no value: store it in Collection settings`);
  return { passphrase: value };
}

async function clientCertOf(
  dir: string,
  network: NetworkSettings,
  secrets: NetworkSecrets,
): Promise<SenderOptions['clientCert']> {
  if (network.clientCert !== undefined && network.clientKey !== undefined) {
    const cert = (await fileOf(dir, 'clientCert', network.clientCert)).toString('utf8');
    const key = (await fileOf(dir, 'clientKey', network.clientKey)).toString('utf8');
    return { pem: { cert, key, ...passphraseOf(network, secrets) } };
  }
  if (network.pfx !== undefined)
    return { pfx: { data: await fileOf(dir, 'pfx', network.pfx), ...passphraseOf(network, secrets) } };
  return undefined;
}

/**
 * Reads what a collection's network section names (files relative to `dir`, secrets from the store) into
 * sender options. A file that cannot be read or a secret without a value is refused, naming the key.
 */
export async function applyNetwork(
  dir: string,
  network: NetworkSettings,
  secrets: NetworkSecrets,
): Promise<AppliedNetwork> {
  const options: AppliedNetwork['options'] = { verifyTls: network.verifyTls };
  const proxy = proxyWithCredentials(network, secrets);
  if (proxy !== undefined) options.proxy = proxy;
  if (network.noProxy !== undefined && network.noProxy.length > 0) options.noProxy = network.noProxy.join(',');
  if (network.ca !== undefined) options.extraCa = [(await fileOf(dir, 'ca', network.ca)).toString('utf8')];
  const clientCert = await clientCertOf(dir, network, secrets);
  if (clientCert) options.clientCert = clientCert;
  const digest = createHash('sha256');
  digest.update(JSON.stringify({ ...options, clientCert: undefined }));
  if (clientCert?.pem) digest.update(JSON.stringify(clientCert.pem));
  if (clientCert?.pfx) digest.update(clientCert.pfx.data).update(clientCert.pfx.passphrase ?? '');
  return { options, key: digest.digest('hex') };
}

/** The proxy a request to `url` went through under these options (no credentials), if any. */
export function proxyUsed(
  url: string,
  options: Pick<SenderOptions, 'proxy' | 'noProxy'>,
  env: NodeJS.ProcessEnv,
): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const protocol = parsed.protocol === 'https:' ? 'https:' : 'http:';
  const port = parsed.port !== '' ? Number(parsed.port) : protocol === 'https:' ? 443 : 80;
  try {
    return chooseProxy(protocol, parsed.hostname, port, { ...options, env }).proxy?.url;
  } catch {
    return undefined;
  }
}

/**
 * Notes for an exchange sent under a collection's network settings: the proxy it went through
 * (`via-proxy`), and a warning while TLS verification is off (`tls-verification-off`).
 */
export function networkNotes(
  exchange: Exchange,
  options: Pick<SenderOptions, 'proxy' | 'noProxy' | 'verifyTls'>,
  env: NodeJS.ProcessEnv,
): Diagnostic[] {
  const notes: Diagnostic[] = [];
  if (exchange.outcome === 'not-sent') return notes;
  const via = proxyUsed(exchange.request.url, options, env);
  if (via !== undefined) notes.push({ severity: 'info', code: 'via-proxy', message: `sent via the proxy ${via}` });
  if (options.verifyTls === false && exchange.request.url.startsWith('https:'))
    notes.push({
      severity: 'warning',
      code: 'tls-verification-off',
      message:
        "TLS verification is off in the collection's network settings: the service's certificate was not checked",
    });
  return notes;
}
