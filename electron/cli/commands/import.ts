import path from 'node:path';
import { importFormats } from '@shared/contract';
import { importIntoCollection } from '../../services/transfer/index';
import { CliError, exitCodes } from '../cli-error';
import { asCli, defineCommand } from '../command-kit';
import { readInputFile } from '../io';

/** The same ceiling as the app's import channel. */
const maxImportBytes = 50 * 1024 * 1024;

export const command = defineCommand({
  name: 'import',
  summary:
    'Import a bundle, a Postman v2.1 collection, a curl command, a Describe Lead response (→ lead fields) or a Marketo lead CSV (→ contexts) into a collection. Never replaces an existing webhook or context without --overwrite; lists what could not be carried over.',
  usage: `webhook-studio import <file> --into <collection-dir> [--format ${importFormats.join('|')}] [--overwrite]`,
  options: {
    into: { type: 'string' },
    format: { type: 'string' },
    overwrite: { type: 'boolean' },
  },
  argument: { one: 'file to import' },
  async run(io, values, fileArgument) {
    if (!values.into) throw new CliError('--into <collection-dir> is required');
    const format = values.format ?? 'auto';
    if (!(importFormats as readonly string[]).includes(format))
      throw new CliError(`--format must be one of ${importFormats.join(', ')}, not '${format}'`);
    const file = path.resolve(io.cwd, fileArgument);
    // The CLI's bounded reader: a folder, a FIFO or a device is refused (never waited on), as is a file over the limit.
    const bytes = await readInputFile(io, fileArgument, 'import', maxImportBytes);
    if (bytes.includes(0)) throw new CliError(`${fileArgument} is not a text file (it holds NUL bytes)`);
    let content: string;
    try {
      content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new CliError(`cannot read ${fileArgument}: not valid UTF-8 text`);
    }
    const report = await asCli(() =>
      importIntoCollection(path.resolve(io.cwd, values.into as string), {
        fileName: path.basename(file),
        content,
        format: format as (typeof importFormats)[number],
        overwrite: values.overwrite === true,
      }),
    );
    io.stdout.write(`imported ${fileArgument} as ${report.format}\n`);
    for (const p of report.created) io.stdout.write(`created ${p}\n`);
    for (const p of report.overwritten) io.stdout.write(`replaced ${p}\n`);
    for (const n of report.notCarried) io.stderr.write(`not carried: ${n.item}: ${n.reason}\n`);
    return exitCodes.ok;
  },
});
