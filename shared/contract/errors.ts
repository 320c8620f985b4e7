import type { z } from 'zod';
import { StudioError, studioErrorSchema } from '../model/error';

/** Turns a failed schema parse into a StudioError naming each field path, for IPC and the host alike. */
export function schemaError(channel: string, error: z.ZodError): StudioError {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(input)', message: i.message }));
  return new StudioError({
    code: 'bad-input',
    message: `${channel}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    where: channel,
    issues,
  });
}

/** A plain `{ name: 'StudioError', code, message, where, issues }` (what crossed the bridge) as a real StudioError again. */
export function reviveStudioError(e: unknown): unknown {
  if (e instanceof StudioError || e === null || typeof e !== 'object') return e;
  const parsed = studioErrorSchema.safeParse(Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'name')));
  return parsed.success ? new StudioError(parsed.data) : e;
}
