import path from 'node:path';
import { documentLimits } from '@shared/formats/documents';
import { CatcherRulesError, parseCatcherRules, startCatcher, type CatcherRule } from '../../services/catcher/index';
import { CliError, exitCodes } from '../cli-error';
import { defineCommand } from '../command-kit';
import { parsePort, readInputFile } from '../io';

const usage = 'webhook-studio catch [--port N] [--respond <rules-file>]';

export const command = defineCommand({
  name: 'catch',
  summary:
    'Run the built-in catcher on 127.0.0.1: print one JSON line per request received (exact head and body) until Ctrl+C. --respond sets answers by method and path from a JSON or YAML rules file.',
  usage,
  options: { port: { type: 'string' }, respond: { type: 'string' } },
  argument: 'none',
  async run(io, values) {
    const port = parsePort(values.port, usage);
    let rules: CatcherRule[] = [];
    if (values.respond !== undefined) {
      try {
        // Read here with the CLI's bounded reader (a FIFO or a device is refused, not waited on).
        const text = (await readInputFile(io, values.respond, 'rules', documentLimits.maxBytes)).toString('utf8');
        rules = parseCatcherRules(text, path.resolve(io.cwd, values.respond));
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new CliError(e instanceof CatcherRulesError ? e.message : String(e));
      }
    }
    let catcher;
    try {
      catcher = await startCatcher({ port, rules });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CliError(
        code === 'EADDRINUSE'
          ? `port ${port} is already in use; pick another with --port, or 0 for any free port`
          : `the catcher could not start: ${e instanceof Error ? e.message : String(e)}`,
        exitCodes.network,
      );
    }
    const unsubscribe = catcher.onRequest((r) => io.stdout.write(`${JSON.stringify(r)}\n`));
    io.stderr.write(
      `catch: listening on ${catcher.url}${rules.length ? ` with ${rules.length} rule(s)` : ''}; Ctrl+C to stop\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    unsubscribe();
    await catcher.close();
    io.stderr.write(`catch: stopped after ${catcher.requests().length} request(s)\n`);
    return exitCodes.ok;
  },
});
