import { startCatcher, type Catcher } from '../services/catcher/index';
import { aimsAtCatcher, sampleCatcherRules } from '../services/collection/sample';

/**
 * The catcher a CLI send or run uses: one on request (--catcher), or one started on demand for a
 * webhook aimed at the sample collection's placeholder origin, answering with the sample's canned
 * responses, so the sample works offline from the CLI as it does in the app.
 */
export async function catcherFor(webhookUrl: string, requested: boolean | undefined): Promise<Catcher | undefined> {
  if (aimsAtCatcher(webhookUrl)) return startCatcher({ rules: sampleCatcherRules() });
  return requested ? startCatcher({}) : undefined;
}
