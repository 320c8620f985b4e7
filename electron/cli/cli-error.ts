/** Exit codes every command shares: 0 ok, 1 findings (errors, failed leads), 2 bad input, 3 network failure or timeout. */
export const exitCodes = { ok: 0, findings: 1, badInput: 2, network: 3 } as const;

/** A failure the CLI reports as one line on stderr (no stack trace) with its exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = exitCodes.badInput) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
