import path from 'node:path';
import { networkFileKeys, type NetworkSettings } from '@shared/model/network';
import { checkNetworkFiles, loadNetworkSettings, saveNetworkSettings } from '../collection/network';
import type { HandlerGroup } from './types';

const abs = (dir: string): string => path.resolve(dir);

/** The paths typed so far, as a settings object the file check reads (blank paths are no file). */
function typedFiles(files: Partial<Record<(typeof networkFileKeys)[number], string>>): NetworkSettings {
  const network: NetworkSettings = { verifyTls: true };
  for (const key of networkFileKeys) {
    const p = files[key]?.trim();
    if (p) network[key] = p;
  }
  return network;
}

/** Collection settings, network section: read, check the files it names, and save to collection.yaml. */
export function networkHandlers(): HandlerGroup<'network'> {
  return {
    'network:get': async ({ dir }) => {
      const network = await loadNetworkSettings(abs(dir));
      return { network, files: await checkNetworkFiles(abs(dir), network) };
    },
    'network:check': async ({ dir, files }) => ({ files: await checkNetworkFiles(abs(dir), typedFiles(files)) }),
    'network:save': async ({ dir, network }) => ({ files: await saveNetworkSettings(abs(dir), network) }),
  };
}
