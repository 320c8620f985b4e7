import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { StudioError } from '@shared/model/error';
import type { channels, EventPayload } from '@shared/contract';
import { tokenContextSchema, type TokenContext } from '@shared/model/context';
import type { Webhook } from '@shared/model';
import { profileOverrides } from '@shared/model/profile';
import { stateDir } from '@shared/formats/collection-files';
import { leadFormatOf } from '@shared/runner/leads';
import { openCollection } from '../collection/index';
import { countLeads, RunInputError } from './leads-file';
import type { RunHandle, RunInput, Runner } from './types';

export type ChannelInput<C extends keyof typeof channels> = z.output<(typeof channels)[C]['input']>;

export interface RunnerChannelDeps {
  runner: Runner;
  emit(event: 'runner:progress', payload: EventPayload<'runner:progress'>): void;
  /** Where a run's files go; by default `<collection>/.studio/runs/<runId>`, next to the collection's other state. */
  runsDir?: (collectionDir: string, runId: string) => string;
  /** Per collection extras for every run, e.g. the collection's secrets resolver. */
  extra?: (collectionDir: string) => Partial<Pick<RunInput, 'reporters' | 'resolveSecret'>>;
}

/**
 * What a studio run keeps in its folder so it can be resumed: how it was started (the webhook and
 * context by their paths in the collection) and the leads it was given, in `leads.<format>` (0600:
 * lead data is personal data, readable by its owner only).
 */
export interface StudioRunSettings {
  version: 1;
  webhookPath: string;
  contextPath?: string;
  leadsFile: string;
  fileName: string;
  concurrency: number;
  rate?: number;
  target: 'url' | 'catcher';
  onBadRow?: 'skip' | 'stop';
  retries?: number;
  record?: 'all' | 'failures' | 'none';
  /** For the list of past runs when the studio stopped before the run's summary was written. */
  webhookName?: string;
  startedAt?: string;
}
export const STUDIO_RUN_FILE = 'studio-run.json';

/** Where past runs are listed: where the studio writes them (a custom runsDir is for tests of one run). */
export const runsBase = (dir: string): string => join(dir, stateDir, 'runs');

/** A run's folder: the deps' runsDir when given, else under the collection's state folder. */
export const runFolder = (deps: RunnerChannelDeps, dir: string, runId: string): string =>
  deps.runsDir ? deps.runsDir(dir, runId) : join(runsBase(dir), runId);

/** The webhook, context and catalog of a run, from the collection on disk as it is now. */
export async function loadRunSources(dir: string, webhookPath: string, contextPath: string | undefined) {
  const snapshot = await openCollection(dir);
  const entry = snapshot.webhooks.find((w) => w.path === webhookPath);
  if (!entry) {
    const problem = snapshot.problems.find((p) => p.file === webhookPath);
    throw new StudioError({
      code: 'not-found',
      message: problem ? `${webhookPath}: ${problem.message}` : `no webhook at ${webhookPath} in ${dir}`,
      where: 'webhookPath',
    });
  }
  let context: TokenContext;
  if (contextPath !== undefined) {
    const found = snapshot.contexts.find((c) => c.path === contextPath);
    if (!found)
      throw new StudioError({
        code: 'not-found',
        message: `no context at ${contextPath} in ${dir}`,
        where: 'contextPath',
      });
    context = found.context;
  } else {
    const byDefault = snapshot.contexts.find((c) => c.path === snapshot.defaultContext) ?? snapshot.contexts[0];
    context = byDefault?.context ?? tokenContextSchema.parse({ name: 'none' });
  }
  return { snapshot, entry, context };
}

export type RunSources = Awaited<ReturnType<typeof loadRunSources>>;

/** Starts a studio run (new or resumed) and forwards its progress as events. */
export function beginRun(
  deps: RunnerChannelDeps,
  run: {
    dir: string;
    runId: string;
    outDir: string;
    settings: StudioRunSettings;
    sources: RunSources;
    content: string;
    previous?: RunInput['previous'];
  },
): RunHandle {
  const { settings, sources, previous } = run;
  const { snapshot } = sources;
  const webhook: Webhook = sources.entry.webhook;
  const handle = deps.runner.start({
    runId: run.runId,
    webhook,
    webhookName: webhook.name,
    context: sources.context,
    fields: snapshot.fields,
    profile: profileOverrides(snapshot.profile),
    ...(snapshot.triggers ? { triggers: snapshot.triggers } : {}),
    leads: { fileName: settings.fileName, stream: run.content },
    concurrency: settings.concurrency,
    ...(settings.rate !== undefined ? { rate: settings.rate } : {}),
    target: settings.target,
    ...(settings.onBadRow !== undefined ? { onBadRow: settings.onBadRow } : {}),
    ...(settings.retries !== undefined ? { retries: settings.retries } : {}),
    ...(settings.record !== undefined ? { record: settings.record } : {}),
    outDir: run.outDir,
    ...(previous ? { previous } : {}),
    ...(deps.extra?.(run.dir) ?? {}),
  });
  handle.onProgress((progress) => {
    deps.emit('runner:progress', progress);
  });
  return handle;
}

/** An empty file or one that is not text is refused as a bad input, rather than as a failed run. */
async function refuseUnreadable(input: ChannelInput<'runner:start'>, sources: RunSources): Promise<void> {
  const format = leadFormatOf(input.leads.fileName);
  if (!format) return;
  try {
    await countLeads(format, sources.snapshot.fields, input.leads.content);
  } catch (e) {
    if (e instanceof RunInputError)
      throw new StudioError({ code: e.code, message: `${input.leads.fileName}: ${e.message}`, where: 'leads' });
    throw e;
  }
}

function settingsOf(input: ChannelInput<'runner:start'>, leadsFile: string, sources: RunSources): StudioRunSettings {
  return {
    version: 1,
    webhookPath: input.webhookPath,
    ...(input.contextPath !== undefined ? { contextPath: input.contextPath } : {}),
    leadsFile,
    fileName: input.leads.fileName,
    concurrency: input.concurrency,
    ...(input.rate !== undefined ? { rate: input.rate } : {}),
    target: input.target,
    ...(input.onBadRow !== undefined ? { onBadRow: input.onBadRow } : {}),
    ...(input.retries !== undefined ? { retries: input.retries } : {}),
    ...(input.record !== undefined ? { record: input.record } : {}),
    webhookName: sources.entry.webhook.name,
    startedAt: new Date().toISOString(),
  };
}

let runCounter = 0;

/** runner:start — a new run of a collection webhook over the leads the user picked. */
export async function startStudioRun(
  deps: RunnerChannelDeps,
  input: ChannelInput<'runner:start'>,
): Promise<{ runId: string }> {
  const sources = await loadRunSources(input.dir, input.webhookPath, input.contextPath);
  await refuseUnreadable(input, sources);
  runCounter++;
  const runId = `run-${Date.now().toString(36)}-${runCounter}`;
  const outDir = runFolder(deps, input.dir, runId);
  // The leads are kept with the run, so "Resume" can read them again after a cancel or a crash.
  const leadsFile = `leads.${leadFormatOf(input.leads.fileName) ?? 'txt'}`;
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  await writeFile(join(outDir, leadsFile), input.leads.content, { mode: 0o600 });
  const settings = settingsOf(input, leadsFile, sources);
  await writeFile(join(outDir, STUDIO_RUN_FILE), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  const run = beginRun(deps, { dir: input.dir, runId, outDir, settings, sources, content: input.leads.content });
  return { runId: run.id };
}
