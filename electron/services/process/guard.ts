/**
 * The last line of defence for a long-lived process (the browser host, the desktop main process): an
 * exception nobody caught, or a promise rejection nobody handled, is logged and the process keeps
 * serving, instead of every open window losing its studio. Causes are fixed where they arise (a send
 * whose own code fails ends as an `internal-error` exchange); this only keeps a missed one from being
 * fatal. The host, the desktop main process and the CLI's send and run install it.
 */

type Log = (line: string) => void;

const guards = new Map<symbol, { where: string; log: Log }>();

/** Header-like `name: value` / `name=value` pairs whose value may be a credential, masked in the log. */
const SECRET_PAIR =
  /\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|token|secret|password|passphrase)(\s*[:=]\s*)(?:bearer\s+|basic\s+)?[^\s,;"']+/gi;

/** One line for the log: the error's kind, code and message (credentials masked), and where it was thrown. */
export function describeCrash(error: unknown): string {
  const e = error instanceof Error ? error : undefined;
  const name = e?.name ?? typeof error;
  const rawCode = (e as { code?: unknown } | undefined)?.code;
  const code = typeof rawCode === 'string' ? ` [${rawCode}]` : '';
  const text = (e ? e.message : String(error)).split('\n')[0] ?? '';
  const message = (text.length > 300 ? `${text.slice(0, 300)}…` : text).replace(SECRET_PAIR, '$1$2••••••');
  // Stack frames name files and lines only, never data.
  const frames = (e?.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 4)
    .map((l) => l.trim())
    .join(' < ');
  return `${name}${code}: ${message}${frames ? ` (${frames})` : ''}`;
}

function report(kind: string, error: unknown): void {
  const line = describeCrash(error);
  for (const { where, log } of guards.values()) {
    try {
      log(`webhook-studio ${where}: kept running after ${kind}: ${line}`);
    } catch {
      // A log that fails must not become the next uncaught exception.
    }
  }
}

const onException = (error: unknown): void => report('an uncaught exception', error);
const onRejection = (reason: unknown): void => report('an unhandled promise rejection', reason);

/**
 * Installs the guard for `where` (e.g. 'host', 'app'); returns the function that removes it. Several
 * may be installed (tests start several hosts); the process listeners are added once.
 */
export function installProcessGuard(where: string, log: Log = (line) => process.stderr.write(`${line}\n`)): () => void {
  const key = Symbol(where);
  if (guards.size === 0) {
    process.on('uncaughtException', onException);
    process.on('unhandledRejection', onRejection);
  }
  guards.set(key, { where, log });
  return () => {
    if (!guards.delete(key) || guards.size > 0) return;
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
