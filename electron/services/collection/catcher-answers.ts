import type { CatcherRule } from '../catcher/index';
import { sampleCatcherRules } from './sample';

/** The header that tells which of the collection's rules answered (its number, from 1); the response pane shows it. */
export const ruleHeader = 'X-Studio-Rule';

/**
 * What the catcher answers with: the collection's rules first, each telling its number, then the
 * sample's canned answers, so the sample webhooks still get theirs when no rule of the collection matches.
 */
export function answerRules(collection: readonly CatcherRule[]): CatcherRule[] {
  const numbered = collection.map((r, i) => ({
    ...r,
    headers: [...(r.headers ?? []), { name: ruleHeader, value: String(i + 1) }],
  }));
  return [...numbered, ...sampleCatcherRules()];
}
