import { commands } from './commands/index';
import { CliError, exitCodes } from './cli-error';
import { installProcessGuard } from '../services/process/guard';
import type { CliIo } from './io';
import { studioVersion } from './version';

function usage(): string {
  const names = Object.keys(commands).sort();
  return [
    'webhook-studio: test Marketo webhooks from the command line',
    '',
    `commands: ${names.join(', ')}`,
    "run `webhook-studio <command> --help` for a command's options, `webhook-studio --version` for the version",
  ].join('\n');
}

/** Commands that talk to services over the network, where an exception nobody caught may arise. */
const guarded = new Set(['send', 'run']);

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
    if (!guarded.has(name)) return await command.run({ ...io, argv: rest });
    // A service's exception nobody caught (a socket callback, a rejection nobody handled) is one line on
    // stderr, not a stack dump; the command carries on writing what it can (the exchange, results.jsonl,
    // the reports) and then ends with exit code 1 instead of 0.
    // An object, not a `let`: the guard's callback sets it while the command runs.
    const guard = { crashed: false };
    const removeGuard = installProcessGuard(name, (line) => {
      guard.crashed = true;
      io.stderr.write(`${line}\n`);
    });
    try {
      const code = await command.run({ ...io, argv: rest });
      return guard.crashed && code === exitCodes.ok ? exitCodes.findings : code;
    } finally {
      removeGuard();
    }
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
const isEntry =
  typeof process !== 'undefined' &&
  process.argv[1] !== undefined &&
  /(?:^|[\\/])(?:out[\\/]cli[\\/]index\.js|webhook-studio(?:\.mjs)?)$/.test(process.argv[1]);
if (isEntry) {
  let settled = false;
  // An exception that left the command waiting for something that will never come: one line and exit
  // code 1, not Node's "unsettled top-level await" (13).
  process.once('beforeExit', () => {
    if (settled) return;
    process.stderr.write(
      `webhook-studio ${process.argv[2] ?? ''}: stopped unfinished after an unexpected failure (see above)\n`,
    );
    process.exitCode = exitCodes.findings;
  });
  const code = await main({
    argv: process.argv.slice(2),
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
  });
  settled = true;
  process.exitCode = code;
}
