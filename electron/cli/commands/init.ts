import path from 'node:path';
import { StudioError } from '@shared/model/error';
import { initCollection } from '../../services/collection/index';
import { CliError, exitCodes } from '../cli-error';
import { parseCommandArgs, type Command } from '../io';

const usage = 'webhook-studio init <dir>';

/** Service errors become one-line CLI errors: bad input and conflicts exit 2. */
export async function asCli<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StudioError) throw new CliError(e.message, exitCodes.badInput);
    throw e;
  }
}

export const command: Command = {
  summary:
    'Create the sample collection in <dir>: three webhooks aimed at the built-in catcher, two contexts, a custom lead field. Never overwrites.',
  usage,
  async run(io) {
    const { positionals } = parseCommandArgs('init', io.argv, {}, usage);
    if (positionals.length !== 1)
      throw new CliError(`expected one folder, got ${positionals.length} (usage: ${usage})`);
    const dir = path.resolve(io.cwd, positionals[0] as string);
    const snapshot = await asCli(() => initCollection(dir));
    io.stdout.write(
      `created the sample collection '${snapshot.name}' in ${dir}: ${snapshot.webhooks.length} webhooks, ${snapshot.contexts.length} contexts\n`,
    );
    return exitCodes.ok;
  },
};
