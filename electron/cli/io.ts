import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error';

/** What a command gets: its arguments, and streams it writes to (tests capture them). */
export interface CliIo {
  argv: string[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export type CommandRun = (io: CliIo) => Promise<number>;

export interface Command {
  summary: string;
  usage: string;
  run: CommandRun;
}

/** node:util parseArgs with errors turned into one-line CLI errors that name the command. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/\. To specify.*$/s, '') : String(e);
    throw new CliError(`${command}: ${message}\nusage: ${usage}`);
  }
}

/** `--port N`: 0 (or absent) picks a free port. */
export function parsePort(raw: string | undefined, usage: string): number {
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new CliError(`--port must be a number from 0 to 65535, not '${raw}'\nusage: ${usage}`);
  return n;
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
