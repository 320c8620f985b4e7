import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatFileProblem } from '@shared/formats/documents';
import { readModelFile, readYaml } from '@shared/formats/yaml-file';

/** How the catcher answers requests that match: the first matching rule wins; none matching gives 200 {"ok":true}. */
export interface CatcherRule {
  method?: string;
  /** Exact path (without the query), or a prefix ending in `*`. */
  path?: string;
  status?: number;
  reason?: string;
  headers?: Array<{ name: string; value: string }>;
  body?: string;
  delayMs?: number;
  /**
   * Answer 429 Too Many Requests (with Retry-After) once `requests` requests matching this rule have
   * come within one window of `windowMs`; the window starts at the first request after the last one ended.
   */
  rateLimit?: { requests: number; windowMs: number };
}

const noLineBreak = (what: string) =>
  z.string().refine((s) => !/[\r\n\0]/.test(s), `${what} cannot hold a line break or NUL`);

export const catcherRuleSchema = z
  .object({
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, 'a method is letters only, e.g. POST')
      .optional(),
    path: z.string().startsWith('/', 'a path starts with /').optional(),
    status: z.number().int().min(100, 'a status is from 100 to 599').max(599, 'a status is from 100 to 599').optional(),
    reason: noLineBreak('a reason phrase').optional(),
    headers: z
      .array(
        z
          .object({
            name: z
              .string()
              .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "a header name is letters, digits and !#$%&'*+-.^_`|~"),
            value: noLineBreak('a header value'),
          })
          .strict(),
      )
      .optional(),
    body: z.string().optional(),
    delayMs: z.number().int().min(0).max(600_000, 'a delay is at most 600000 ms').optional(),
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

export class CatcherRulesError extends Error {}

/** Reads rules from JSON or YAML: a list of rules, or `{ rules: [...] }`. Problems name file, line and field. */
export function parseCatcherRules(text: string, file: string): CatcherRule[] {
  const first = readYaml(text, file);
  if (!first.ok) throw new CatcherRulesError(first.problems.map(formatFileProblem).join('\n'));
  const list = Array.isArray(first.value);
  const result = list
    ? readModelFile(z.array(catcherRuleSchema), text, file)
    : readModelFile(z.object({ rules: z.array(catcherRuleSchema) }).strict(), text, file);
  if (!result.ok) throw new CatcherRulesError(result.problems.map(formatFileProblem).join('\n'));
  return (Array.isArray(result.value) ? result.value : result.value.rules).map(stripUndefined);
}

function stripUndefined(rule: CatcherRule): CatcherRule {
  const out: CatcherRule = {};
  for (const [k, v] of Object.entries(rule)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

export async function loadCatcherRules(file: string): Promise<CatcherRule[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CatcherRulesError(
      `cannot read the rules file '${file}': ${code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)}`,
    );
  }
  return parseCatcherRules(text, file);
}

/** The first rule matching a request, if any. */
export function matchRule(rules: readonly CatcherRule[], method: string, target: string): CatcherRule | undefined {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  return rules.find((r) => {
    if (r.method !== undefined && r.method.toUpperCase() !== method.toUpperCase()) return false;
    if (r.path === undefined) return true;
    return r.path.endsWith('*') ? path.startsWith(r.path.slice(0, -1)) : path === r.path;
  });
}

/** The answer a rate-limited rule gives past its limit: what a service protecting itself sends. */
export function refusalRule(retryAfterSeconds: number): CatcherRule {
  return {
    status: 429,
    reason: 'Too Many Requests',
    headers: [
      { name: 'Content-Type', value: 'application/json' },
      { name: 'Retry-After', value: String(retryAfterSeconds) },
    ],
    body: '{"error":"rate limit exceeded"}',
  };
}

/**
 * Counts requests per rate-limited rule in fixed windows. Returns the rule to answer with: the matched
 * rule while under its limit, a 429 refusal past it. State is per rule object, so new rules start afresh.
 */
export function createRateLimiter(): (rule: CatcherRule | undefined, now: number) => CatcherRule | undefined {
  const windows = new WeakMap<CatcherRule, { start: number; count: number }>();
  return (rule, now) => {
    const limit = rule?.rateLimit;
    if (!rule || !limit) return rule;
    let w = windows.get(rule);
    if (!w || now - w.start >= limit.windowMs) {
      w = { start: now, count: 0 };
      windows.set(rule, w);
    }
    w.count++;
    if (w.count <= limit.requests) return rule;
    return refusalRule(Math.max(1, Math.ceil((w.start + limit.windowMs - now) / 1000)));
  };
}
