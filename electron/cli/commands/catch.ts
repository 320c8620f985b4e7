import { existsSync } from 'node:fs';
import path from 'node:path';
import { catcherRulesFile } from '@shared/formats/catcher-rules-file';
import { documentLimits } from '@shared/formats/documents';
import { StudioError } from '@shared/model/error';
import { collectionAround } from '../../services/collection/around';
import { collectionCatcherRules } from '../../services/collection/catcher-rules';
import { CatcherRulesError, parseCatcherRules, startCatcher, type CatcherRule } from '../../services/catcher/index';
import { CliError, exitCodes } from '../cli-error';
import { defineCommand } from '../command-kit';
import { parsePort, readInputFile, type CliIo } from '../io';

const usage = 'webhook-studio catch [--port N] [--respond <rules-file>]';

/** The rules of --respond, else those of the collection's catcher.yaml when run inside one, else none. */
async function rulesFor(io: CliIo, respond: string | undefined): Promise<{ rules: CatcherRule[]; from?: string }> {
  try {
    if (respond !== undefined) {
      // Read here with the CLI's bounded reader (a FIFO or a device is refused, not waited on).
      const text = (await readInputFile(io, respond, 'rules', documentLimits.maxBytes)).toString('utf8');
      return { rules: parseCatcherRules(text, path.resolve(io.cwd, respond)), from: respond };
    }
    // The working folder itself may be the collection (a folder counts as its own place to look from).
    const dir = collectionAround(path.resolve(io.cwd));
    if (dir === undefined || !existsSync(path.join(dir, catcherRulesFile))) return { rules: [] };
    return { rules: await collectionCatcherRules(dir), from: path.join(dir, catcherRulesFile) };
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (e instanceof CatcherRulesError || e instanceof StudioError) throw new CliError(e.message);
    throw new CliError(String(e));
  }
}

export const command = defineCommand({
  name: 'catch',
  summary:
    "Run the built-in catcher on 127.0.0.1: print one JSON line per request received (exact head and body) until Ctrl+C. --respond sets answers by method and path from a JSON or YAML rules file; without it, inside a collection, the collection's catcher.yaml answers.",
  usage,
  options: { port: { type: 'string' }, respond: { type: 'string' } },
  argument: 'none',
  async run(io, values) {
    const port = parsePort(values.port, usage);
    const { rules, from } = await rulesFor(io, values.respond);
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
      `catch: listening on ${catcher.url}${from !== undefined ? ` with ${rules.length} rule(s) from ${from}` : ''}; Ctrl+C to stop\n`,
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
