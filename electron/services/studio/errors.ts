import { StudioError } from '@shared/model/error';

const nodeCodes: Record<string, string> = {
  ENOENT: 'not-found',
  ENOTDIR: 'not-found',
  EACCES: 'permission-denied',
  EPERM: 'permission-denied',
  EEXIST: 'conflict',
  EISDIR: 'bad-input',
};

function stringProp(value: object, key: string): string | undefined {
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** An issue's path as text: a field path such as zod's `['headers', 0]` reads `headers,0`, as it always has. */
function pathText(p: unknown): string {
  if (p === undefined || p === null) return '';
  if (Array.isArray(p)) return p.map(pathText).join(',');
  if (typeof p === 'string') return p;
  if (typeof p === 'number' || typeof p === 'boolean' || typeof p === 'bigint') return String(p);
  if (typeof p === 'symbol') return p.toString();
  if (typeof p === 'function') return '';
  // An object is no path: its JSON says more than `[object Object]`.
  return JSON.stringify(p);
}

/** The issues an error carries (a schema error's), each with a message; anything else is dropped. */
function issuesOf(raw: unknown): { path: string; message: string }[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.flatMap((i: unknown) =>
    i !== null && typeof i === 'object' && typeof (i as { message?: unknown }).message === 'string'
      ? [{ path: pathText((i as { path?: unknown }).path), message: (i as { message: string }).message }]
      : [],
  );
}

/**
 * Turns anything a service throws into a StudioError: a stable code, the service's own message, and
 * where (the file, field path or channel). Stack traces never cross the boundary.
 */
export function toStudioError(error: unknown, channel: string): StudioError {
  if (error instanceof StudioError) return error;
  if (error instanceof Error) {
    const rawCode = stringProp(error, 'code');
    const code =
      rawCode === undefined
        ? 'failed'
        : (nodeCodes[rawCode] ?? (/^[a-z][a-z0-9-]*$/.test(rawCode) ? rawCode : 'failed'));
    const where = stringProp(error, 'where') ?? stringProp(error, 'file') ?? stringProp(error, 'path') ?? channel;
    const issues = issuesOf((error as { issues?: unknown }).issues);
    // Node's own messages name the syscall and path ("ENOENT: no such file or directory, open '/x'"); keep them, minus the errno prefix.
    const message =
      rawCode !== undefined && nodeCodes[rawCode] ? error.message.replace(/^E[A-Z]+: /, '') : error.message;
    return new StudioError({
      code,
      message: message || `${channel} failed`,
      where,
      ...(issues && issues.length ? { issues } : {}),
    });
  }
  return new StudioError({ code: 'failed', message: `${channel} failed: ${String(error)}`, where: channel });
}
