import path from 'node:path';
import { formatFileProblem } from '@shared/formats/documents';
import { fmtCollection } from '../../services/collection/index';
import { CliError, exitCodes } from '../cli-error';
import { parseCommandArgs, type Command } from '../io';
import { asCli } from './init';

const usage = 'webhook-studio fmt <collection-dir>';

export const command: Command = {
  summary:
    'Rewrite every collection file in canonical form (key order, quoting, indent; comments kept). A second run changes nothing. Exit 1 when a file does not load (it is left as it is).',
  usage,
  async run(io) {
    const { positionals } = parseCommandArgs('fmt', io.argv, {}, usage);
    if (positionals.length !== 1)
      throw new CliError(`expected one collection folder, got ${positionals.length} (usage: ${usage})`);
    const dir = path.resolve(io.cwd, positionals[0] as string);
    const result = await asCli(() => fmtCollection(dir));
    for (const file of result.changed) io.stdout.write(`formatted ${file}\n`);
    if (result.changed.length === 0) io.stdout.write('already formatted\n');
    for (const p of result.problems) io.stderr.write(`${formatFileProblem(p)}\n`);
    for (const n of result.notices) io.stderr.write(`notice: ${n}\n`);
    return result.problems.length ? exitCodes.findings : exitCodes.ok;
  },
};
