import type { Webhook } from '@shared/model';
import { startCatcher, type Catcher, type CatcherRule, type CatcherSecrets } from '../catcher/index';
import { collectionCatcherRules } from '../collection/catcher-rules';
import { answerRules } from '../collection/catcher-answers';
import { searchedSecrets } from '../secrets/mask';
import type { SecretStore } from '../secrets/index';

/**
 * The studio's one catcher: started on the first request aimed at it, and up (on 127.0.0.1) until the
 * studio closes, answering the sample webhooks like the services they stand for. It also remembers what
 * went to it that is secret, so what it shows can be masked.
 */
export interface CatcherLink {
  /** The running catcher, starting it on first use. */
  ensure(): Promise<Catcher>;
  /** The catcher if it has started. */
  current(): Catcher | undefined;
  /** A webhook sent to the catcher, from the collection `dir` (when known). */
  noteSend(webhook: Webhook, dir: string | undefined): void;
  /** A collection whose secrets may reach the catcher (a run's). */
  noteDir(dir: string): void;
  /** The collection's answers (catcher.yaml): the catcher answers with them from the next request on. */
  useRules(rules: readonly CatcherRule[]): void;
  /** Reads the answers of the collection `dir` again (an outside edit, a send from it); a broken file keeps the last. */
  reloadRules(dir: string): Promise<void>;
  /** What to mask in what the catcher shows. */
  secrets(): CatcherSecrets;
  close(): Promise<void>;
}

/** What went to the catcher that is secret: the names of secret headers and the collections it came from. */
interface SentToCatcher {
  headers: Set<string>;
  dirs: Set<string>;
}

/** The secret values of every collection that sent to the catcher. */
function catcherSecrets(sent: SentToCatcher, secretsFor: (dir: string) => SecretStore): CatcherSecrets {
  const values: string[] = [];
  for (const dir of sent.dirs) {
    try {
      const store = secretsFor(dir);
      for (const { name } of store.list()) values.push(store.get(name) ?? '');
    } catch {
      // A store that cannot be read has nothing to add.
    }
  }
  return { headers: sent.headers, values: searchedSecrets(values) };
}

/** The collection's rules and what the running catcher was last given (rate-limit windows live per rule object). */
interface RulesInForce {
  collection: readonly CatcherRule[];
  applied: string | undefined;
}

function applyRules(rules: RulesInForce, catcher: Catcher | undefined): void {
  const key = JSON.stringify(rules.collection);
  if (!catcher || key === rules.applied) return;
  rules.applied = key;
  catcher.setRules(answerRules(rules.collection));
}

export function createCatcherLink(secretsFor: (dir: string) => SecretStore): CatcherLink {
  let catcher: Catcher | undefined;
  let starting: Promise<Catcher> | undefined;
  // Secret headers (and Authorization made of URL credentials) by name; collections whose values are searched for.
  const sent: SentToCatcher = { headers: new Set(), dirs: new Set() };
  const rules: RulesInForce = { collection: [], applied: undefined };
  return {
    ensure: () =>
      (starting ??= startCatcher({}).then(
        (c) => {
          catcher = c;
          applyRules(rules, c);
          return c;
        },
        (e: unknown) => {
          starting = undefined;
          throw e;
        },
      )),
    current: () => catcher,
    noteSend(webhook, dir) {
      for (const h of webhook.headers) if (h.secret) sent.headers.add(h.name.toLowerCase());
      if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(webhook.url)) sent.headers.add('authorization');
      if (dir !== undefined) sent.dirs.add(dir);
    },
    noteDir(dir) {
      sent.dirs.add(dir);
    },
    useRules(next) {
      rules.collection = next.map((r) => ({ ...r }));
      applyRules(rules, catcher);
    },
    async reloadRules(dir) {
      try {
        rules.collection = await collectionCatcherRules(dir);
        applyRules(rules, catcher);
      } catch {
        // A catcher.yaml that does not load is shown as a collection problem; the last good answers stay.
      }
    },
    secrets: () => catcherSecrets(sent, secretsFor),
    async close() {
      await (await starting?.catch(() => undefined))?.close();
    },
  };
}
