import { lstat, mkdir, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { accountingText, type RunSummary } from '@shared/runner/summary';
import type { z } from 'zod';
import { StudioError } from '@shared/model/error';
import { type channels, type ChannelOutput, type EventPayload } from '@shared/contract';
import { tokenContextSchema, type TokenContext } from '@shared/model/context';
import type { Webhook } from '@shared/model';
import { profileOverrides } from '@shared/model/profile';
import { stateDir } from '@shared/formats/collection-files';
import { openCollection } from '../collection/index';
import { countLeads, RunInputError, type RunHandle, type RunInput, type Runner } from './index';
import { leadFormatOf } from '@shared/runner/leads';
import { readJournal, takeJournals, type JournalState } from './results-file';

type Input<C extends keyof typeof channels> = z.output<(typeof channels)[C]['input']>;

export interface RunnerChannelDeps {
  runner: Runner;
  emit(event: 'runner:progress', payload: EventPayload<'runner:progress'>): void;
  /** Where a run's files go; by default `<collection>/.studio/runs/<runId>`, next to the collection's other state. */
  runsDir?: (collectionDir: string, runId: string) => string;
  /** Per collection extras for every run, e.g. the collection's secrets resolver. */
  extra?: (collectionDir: string) => Partial<Pick<RunInput, 'reporters' | 'resolveSecret'>>;
}

export interface RunnerChannels {
  'runner:start'(input: Input<'runner:start'>): Promise<ChannelOutput<'runner:start'>>;
  'runner:control'(input: Input<'runner:control'>): Promise<ChannelOutput<'runner:control'>>;
  'runner:rows'(input: Input<'runner:rows'>): Promise<ChannelOutput<'runner:rows'>>;
  'runner:exchange'(input: Input<'runner:exchange'>): Promise<ChannelOutput<'runner:exchange'>>;
  'runner:runs'(input: Input<'runner:runs'>): Promise<ChannelOutput<'runner:runs'>>;
  'runner:open'(input: Input<'runner:open'>): Promise<ChannelOutput<'runner:open'>>;
  'runner:resume'(input: Input<'runner:resume'>): Promise<ChannelOutput<'runner:resume'>>;
  'runner:report'(input: Input<'runner:report'>): Promise<ChannelOutput<'runner:report'>>;
}

/**
 * What a studio run keeps in its folder so it can be resumed: how it was started (the webhook and
 * context by their paths in the collection) and the leads it was given, in `leads.<format>` (0600:
 * lead data is personal data, readable by its owner only).
 */
interface StudioRunSettings {
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
const STUDIO_RUN_FILE = 'studio-run.json';

/** The files of a run folder the view may open; anything else (the leads, the journal) is refused. */
export const reportNames = ['summary.json', 'report.html', 'junit.xml', 'lead-updates.csv'] as const;
const mediaTypes: Record<(typeof reportNames)[number], string> = {
  'summary.json': 'application/json',
  'report.html': 'text/html',
  'junit.xml': 'application/xml',
  'lead-updates.csv': 'text/csv',
};
/** A report bigger than this is not sent through a channel; it is opened from the folder instead. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;
const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

let runCounter = 0;

/**
 * The runner's contract channels as both shells call them: the webhook, context, catalog and profile
 * come from the collection on disk, the leads from the file the user picked.
 */
export function createRunnerChannels(deps: RunnerChannelDeps): RunnerChannels {
  // Past runs are listed where the studio writes them (a custom runsDir is for tests of one run).
  const runsBase = (dir: string): string => join(dir, stateDir, 'runs');
  const handle = (runId: string): RunHandle => {
    const run = deps.runner.get(runId);
    if (!run)
      throw new StudioError({ code: 'not-found', message: `no run '${runId}' in this session`, where: 'runId' });
    return run;
  };

  /** Per resumed run, the removal of the journals it carried over, once it ends. */
  const cleaning = new Map<string, Promise<void>>();

  /** The webhook, context and catalog of a run, from the collection on disk as it is now. */
  const load = async (dir: string, webhookPath: string, contextPath: string | undefined) => {
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
  };

  type Snapshot = Awaited<ReturnType<typeof load>>['snapshot'];
  const begin = (
    dir: string,
    runId: string,
    outDir: string,
    settings: StudioRunSettings,
    snapshot: Snapshot,
    webhook: Webhook,
    context: TokenContext,
    content: string,
    previous?: RunInput['previous'],
  ): RunHandle => {
    const run = deps.runner.start({
      runId,
      webhook,
      webhookName: webhook.name,
      context,
      fields: snapshot.fields,
      profile: profileOverrides(snapshot.profile),
      ...(snapshot.triggers ? { triggers: snapshot.triggers } : {}),
      leads: { fileName: settings.fileName, stream: content },
      concurrency: settings.concurrency,
      ...(settings.rate !== undefined ? { rate: settings.rate } : {}),
      target: settings.target,
      ...(settings.onBadRow !== undefined ? { onBadRow: settings.onBadRow } : {}),
      ...(settings.retries !== undefined ? { retries: settings.retries } : {}),
      ...(settings.record !== undefined ? { record: settings.record } : {}),
      outDir,
      ...(previous ? { previous } : {}),
      ...(deps.extra?.(dir) ?? {}),
    });
    run.onProgress((progress) => deps.emit('runner:progress', progress));
    return run;
  };

  return {
    async 'runner:start'(input) {
      const { snapshot, entry, context } = await load(input.dir, input.webhookPath, input.contextPath);
      // An empty file or one that is not text is refused here, as a bad input, rather than as a failed run.
      const format = leadFormatOf(input.leads.fileName);
      if (format) {
        try {
          await countLeads(format, snapshot.fields, input.leads.content);
        } catch (e) {
          if (e instanceof RunInputError)
            throw new StudioError({ code: e.code, message: `${input.leads.fileName}: ${e.message}`, where: 'leads' });
          throw e;
        }
      }
      runCounter++;
      const runId = `run-${Date.now().toString(36)}-${runCounter}`;
      const outDir = deps.runsDir ? deps.runsDir(input.dir, runId) : join(input.dir, stateDir, 'runs', runId);
      // The leads are kept with the run, so "Resume" can read them again after a cancel or a crash.
      const leadsFile = `leads.${format ?? 'txt'}`;
      await mkdir(outDir, { recursive: true, mode: 0o700 });
      await writeFile(join(outDir, leadsFile), input.leads.content, { mode: 0o600 });
      const settings: StudioRunSettings = {
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
        webhookName: entry.webhook.name,
        startedAt: new Date().toISOString(),
      };
      await writeFile(join(outDir, STUDIO_RUN_FILE), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
      const run = begin(input.dir, runId, outDir, settings, snapshot, entry.webhook, context, input.leads.content);
      return { runId: run.id };
    },
    async 'runner:resume'(input) {
      if (!runIdPattern.test(input.runId))
        throw new StudioError({ code: 'bad-input', message: `'${input.runId}' is not a run name`, where: 'runId' });
      const live = deps.runner.get(input.runId);
      if (live && (live.state() === 'running' || live.state() === 'paused')) {
        throw new StudioError({
          code: 'conflict',
          message: `run '${input.runId}' is still going; cancel it before resuming it`,
          where: 'runId',
        });
      }
      // Ended but maybe still writing its summary and reports: the journal is taken over only after.
      await live?.done.catch(() => undefined);
      // and an earlier resume's journals are removed before this one lists them.
      await cleaning.get(input.runId);
      const outDir = deps.runsDir ? deps.runsDir(input.dir, input.runId) : join(runsBase(input.dir), input.runId);
      let settings: StudioRunSettings;
      let content: string;
      try {
        settings = JSON.parse(await readFile(join(outDir, STUDIO_RUN_FILE), 'utf8')) as StudioRunSettings;
        content = await readFile(join(outDir, settings.leadsFile), 'utf8');
      } catch {
        throw new StudioError({
          code: 'not-resumable',
          message: `run '${input.runId}' cannot be resumed from the studio: its folder keeps no leads file (a run from the CLI resumes with webhook-studio run --resume <folder>)`,
          where: 'runId',
        });
      }
      // What the earlier journals say, before they are moved aside: the leads sent without an answer.
      const resultsNames = (await readdir(outDir)).filter(
        (n) => n === 'results.jsonl' || /^results\.\d+\.jsonl$/.test(n),
      );
      const state: JournalState = { answered: new Set(), dispatched: new Set() };
      for (const name of resultsNames) await readJournal(join(outDir, name), state);
      const unanswered = [...state.dispatched].filter((line) => !state.answered.has(line)).sort((a, b) => a - b);
      let summary: { state?: string; counts?: { notRun?: number } } | undefined;
      try {
        summary = JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8')) as typeof summary;
      } catch {
        // Killed before its summary: the journal says what is left.
      }
      if (summary?.state === 'done' && (summary.counts?.notRun ?? 0) === 0 && unanswered.length === 0) {
        throw new StudioError({
          code: 'nothing-to-resume',
          message: `run '${input.runId}' finished: every lead has its answer`,
          where: 'runId',
        });
      }
      const { snapshot, entry, context } = await load(input.dir, settings.webhookPath, settings.contextPath);
      const journals = await takeJournals(outDir);
      const run = begin(input.dir, input.runId, outDir, settings, snapshot, entry.webhook, context, content, {
        journals,
        resendUnanswered: input.resendUnanswered,
      });
      // The new results.jsonl carries every answer of the earlier files over: they are no longer needed.
      cleaning.set(
        run.id,
        run.done.then(
          async () => {
            for (const j of journals) await rm(j, { force: true });
          },
          () => undefined,
        ),
      );
      return { runId: run.id, unanswered, resent: input.resendUnanswered };
    },
    async 'runner:report'(input) {
      const name = input.name;
      if (!(reportNames as readonly string[]).includes(name)) {
        throw new StudioError({
          code: 'not-a-report',
          message: `'${name}' is not a report of a run; a run's reports are ${reportNames.join(', ')}`,
          where: 'name',
        });
      }
      if (!runIdPattern.test(input.runId))
        throw new StudioError({ code: 'bad-input', message: `'${input.runId}' is not a run name`, where: 'runId' });
      const base = runsBase(input.dir);
      const file = join(base, input.runId, name);
      const refused = (why: string) =>
        new StudioError({ code: 'not-a-report', message: `${input.runId}/${name}: ${why}`, where: 'name' });
      let info;
      try {
        info = await lstat(file);
      } catch {
        throw new StudioError({
          code: 'not-found',
          message: `run '${input.runId}' has no ${name} (the run did not write that report)`,
          where: 'name',
        });
      }
      // A link could lead anywhere on the disk: only a plain file inside the run's own folder is read.
      if (!info.isFile()) throw refused('not a plain file of the run folder');
      const [realBase, realFile] = await Promise.all([realpath(base), realpath(file)]);
      if (
        !realFile.startsWith(`${realBase}${sep}${input.runId}${sep}`) ||
        realFile !== join(realBase, input.runId, name)
      )
        throw refused('outside the run folder');
      if ((await stat(realFile)).size > MAX_REPORT_BYTES) {
        throw new StudioError({
          code: 'too-large',
          message: `${input.runId}/${name} is larger than ${MAX_REPORT_BYTES / 1024 / 1024} MB; open it from the run folder`,
          where: 'name',
        });
      }
      return {
        name,
        mediaType: mediaTypes[name as (typeof reportNames)[number]],
        content: await readFile(realFile, 'utf8'),
      };
    },
    async 'runner:control'(input) {
      const run = handle(input.runId);
      if (input.action === 'pause') run.pause();
      else if (input.action === 'resume') run.resume();
      else run.cancel();
      return { ok: true };
    },
    async 'runner:rows'(input) {
      return handle(input.runId).rows(input.offset, input.limit);
    },
    async 'runner:runs'(input) {
      const base = runsBase(input.dir);
      let names: string[] = [];
      try {
        names = await readdir(base);
      } catch {
        return { runs: [] };
      }
      const runs: ChannelOutput<'runner:runs'>['runs'] = [];
      for (const name of names) {
        // A run of this session that has ended may still be writing its summary: listed once it is written.
        const ended = deps.runner.get(name);
        if (ended && ended.state() !== 'running' && ended.state() !== 'paused') await ended.done.catch(() => undefined);
        try {
          const summary = JSON.parse(await readFile(join(base, name, 'summary.json'), 'utf8')) as RunSummary;
          // Resumable: started from the studio (its leads kept) and some lead has no answer yet.
          const left =
            summary.state !== 'done' ||
            (summary.counts.notRun ?? 0) > 0 ||
            (summary.counts.byOutcome.cancelled ?? 0) > 0;
          const kept =
            left &&
            (await stat(join(base, name, STUDIO_RUN_FILE)).then(
              () => true,
              () => false,
            ));
          runs.push({
            runId: name,
            webhook: summary.webhook,
            state: summary.state,
            startedAt: summary.startedAt,
            accounting: accountingText(summary.counts),
            files: summary.files,
            resumable: kept,
          });
        } catch {
          // No summary: a run still going (not listed), or one the studio stopped during (a crash, a kill):
          // a studio run that kept its leads is listed so it can be resumed; a CLI run resumes with --resume.
          const live = deps.runner.get(name)?.state();
          if (live === 'running' || live === 'paused') continue;
          try {
            const settings = JSON.parse(await readFile(join(base, name, STUDIO_RUN_FILE), 'utf8')) as StudioRunSettings;
            runs.push({
              runId: name,
              webhook: settings.webhookName ?? settings.webhookPath,
              state: 'interrupted',
              startedAt: settings.startedAt ?? '',
              accounting: 'stopped before its summary was written (the studio closed during the run)',
              files: {},
              resumable: true,
            });
          } catch {
            // Not a studio run, or not a run at all.
          }
        }
      }
      runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      return { runs: runs.slice(0, 100) };
    },
    async 'runner:open'(input) {
      const outDir = join(runsBase(input.dir), input.runId);
      let opened;
      try {
        opened = await deps.runner.attach(input.runId, outDir);
      } catch {
        throw new StudioError({
          code: 'not-found',
          message: `no finished run '${input.runId}' in ${input.dir}`,
          where: 'runId',
        });
      }
      const out: ChannelOutput<'runner:open'> = {
        runId: input.runId,
        counts: opened.handle.counts(),
        state: opened.summary.state,
      };
      if (opened.summary.message !== undefined) out.message = opened.summary.message;
      return out;
    },
    async 'runner:exchange'(input) {
      const record = await handle(input.runId).record(input.line);
      if (record?.exchange) return record.exchange;
      // No exchange: say why, in the words of the row's own record.
      const why = !record
        ? 'not finished yet'
        : record.problem !== undefined
          ? `a bad row, not sent: ${record.problem}`
          : record.notRun
            ? record.message
            : record.succeeded
              ? `succeeded (HTTP ${record.status ?? '?'}, ${record.outcome}); its exchange is not kept when the run records only failures`
              : record.message;
      throw new StudioError({ code: 'not-found', message: `line ${input.line}: ${why}`, where: 'line' });
    },
  };
}
