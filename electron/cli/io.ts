import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error';
import { whyUnreadable } from '../services/fs/file-error';

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

const NEGATIVE_NUMBER = /^-\d+(?:\.\d+)?$/;

/**
 * node:util parseArgs with errors turned into one-line CLI errors. A negative number after an option
 * that takes a value (`--status -5`) is that option's value, so the command's own check can say what
 * is wrong with it; parseArgs alone would call it an ambiguous option in four lines.
 */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: T,
  usage: string,
) {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (
      name !== undefined &&
      !name.includes('=') &&
      options[name]?.type === 'string' &&
      next !== undefined &&
      NEGATIVE_NUMBER.test(next)
    ) {
      args.push(`${arg}=${next}`);
      i++;
    } else args.push(arg);
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const first =
      (e instanceof Error ? e.message : String(e))
        .split('\n')[0]
        ?.replace(/\. To specify.*$/, '')
        .replace(/\.$/, '') ?? '';
    throw new CliError(`${first} (usage: ${usage}; run \`webhook-studio ${command} --help\`)`);
  }
}

/** `--port N`: 0 (or absent) picks a free port. */
export function parsePort(raw: string | undefined, usage: string): number {
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535)
    throw new CliError(`--port must be a number from 0 to 65535, not '${raw}' (usage: ${usage})`);
  return n;
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads an input file named on the command line, bounded: only a regular file is read (a FIFO with no
 * writer would block for ever, /dev/zero never ends), and never more than `maxBytes`. The file is opened
 * non-blocking, so even a FIFO swapped in after the check cannot hang the open; its kind is then
 * checked on the open file itself. Every problem is a one-line CliError (exit 2) naming the option.
 */
export async function readInputFile(
  io: Pick<CliIo, 'cwd'>,
  file: string,
  what: string,
  maxBytes: number,
): Promise<Buffer> {
  const full = path.resolve(io.cwd, file);
  let handle;
  try {
    handle = await open(full, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new CliError(`cannot read the ${what} file '${file}': ${whyUnreadable(e)}`);
  }
  try {
    const s = await handle.stat();
    if (!s.isFile())
      throw new CliError(
        `cannot read the ${what} file '${file}': it is ${kindOf(s)}, not a regular file; save the input to a file first`,
      );
    if (s.size > maxBytes) throw new CliError(`the ${what} file '${file}' is larger than ${describeBytes(maxBytes)}`);
    // Read at most one byte more than allowed: a file that grew since the stat is still caught.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(s.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw new CliError(`the ${what} file '${file}' is larger than ${describeBytes(maxBytes)}`);
    if (length === buffer.length) throw new CliError(`the ${what} file '${file}' grew while it was read; try again`);
    return buffer.subarray(0, length);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read the ${what} file '${file}': ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await handle.close();
  }
}

/**
 * An output file named on the command line: a new file or a regular one. A FIFO without a reader would
 * block the write for ever, and a device or folder is never what was meant.
 */
export async function checkOutputFile(io: Pick<CliIo, 'cwd'>, file: string, option: string): Promise<string> {
  const full = path.resolve(io.cwd, file);
  let s: Stats;
  try {
    s = await stat(full);
  } catch {
    return full;
  }
  if (!s.isFile())
    throw new CliError(`${option} '${file}' is ${kindOf(s)}; give a regular file (or - for standard output)`);
  return full;
}

/** 5 MiB, 128 MiB, or bytes when not a whole number of MiB. */
export function describeBytes(n: number): string {
  const mib = n / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${n} bytes`;
}
