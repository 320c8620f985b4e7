import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportFormats } from '@shared/contract';
import { findContext, findWebhook, openCollection } from '../../services/collection/index';
import { exportCollection, type ExportFormat } from '../../services/transfer/index';
import { CliError } from '../cli-error';
import { asCli, defineCommand, exitCodeFor } from '../command-kit';
import { checkOutputFile } from '../io';
import { diagnosticLine } from './lint';

export const command = defineCommand({
  name: 'export',
  summary:
    'Export webhooks of a collection: a bundle, a Postman v2.1 collection or curl commands (rendered for a context, same bytes as the studio sends), or a paste-into-Marketo sheet. All webhooks unless --webhook names some. Exit 1 when a render diagnostic is an error.',
  usage: `webhook-studio export <collection-dir> --format ${exportFormats.join('|')} [--webhook <name>]... [--context <name>] --out <file|->`,
  options: {
    format: { type: 'string' },
    webhook: { type: 'string', multiple: true },
    context: { type: 'string' },
    out: { type: 'string' },
  },
  argument: { one: 'collection folder' },
  async run(io, values, folder) {
    const format = values.format;
    if (!format || !(exportFormats as readonly string[]).includes(format))
      throw new CliError(`--format must be one of ${exportFormats.join(', ')}${format ? `, not '${format}'` : ''}`);
    if (!values.out) throw new CliError('--out <file> is required (- writes to standard output)');
    const dir = path.resolve(io.cwd, folder);
    if (values.out !== '-') await checkOutputFile(io, values.out, '--out');
    const snapshot = await asCli(() => openCollection(dir));
    const named = values.webhook ?? [];
    const webhookPaths = named.length
      ? await asCli(() => named.map((n) => findWebhook(snapshot, n).path))
      : snapshot.webhooks.map((w) => w.path);
    if (webhookPaths.length === 0)
      throw new CliError(
        `${dir} has no webhook that loads${snapshot.problems.length ? ` (${snapshot.problems.length} files have problems)` : ''}`,
      );
    const contextName = values.context;
    const contextPath =
      contextName !== undefined ? await asCli(() => findContext(snapshot, contextName).path) : undefined;
    const result = await asCli(() =>
      exportCollection(dir, { format: format as ExportFormat, webhookPaths, ...(contextPath ? { contextPath } : {}) }),
    );
    for (const d of result.diagnostics) io.stderr.write(`${diagnosticLine(d)}\n`);
    if (values.out === '-') io.stdout.write(result.content);
    else {
      const out = path.resolve(io.cwd, values.out);
      try {
        await writeFile(out, result.content, 'utf8');
      } catch (e) {
        throw new CliError(`cannot write ${values.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      io.stdout.write(
        `wrote ${webhookPaths.length} webhook${webhookPaths.length === 1 ? '' : 's'} as ${format} to ${values.out}\n`,
      );
    }
    return exitCodeFor(result.diagnostics);
  },
});
