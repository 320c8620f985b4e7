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
    const issuesRaw = (error as { issues?: unknown }).issues;
    const issues = Array.isArray(issuesRaw)
      ? issuesRaw.flatMap((i: unknown) =>
          i !== null && typeof i === 'object' && typeof (i as { message?: unknown }).message === 'string'
            ? [{ path: String((i as { path?: unknown }).path ?? ''), message: (i as { message: string }).message }]
            : [],
        )
      : undefined;
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
