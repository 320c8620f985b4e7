import { createReadStream } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createSender } from '../../services/sender/index';
import { collectionNetworkOptions } from '../collection-network';
import { catcherFor } from '../catcher-target';
import { secretResolverFor } from '../secret-resolver';
import { takeJournals } from '../../services/runner/results-file';
import { countLeads, createRunner, RunInputError, type RunHandle, type RunInput } from '../../services/runner/index';
import { leadFormatOf, type LeadFormat } from '@shared/runner/leads';
import { didNotSucceed, type RunSummary } from '@shared/runner/summary';
import { tokenContextSchema, type FieldCatalog, type Profile, type TokenContext, type Webhook } from '@shared/model';
import type { Trigger } from '@shared/model/trigger';
import { CliError, exitCodes } from '../cli-error';
import { parseCommandArgs, type CliIo, type Command } from '../io';
import { loadCommandInputs, readTriggers } from '../load-inputs';
import { checkLeadsFile, prepareOutDir } from './run-files';
import { progressReporter, summaryText } from './run-output';
import {
  defaultOutDir,
  joinNegativeNumbers,
  newRunSettings,
  runArgOptions,
  SETTINGS_FILE,
  usage,
  type RunArgs,
  type RunSettings,
} from './run-settings';

export { progressReporter } from './run-output';

/** How the run was asked for: its settings, its folder, and for a resume the earlier journals. */
interface Plan {
  settings: RunSettings;
  /** The run folder, when known before the webhook is loaded (--out, --resume). */
  outDir: string | undefined;
  journals?: string[];
}

/** --resume: everything comes from the run folder; the files it names are read again as they are now. */
async function resumePlan(io: CliIo, { values, positionals }: RunArgs, resume: string): Promise<Plan> {
  if (positionals.length > 0 || values.leads !== undefined)
    throw new CliError(
      `--resume <out-folder> takes the webhook, leads and options the run was started with; give nothing else (but --resend-unanswered)\nusage: ${usage}`,
    );
  const outDir = path.resolve(io.cwd, resume);
  let settings: RunSettings;
  try {
    settings = JSON.parse(await readFile(path.join(outDir, SETTINGS_FILE), 'utf8')) as RunSettings;
  } catch {
    throw new CliError(`--resume '${resume}': not a run folder (no readable ${SETTINGS_FILE})`);
  }
  return { settings, outDir, journals: await takeJournals(outDir) };
}

function planOf(io: CliIo, args: RunArgs): Promise<Plan> | Plan {
  const { resume, out } = args.values;
  if (resume !== undefined) return resumePlan(io, args, resume);
  return { settings: newRunSettings(io.cwd, args), outDir: out !== undefined ? path.resolve(io.cwd, out) : undefined };
}

/** The webhook, context, catalog, profile and triggers of the run. */
interface Loaded {
  webhook: Webhook;
  context: TokenContext;
  fields: FieldCatalog;
  profile: Partial<Profile>;
  triggers: Trigger[] | undefined;
}

async function loadRun(io: CliIo, args: RunArgs, settings: RunSettings): Promise<Loaded> {
  const { values, positionals } = args;
  const resumed = values.resume !== undefined;
  // A collection's names resolve inside it; a resumed run's paths are absolute already.
  const collection = values.collection ?? settings.collection;
  const inputs = await loadCommandInputs(
    { ...io, cwd: resumed ? (settings.collection ?? io.cwd) : io.cwd },
    resumed ? settings.webhook : (positionals[0] as string),
    { collection, context: settings.context, fields: settings.fields, profile: settings.profile },
  );
  return {
    webhook: inputs.webhook,
    context: inputs.context ?? tokenContextSchema.parse({ name: 'none' }),
    fields: inputs.fields,
    profile: inputs.profile,
    triggers: values.triggers !== undefined ? await readTriggers(io.cwd, values.triggers) : inputs.triggers,
  };
}

/**
 * One pass to count the leads, so the progress bar knows its end; the file is streamed, not kept.
 * It also refuses, before anything is sent, a file that is not text or holds no leads.
 */
async function countLeadsOf(format: LeadFormat, loaded: Loaded, leadsPath: string, shown: string): Promise<number> {
  try {
    return await countLeads(format, loaded.fields, createReadStream(leadsPath));
  } catch (e) {
    if (e instanceof RunInputError) throw new CliError(`${shown}: ${e.message}`);
    throw e;
  }
}

/** Everything the runner needs but the sender: one RunInput. */
interface Launch {
  plan: Plan;
  loaded: Loaded;
  outDir: string;
  format: LeadFormat;
  total: number;
  target: 'url' | 'catcher';
  resendUnanswered: boolean;
  resolveSecret: RunInput['resolveSecret'];
}

