import { z } from 'zod';
import { catcherRuleListSchema, catcherRuleSchema, ruleProblemPlace, type CatcherRule } from '../model/catcher-rule';
import { readModelFile, readYaml, type Validated } from './yaml-file';

/** The collection's catcher answers: a list of rules, first match wins. */
export const catcherRulesFile = 'catcher.yaml';

const wrapped = z.object({ rules: catcherRuleListSchema }).strict();

/** A rule without the keys YAML or the schema left undefined, so it compares and prints as written. */
function dropUndefined(rule: CatcherRule): CatcherRule {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rule) as [string, unknown][]) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Reads catcher rules from YAML or JSON: a list of rules, or `{ rules: [...] }`; an empty file has none.
 * Each problem names the file, its line, the rule's number (from 1) and the key: `rule 2, status`.
 */
export function readCatcherRules(text: string, file: string): Validated<CatcherRule[]> {
  const first = readYaml(text, file);
  if (!first.ok) return first;
  if (first.value === null || first.value === undefined) return { ok: true, value: [], doc: first.doc };
  const result = Array.isArray(first.value)
    ? readModelFile(catcherRuleListSchema, text, file, ruleProblemPlace)
    : readModelFile(wrapped, text, file, ruleProblemPlace);
  if (!result.ok) return result;
  const list = Array.isArray(result.value) ? result.value : result.value.rules;
  return { ok: true, value: list.map(dropUndefined), doc: result.doc };
}

/** What catcher.yaml holds: each rule's keys in the schema's order, nothing unset. */
export function catcherRulesDiskForm(rules: readonly CatcherRule[]): Record<string, unknown>[] {
  return rules.map((r) =>
    Object.fromEntries(
      Object.keys(catcherRuleSchema.shape)
        .map((k) => [k, r[k as keyof CatcherRule]] as const)
        .filter(([, v]) => v !== undefined),
    ),
  );
}
