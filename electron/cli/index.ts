import { commands } from './commands/index';
import { CliError, exitCodes } from './cli-error';
import type { CliIo } from './io';
import { studioVersion } from './version';

function usage(): string {
  const names = Object.keys(commands).sort();
  return [
    'webhook-studio: test Marketo webhooks from the command line',
    '',
    `commands: ${names.join(', ')}`,
    'run `webhook-studio <command> --help` for a command\'s options, `webhook-studio --version` for the version',
  ].join('\n');
}

/** Runs one CLI invocation; never throws, so a bad input is one line and an exit code, never a stack trace. */
export async function main(io: CliIo): Promise<number> {
  const [name, ...rest] = io.argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout.write(`webhook-studio ${studioVersion()}\n`);
    return exitCodes.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name ? exitCodes.ok : exitCodes.badInput;
  }
  const load = commands[name];
  if (!load) {
    io.stderr.write(`webhook-studio: unknown command '${name}'. ${usage().split('\n')[2]}\n`);
    return exitCodes.badInput;
  }
  try {
    const command = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${command.summary}\nusage: ${command.usage}\n`);
      return exitCodes.ok;
    }
    return await command.run({ ...io, argv: rest });
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr.write(`webhook-studio ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr.write(`webhook-studio ${name}: unexpected failure: ${message}\n`);
    return exitCodes.findings;
  }
}

// Run when bundled as the CLI entry point (out/cli/index.js), not when imported by tests.
const isEntry = typeof process !== 'undefined' && process.argv[1] !== undefined && /(?:^|[\\/])(?:out[\\/]cli[\\/]index\.js|webhook-studio(?:\.mjs)?)$/.test(process.argv[1]);
if (isEntry) {
  const code = await main({ argv: process.argv.slice(2), stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
  process.exitCode = code;
}
