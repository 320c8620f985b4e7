import type { Catcher } from '../services/catcher/index';
import { aimsAtCatcher } from '../services/collection/catcher-origin';

/**
 * The catcher a CLI send or run uses: one on request (--catcher), or one started on demand for a
 * webhook aimed at the sample collection's placeholder origin, answering with the sample's canned
 * responses, so the sample works offline from the CLI as it does in the app. The catcher's code (and
 * the sample's) is loaded only then: a run against a real service does not pay for it at start.
 */
export async function catcherFor(webhookUrl: string, requested: boolean | undefined): Promise<Catcher | undefined> {
  const sample = aimsAtCatcher(webhookUrl);
  if (!sample && requested !== true) return undefined;
  const { startCatcher } = await import('../services/catcher/index');
  if (!sample) return startCatcher({});
  const { sampleCatcherRules } = await import('../services/collection/sample');
  return startCatcher({ rules: sampleCatcherRules() });
}
