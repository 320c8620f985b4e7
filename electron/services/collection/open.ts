import path from 'node:path';
import { type CollectionSnapshot } from '@shared/contract';
import { defaultFieldCatalog, mergeCatalog } from '@shared/catalog';
import {
  collectionFile,
  contextsDir,
  fieldsFile,
  folderOfWebhookPath,
  kindOfPath,
  triggersFile,
  webhooksDir,
  type Settings,
} from '@shared/formats/collection-files';
import {
  profileSchema,
  type FieldCatalog,
  type FileProblem,
  type ProfileInput,
  type TokenContext,
  type Trigger,
  type Webhook,
} from '@shared/model';
import { catcherRulesFile } from '@shared/formats/catcher-rules-file';
import type { CatcherRule } from '@shared/model/catcher-rule';
import { storedSecretNames } from '../secrets/store-file';
import { assertIsCollection } from './check';
import { listFiles, mapLimited } from './list';
import { loadFile, type Loaded } from './load';
import { sweepTempFiles } from './sweep';

// Speed: docs/performance.md#collection-service
const readConcurrency = 64;

/** The settings, lead fields and triggers files, each as read (or with its problems). */
interface TopFiles {
  settings: Loaded<Settings>;
  custom: Loaded<FieldCatalog>;
  triggers: Loaded<Trigger[]>;
  catcher: Loaded<CatcherRule[]>;
}

/** Every webhook and context file, read a few dozen at a time; leftover temp files are swept on the way. */
async function loadFolders(
  dir: string,
  problems: FileProblem[],
): Promise<{ webhooks: Loaded<Webhook>[]; contexts: Loaded<TokenContext>[] }> {
  const temps: string[] = [];
  const [webhookPaths, contextPaths] = await Promise.all([
    listFiles(dir, webhooksDir, problems, temps).then((all) => all.filter((p) => kindOfPath(p) === 'webhook')),
    listFiles(dir, contextsDir, problems, temps).then((all) => all.filter((p) => kindOfPath(p) === 'context')),
  ]);
  const webhooks = await mapLimited(webhookPaths, readConcurrency, (p) => loadFile<Webhook>(dir, p, 'webhook', true));
  const contexts = await mapLimited(contextPaths, readConcurrency, (p) =>
    loadFile<TokenContext>(dir, p, 'context', true),
  );
  // Leftovers of interrupted saves go now, before `git add -A` can stage them.
  await sweepTempFiles(dir, temps);
  return { webhooks, contexts };
}

/** The snapshot's head: name, profile, default context and fields, from the top files (problems noted). */
async function snapshotHead(dir: string, top: TopFiles, problems: FileProblem[]): Promise<CollectionSnapshot> {
  const { settings, custom, triggers, catcher } = top;
  let name = path.basename(path.resolve(dir));
  let profileOverrides: Partial<ProfileInput> = {};
  let defaultContext: string | undefined;
  if (settings && 'problems' in settings) problems.push(...settings.problems);
  else if (settings) {
    name = settings.value.name ?? name;
    profileOverrides = settings.value.profile;
    defaultContext = settings.value.defaultContext;
  }
  let fields = defaultFieldCatalog;
  if (custom && 'problems' in custom) problems.push(...custom.problems);
  else if (custom) fields = mergeCatalog(defaultFieldCatalog, custom.value);

  const snapshot: CollectionSnapshot = {
    dir,
    name,
    profile: profileSchema.parse(profileOverrides),
    ...(defaultContext ? { defaultContext } : {}),
    fields,
    webhooks: [],
    contexts: [],
    problems,
    secrets: await storedSecretNames(dir),
  };
  if (triggers && 'problems' in triggers) problems.push(...triggers.problems);
  else if (triggers) snapshot.triggers = triggers.value;
  if (catcher && 'problems' in catcher) problems.push(...catcher.problems);
  else if (catcher) snapshot.catcherRules = catcher.value;
  return snapshot;
}

/**
 * Reads a collection folder. A file that does not load is reported in `problems` (file, line, why)
 * and left as it is; everything else loads.
 */
export async function openCollection(dir: string): Promise<CollectionSnapshot> {
  await assertIsCollection(dir);
  const problems: FileProblem[] = [];
  const settings = await loadFile<Settings>(dir, collectionFile, 'settings');
  const custom = await loadFile<FieldCatalog>(dir, fieldsFile, 'fields');
  const triggers = await loadFile<Trigger[]>(dir, triggersFile, 'triggers');
  const catcher = await loadFile<CatcherRule[]>(dir, catcherRulesFile, 'catcher');
  const { webhooks, contexts } = await loadFolders(dir, problems);
  const snapshot = await snapshotHead(dir, { settings, custom, triggers, catcher }, problems);
  const defaultContext = snapshot.defaultContext;
  for (const w of webhooks) {
    if (!w) continue;
    if ('problems' in w) problems.push(...w.problems);
    else
      snapshot.webhooks.push({
        path: w.path,
        folder: folderOfWebhookPath(w.path),
        version: w.version,
        webhook: w.value,
      });
  }
  for (const c of contexts) {
    if (!c) continue;
    if ('problems' in c) problems.push(...c.problems);
    else snapshot.contexts.push({ path: c.path, version: c.version, context: c.value });
  }
  // collection.yaml may name the default context by its name; the snapshot always gives its path.
  if (defaultContext !== undefined && !snapshot.contexts.some((c) => c.path === defaultContext)) {
    const byName = snapshot.contexts.find((c) => c.context.name === defaultContext);
    if (byName) snapshot.defaultContext = byName.path;
  }
  return snapshot;
}

/** The snapshot of a collection that does not exist yet: what an import into a new folder starts from. */
export function emptySnapshot(dir: string): CollectionSnapshot {
  return {
    dir,
    name: path.basename(path.resolve(dir)),
    profile: profileSchema.parse({}),
    fields: defaultFieldCatalog,
    webhooks: [],
    contexts: [],
    problems: [],
    secrets: [],
  };
}
