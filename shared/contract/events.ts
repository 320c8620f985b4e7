import { z } from 'zod';
import { runnerCountsSchema } from './schemas';

/** Events pushed from the world to the renderer. */
export const events = {
  'collection:changed': z.object({ dir: z.string(), paths: z.array(z.string()) }).strict(),
  /** A collection was opened or created, from the renderer or from outside it (the Open Collection… menu, a recent collection). */
  'collection:opened': z.object({ dir: z.string() }).strict(),
  'send:progress': z
    .object({
      sendId: z.string(),
      phase: z.enum(['dns', 'connect', 'tls', 'sent', 'headers', 'body', 'done']),
      atMs: z.number(),
    })
    .strict(),
  'runner:progress': z
    .object({
      runId: z.string(),
      counts: runnerCountsSchema,
      state: z.enum(['running', 'paused', 'done', 'cancelled', 'failed']),
      message: z.string().optional(),
    })
    .strict(),
} as const satisfies Record<string, z.ZodType>;
