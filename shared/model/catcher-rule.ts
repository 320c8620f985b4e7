import { z } from 'zod';

/**
 * How the built-in catcher answers requests that match: the first matching rule wins; none matching
 * gives 200 {"ok":true}. The collection keeps its rules in `catcher.yaml`; `webhook-studio catch
 * --respond` reads the same list from any file.
 */

const noLineBreak = (what: string) =>
  z.string().refine((s) => !/[\r\n\0]/.test(s), `${what} cannot hold a line break or NUL`);

export const catcherHeaderSchema = z
  .object({
    name: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "a header name is letters, digits and !#$%&'*+-.^_`|~"),
    value: noLineBreak('a header value'),
  })
  .strict();

export const catcherRuleSchema = z
  .object({
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, 'a method is letters only, e.g. POST')
      .optional(),
    /** Exact path (without the query), or a prefix ending in `*`. */
    path: z.string().startsWith('/', 'a path starts with /').optional(),
    status: z.number().int().min(100, 'a status is from 100 to 599').max(599, 'a status is from 100 to 599').optional(),
    reason: noLineBreak('a reason phrase').optional(),
    headers: z.array(catcherHeaderSchema).optional(),
    body: z.string().optional(),
    delayMs: z.number().int().min(0).max(600_000, 'a delay is at most 600000 ms').optional(),
    /**
     * Answer 429 Too Many Requests (with Retry-After) once `requests` requests matching this rule have
     * come within one window of `windowMs`; the window starts at the first request after the last one ended.
     */
    rateLimit: z
      .object({
        requests: z.number().int().min(1, 'rateLimit.requests is at least 1'),
        windowMs: z
          .number()
          .int()
          .min(1, 'rateLimit.windowMs is at least 1')
          .max(86_400_000, 'a window is at most one day (86400000 ms)'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type CatcherRule = z.infer<typeof catcherRuleSchema>;

export const catcherRuleListSchema = z.array(catcherRuleSchema);

/** The rule and key a schema issue's path points at, in the user's words: `rule 2, status`. */
export function ruleProblemPlace(path: readonly (string | number)[]): string {
  // `{ rules: [...] }` files name the list first; the rule number is what matters.
  const [index, ...rest] = path[0] === 'rules' && path.length > 1 ? path.slice(1) : path;
  if (typeof index !== 'number') return path.map(String).join('.');
  const key = rest.map(String).join('.');
  return `rule ${index + 1}${key ? `, ${key}` : ''}`;
}
