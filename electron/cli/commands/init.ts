import path from 'node:path';
import { initCollection } from '../../services/collection/index';
import { exitCodes } from '../cli-error';
import { asCli, defineCommand } from '../command-kit';

export const command = defineCommand({
  name: 'init',
  summary:
    'Create the sample collection in <dir>: three webhooks aimed at the built-in catcher, two contexts, a custom lead field. Never overwrites.',
  usage: 'webhook-studio init <dir>',
  options: {},
  argument: { one: 'folder' },
  async run(io, _values, folder) {
    const dir = path.resolve(io.cwd, folder);
    const snapshot = await asCli(() => initCollection(dir));
    io.stdout.write(
      `created the sample collection '${snapshot.name}' in ${dir}: ${snapshot.webhooks.length} webhooks, ${snapshot.contexts.length} contexts\n`,
    );
    return exitCodes.ok;
  },
});
