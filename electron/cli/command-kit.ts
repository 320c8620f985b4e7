import type { Diagnostic } from '@shared/model';
import { StudioError } from '@shared/model/error';
import { CliError, exitCodes } from './cli-error';
import { parseCommandArgs, type CliIo, type Command } from './io';

type OptionsConfig = Parameters<typeof parseCommandArgs>[2];

/** The options a command was given, typed from the options it declares. */
export type OptionValues<O extends OptionsConfig> = ReturnType<typeof parseCommandArgs<O>>['values'];

/**
 * What a command takes besides its options: exactly one argument (named for the message when the count
 * is wrong: 'webhook file', 'collection folder'), none at all, or whatever is given (left unread).
 */
export type ArgumentRule = { one: string } | 'none' | 'ignored';

/** The one argument of a command that takes one; nothing for the others. */
type ArgumentOf<A extends ArgumentRule> = A extends { one: string } ? string : undefined;

export interface CommandSpec<O extends OptionsConfig, A extends ArgumentRule> {
  /** As typed after `webhook-studio`; it names the command in a usage error. */
  name: string;
  /** The one line `--help` prints above the usage. */
  summary: string;
  usage: string;
  options: O;
  argument: A;
  run(io: CliIo, values: OptionValues<O>, argument: ArgumentOf<A>): Promise<number>;
}

/** The argument the rule allows, or a one-line CliError (exit 2) saying what was expected. */
function checkArguments(
  spec: Pick<CommandSpec<OptionsConfig, ArgumentRule>, 'name' | 'usage' | 'argument'>,
  positionals: string[],
): string | undefined {
  const rule = spec.argument;
  if (rule === 'ignored') return undefined;
  if (rule === 'none') {
    if (positionals.length > 0)
      throw new CliError(`${spec.name} takes no file arguments, got '${positionals[0]}' (usage: ${spec.usage})`);
    return undefined;
  }
  if (positionals.length !== 1)
    throw new CliError(`expected one ${rule.one}, got ${positionals.length} (usage: ${spec.usage})`);
  return positionals[0];
}

/**
 * A CLI command from what sets it apart: its options are parsed (an unknown or malformed one is a
 * one-line error naming the usage) and its arguments counted before `run` sees them.
 */
export function defineCommand<O extends OptionsConfig, A extends ArgumentRule>(spec: CommandSpec<O, A>): Command {
  return {
    summary: spec.summary,
    usage: spec.usage,
    async run(io) {
      const { values, positionals } = parseCommandArgs(spec.name, io.argv, spec.options, spec.usage);
      const argument = checkArguments(spec, positionals) as ArgumentOf<A>;
      return await spec.run(io, values, argument);
    },
  };
}

/** Service errors become one-line CLI errors: bad input and conflicts exit 2. */
export async function asCli<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StudioError) throw new CliError(e.message, exitCodes.badInput);
    throw e;
  }
}

/** Exit 1 when a diagnostic is an error, else 0. */
export function exitCodeFor(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.some((d) => d.severity === 'error') ? exitCodes.findings : exitCodes.ok;
}
