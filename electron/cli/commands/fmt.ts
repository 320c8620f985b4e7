import path from 'node:path';
import { formatFileProblem } from '@shared/formats/documents';
import { fmtCollection } from '../../services/collection/index';
import { exitCodes } from '../cli-error';
import { asCli, defineCommand } from '../command-kit';

export const command = defineCommand({
  name: 'fmt',
  summary:
    'Rewrite every collection file in canonical form (key order, quoting, indent; comments kept). A second run changes nothing. Exit 1 when a file does not load (it is left as it is).',
  usage: 'webhook-studio fmt <collection-dir>',
  options: {},
  argument: { one: 'collection folder' },
  async run(io, _values, folder) {
    const dir = path.resolve(io.cwd, folder);
    const result = await asCli(() => fmtCollection(dir));
    for (const file of result.changed) io.stdout.write(`formatted ${file}\n`);
    if (result.changed.length === 0) io.stdout.write('already formatted\n');
    for (const p of result.problems) io.stderr.write(`${formatFileProblem(p)}\n`);
    for (const n of result.notices) io.stderr.write(`notice: ${n}\n`);
    return result.problems.length ? exitCodes.findings : exitCodes.ok;
  },
});
