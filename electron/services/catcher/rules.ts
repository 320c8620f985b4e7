import { readFile } from 'node:fs/promises';
import { whyUnreadable } from '../fs/file-error';
import { formatFileProblem } from '@shared/formats/documents';
import { readCatcherRules } from '@shared/formats/catcher-rules-file';
import type { CatcherRule } from '@shared/model/catcher-rule';

export { catcherRuleSchema, type CatcherRule } from '@shared/model/catcher-rule';

export class CatcherRulesError extends Error {}

/** Reads rules from JSON or YAML: a list of rules, or `{ rules: [...] }`. Problems name file, line, rule and key. */
export function parseCatcherRules(text: string, file: string): CatcherRule[] {
  const result = readCatcherRules(text, file);
  if (!result.ok) throw new CatcherRulesError(result.problems.map(formatFileProblem).join('\n'));
  return result.value;
}

export async function loadCatcherRules(file: string): Promise<CatcherRule[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CatcherRulesError(`cannot read the rules file '${file}': ${whyUnreadable(e)}`);
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
