import { createHistory, type HistoryStore } from '../history/index';
import { createSecrets, resolverOf, type SecretStore } from '../secrets/index';
import { createSender, type SecretRefusal, type Sender } from '../sender/index';
import { createCatcherLink, type CatcherLink } from './catcher-link';
import { createNetworkSenders, type NetworkSenders } from './network-senders';
import type { Emit, RecentList, StudioDeps } from './types';

/** What every handler group shares: the shell's deps, the per-collection stores, the sender and the catcher. */
export interface StudioState {
  deps: StudioDeps;
  emit: Emit;
  recent: RecentList;
  secretsFor(dir: string): SecretStore;
  historyFor(dir: string): HistoryStore;
  catcher: CatcherLink;
  /** The sender, made on the first send. */
  sender(): Sender;
  /** The sender if one was made (to cancel a send, or close). */
  madeSender(): Sender | undefined;
  /** Senders for collections, each connecting as its collection's network settings say. */
  network: NetworkSenders;
}

/** Per-collection services, made once per folder and kept while the studio runs. */
function perCollection<T>(make: (dir: string) => T): (dir: string) => T {
  const made = new Map<string, T>();
  return (dir) => {
    let value = made.get(dir);
    if (value === undefined) made.set(dir, (value = make(dir)));
    return value;
  };
}

export function createStudioState(deps: StudioDeps, emit: Emit, recent: RecentList): StudioState {
  // Desktop: values encrypted with the OS keychain. Browser host: the per-user private file the CLI reads
  // too. In both, the environment and the collection's .env override what is stored.
  const secretsFor = perCollection<SecretStore>((dir) =>
    createSecrets({
      dir,
      env: deps.env,
      userDataDir: deps.userDataDir,
      ...(deps.safeStorage ? { safeStorage: deps.safeStorage } : {}),
    }),
  );
  const catcher = createCatcherLink(secretsFor);
  const catcherUrl = async (): Promise<string> => (await catcher.ensure()).url;
  let sender: Sender | undefined;
  return {
    deps,
    emit,
    recent,
    secretsFor,
    historyFor: perCollection<HistoryStore>((dir) => createHistory(dir)),
    catcher,
    sender: () => (sender ??= createSender({ env: deps.env, catcherUrl })),
    madeSender: () => sender,
    network: createNetworkSenders({ base: { env: deps.env, catcherUrl }, secretsFor }),
  };
}

/** A send's secrets, from the collection `dir` (none without one). */
export function secretResolver(
  state: StudioState,
  dir: string | undefined,
): ((name: string, host: string) => string | SecretRefusal) | undefined {
  if (dir === undefined) return undefined;
  return resolverOf(state.secretsFor(dir));
}