function runInputOf(l: Launch): RunInput {
  const { settings, journals } = l.plan;
  const leadsPath = settings.leads;
  return {
    webhook: l.loaded.webhook,
    webhookName: l.loaded.webhook.name,
    context: l.loaded.context,
    fields: l.loaded.fields,
    profile: l.loaded.profile,
    triggers: l.loaded.triggers,
    leads: { fileName: path.basename(leadsPath), stream: createReadStream(leadsPath), format: l.format },
    total: l.total,
    concurrency: settings.concurrency,
    ...(settings.rate !== undefined ? { rate: settings.rate } : {}),
    retries: settings.retries,
    onBadRow: settings.onBadRow,
    record: settings.record,
    target: l.target,
    ...(l.resolveSecret ? { resolveSecret: l.resolveSecret } : {}),
    outDir: l.outDir,
    reporters: settings.reporters,
    ...(journals ? { previous: { journals, resendUnanswered: l.resendUnanswered } } : {}),
  };
}

/**
 * Waits for the run. A signal lets the leads in flight finish, then the summary and reports are
 * written; a second one stops them too. Answers the summary and the signal that stopped the run.
 */
async function awaitRun(
  io: CliIo,
  handle: RunHandle,
): Promise<{ summary: RunSummary; signalled: NodeJS.Signals | undefined }> {
  const progress = progressReporter(io);
  handle.onProgress((p) => {
    progress.update(p);
  });
  const state: { signalled?: NodeJS.Signals } = {};
  const onSignal = (signal: NodeJS.Signals): void => {
    if (state.signalled !== undefined) {
      handle.cancel();
      return;
    }
    state.signalled = signal;
    io.stderr.write(
      `\nrun: ${signal}: finishing the leads in flight, then writing the reports (again to stop them too)\n`,
    );
    handle.stop(`stopped by ${signal}`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return { summary: await handle.done, signalled: state.signalled };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.finish();
  }
}

function exitCodeOf(summary: RunSummary, signalled: NodeJS.Signals | undefined): number {
  if (signalled === 'SIGINT') return 130;
  if (signalled === 'SIGTERM') return 143;
  if (summary.state === 'failed') return exitCodes.badInput;
  return didNotSucceed(summary.counts) > 0 || summary.state === 'cancelled' ? exitCodes.findings : exitCodes.ok;
}

/** Sends the run (to the catcher with --catcher) and answers its exit code. */
async function send(io: CliIo, launch: Omit<Launch, 'target' | 'resolveSecret'>): Promise<number> {
  const { settings, journals } = launch.plan;
  const near = path.resolve(io.cwd, settings.collection ?? settings.webhook);
  const catcher = await catcherFor(launch.loaded.webhook.url, settings.catcher, near);
  // The built-in catcher is on this machine: the collection's network settings are for reaching the service.
  const network = catcher ? {} : await collectionNetworkOptions(io, settings.collection);
  const sender = createSender({
    ...network,
    env: io.env,
    ...(catcher ? { catcherUrl: () => Promise.resolve(catcher.url) } : {}),
  });
  const resolveSecret = secretResolverFor(io.env, near);
  try {
    let handle: RunHandle;
    try {
      handle = createRunner({ sender }).start(
        runInputOf({
          ...launch,
          target: catcher ? 'catcher' : 'url',
          resolveSecret,
        }),
      );
    } catch (e) {
      if (e instanceof RunInputError) throw new CliError(e.message);
      throw e;
    }
    const { summary, signalled } = await awaitRun(io, handle);
    // The new results.jsonl carries every answer of the earlier files over: they are no longer needed.
    if (journals) for (const j of journals) await rm(j, { force: true });
    io.stdout.write(summaryText(summary, launch.outDir));
    return exitCodeOf(summary, signalled);
  } finally {
    await sender.close();
    await catcher?.close();
  }
}

async function run(io: CliIo): Promise<number> {
  const started = new Date();
  const args: RunArgs = parseCommandArgs('run', joinNegativeNumbers(io.argv), runArgOptions, usage);
  const plan = await planOf(io, args);
  const { settings } = plan;
  const leadsShown = args.values.leads ?? settings.leads;
  const format = leadFormatOf(settings.leads);
  if (!format) throw new CliError(`${leadsShown}: the leads file must end in .csv, .json, .jsonl or .ndjson`);
  await checkLeadsFile(settings.leads, leadsShown);
  const loaded = await loadRun(io, args, settings);
  const outDir = plan.outDir ?? defaultOutDir(io.cwd, loaded.webhook.name, started);
  const total = await countLeadsOf(format, loaded, settings.leads, leadsShown);
  if (args.values.resume === undefined) {
    await prepareOutDir(outDir, args.values.out ?? outDir);
    await writeFile(path.join(outDir, SETTINGS_FILE), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  }
  return send(io, { plan, loaded, outDir, format, total, resendUnanswered: args.values['resend-unanswered'] === true });
}

export const command: Command = {
  summary:
    'Run a webhook once per lead of a CSV/JSON/JSONL file, as a trigger campaign would; write results and reports. Exit 0: every lead succeeded; 1: some did not; 2: bad input; 130/143: stopped by a signal.',
  usage,
  run,
};
