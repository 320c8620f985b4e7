import { StudioError } from '@shared/model/error';
import type { Catcher } from '../services/catcher/index';
import { collectionAround } from '../services/collection/around';
import { aimsAtCatcher } from '../services/collection/catcher-origin';
import { CliError } from './cli-error';

/**
 * The catcher a CLI send or run uses: one on request (--catcher), or one started on demand for a
 * webhook aimed at the sample collection's placeholder origin. It answers as the studio's does: the
 * collection's catcher.yaml first (each answer saying its rule in X-Studio-Rule), then the sample's
 * canned answers. `near` is the collection folder, or the webhook file (its collection is the nearest
 * folder up with a collection.yaml). The catcher's code is loaded only then: a run against a real
 * service does not pay for it at start.
 */
export async function catcherFor(
  webhookUrl: string,
  requested: boolean | undefined,
  near: string,
): Promise<Catcher | undefined> {
  if (!aimsAtCatcher(webhookUrl) && requested !== true) return undefined;
  const [{ startCatcher }, { collectionCatcherRules }, { answerRules }] = await Promise.all([
    import('../services/catcher/index'),
    import('../services/collection/catcher-rules'),
    import('../services/collection/catcher-answers'),
  ]);
  const dir = collectionAround(near);
  let own: Awaited<ReturnType<typeof collectionCatcherRules>> = [];
  try {
    if (dir !== undefined) own = await collectionCatcherRules(dir);
  } catch (e) {
    // A catcher.yaml that does not load is named with its line, rule and key; nothing is sent.
    throw new CliError(e instanceof StudioError ? e.message : String(e));
  }
  return startCatcher({ rules: answerRules(own) });
}
