import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StudioError } from '@shared/model/error';
import { startHost } from '../../host/serve';
import { defaultUserDataDir } from '../../host/user-data';
import { createStudio } from '../../services/studio/index';
import { CliError, exitCodes } from '../cli-error';
import { defineCommand } from '../command-kit';
import { parsePort, type CliIo } from '../io';

const usage = 'webhook-studio serve [--collection <dir>] [--port N] [--open]';

/** The bundle lives in out/cli/; the renderer is built beside it in out/renderer/. */
function bundleDir(): string {
  return path.dirname(fileURLToPath(import.meta.url));
}

function appVersion(): string | undefined {
  try {
    const pkg: unknown = JSON.parse(readFileSync(path.join(bundleDir(), '..', '..', 'package.json'), 'utf8'));
    const v = pkg !== null && typeof pkg === 'object' ? (pkg as { version?: unknown }).version : undefined;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function openBrowser(url: string, io: CliIo): void {
  const [cmd, args]: [string, string[]] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () =>
      io.stderr.write(`serve: could not open a browser (${cmd}); open the address above yourself\n`),
    );
    child.unref();
  } catch {
    io.stderr.write(`serve: could not open a browser (${cmd}); open the address above yourself\n`);
  }
}

export const command = defineCommand({
  name: 'serve',
  summary: 'Serve the studio to your browser on 127.0.0.1, with a per-launch token.',
  usage,
  options: { collection: { type: 'string' }, port: { type: 'string' }, open: { type: 'boolean' } },
  argument: 'ignored',
  async run(io, values) {
    const port = parsePort(values.port, usage);
    const userDataDir = defaultUserDataDir(io.env);
    let collectionDir: string | undefined;
    if (values.collection !== undefined) {
      collectionDir = path.resolve(io.cwd, values.collection);
      if (!existsSync(collectionDir)) throw new CliError(`--collection ${values.collection}: no such folder`);
    }
    const version = appVersion();
    const studio = createStudio({
      shell: 'browser',
      userDataDir,
      env: io.env,
      ...(version ? { version } : {}),
      ...(collectionDir ? { initialCollection: collectionDir } : {}),
    });

    if (!collectionDir) {
      // First run without a collection: a ready-made sample, so the studio shows something useful offline at once.
      const sample = path.join(userDataDir, 'sample');
      try {
        const snapshot = existsSync(sample)
          ? await studio.handle('collection:open', { dir: sample })
          : await studio.handle('collection:init', { dir: sample });
        io.stdout.write(`serve: no --collection given, using the sample collection in ${snapshot.dir}\n`);
      } catch (e) {
        const message = e instanceof StudioError ? e.message : String(e);
        io.stderr.write(
          `serve: the sample collection is not available (${message}); open a collection from the studio\n`,
        );
      }
    }

    let host;
    try {
      host = await startHost({
        port,
        rendererDir: path.join(bundleDir(), '..', 'renderer'),
        userDataDir,
        env: io.env,
        studio,
        ...(collectionDir ? { collectionDir } : {}),
      });
    } catch (e) {
      await studio.close();
      const code = (e as { code?: unknown }).code;
      if (code === 'EADDRINUSE')
        throw new CliError(
          `port ${port} is already in use; choose another with --port, or 0 for any`,
          exitCodes.network,
        );
      throw new CliError(
        `could not listen on 127.0.0.1:${port}: ${e instanceof Error ? e.message : String(e)}`,
        exitCodes.network,
      );
    }
    io.stdout.write(`Webhook Studio is at ${host.url}\n(Ctrl+C to stop)\n`);
    if (values.open) openBrowser(host.url, io);

    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await host.close();
    await studio.close();
    return exitCodes.ok;
  },
});
