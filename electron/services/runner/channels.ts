import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { accountingText, type RunSummary } from '../../../shared/runner/summary';
import type { z } from 'zod';
import { StudioError, type channels, type ChannelOutput, type EventPayload } from '../../../shared/contract';
import { tokenContextSchema, type TokenContext } from '../../../shared/model/context';
import { profileOverrides } from '../../../shared/model/profile';
import { stateDir } from '../../../shared/formats/collection-files';
import { openCollection } from '../collection/index';
import { countLeads, RunInputError, type RunHandle, type RunInput, type Runner } from './index';
import { leadFormatOf } from '../../../shared/runner/leads';

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
}

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
    if (!run) throw new StudioError({ code: 'not-found', message: `no run '${runId}' in this session`, where: 'runId' });
    return run;
  };

  return {
    async 'runner:start'(input) {
      const snapshot = await openCollection(input.dir);
      const entry = snapshot.webhooks.find((w) => w.path === input.webhookPath);
      if (!entry) {
        const problem = snapshot.problems.find((p) => p.file === input.webhookPath);
        throw new StudioError({ code: 'not-found', message: problem ? `${input.webhookPath}: ${problem.message}` : `no webhook at ${input.webhookPath} in ${input.dir}`, where: 'webhookPath' });
      }
      let context: TokenContext;
      if (input.contextPath !== undefined) {
        const found = snapshot.contexts.find((c) => c.path === input.contextPath);
        if (!found) throw new StudioError({ code: 'not-found', message: `no context at ${input.contextPath} in ${input.dir}`, where: 'contextPath' });
        context = found.context;
      } else {
        const byDefault = snapshot.contexts.find((c) => c.path === snapshot.defaultContext) ?? snapshot.contexts[0];
        context = byDefault?.context ?? tokenContextSchema.parse({ name: 'none' });
      }
      // An empty file or one that is not text is refused here, as a bad input, rather than as a failed run.
      const format = leadFormatOf(input.leads.fileName);
      if (format) {
        try {
          await countLeads(format, snapshot.fields, input.leads.content);
        } catch (e) {
          if (e instanceof RunInputError) throw new StudioError({ code: e.code, message: `${input.leads.fileName}: ${e.message}`, where: 'leads' });
          throw e;
        }
      }
      runCounter++;
      const runId = `run-${Date.now().toString(36)}-${runCounter}`;
      const outDir = deps.runsDir ? deps.runsDir(input.dir, runId) : join(input.dir, stateDir, 'runs', runId);
      const run = deps.runner.start({
        runId,
        webhook: entry.webhook,
        webhookName: entry.webhook.name,
        context,
        fields: snapshot.fields,
        profile: profileOverrides(snapshot.profile),
        ...(snapshot.triggers ? { triggers: snapshot.triggers } : {}),
        leads: { fileName: input.leads.fileName, stream: input.leads.content },
        concurrency: input.concurrency,
        ...(input.rate !== undefined ? { rate: input.rate } : {}),
        target: input.target,
        ...(input.onBadRow !== undefined ? { onBadRow: input.onBadRow } : {}),
        ...(input.retries !== undefined ? { retries: input.retries } : {}),
        ...(input.record !== undefined ? { record: input.record } : {}),
        outDir,
        ...(deps.extra?.(input.dir) ?? {}),
      });
      run.onProgress((progress) => deps.emit('runner:progress', progress));
      return { runId: run.id };
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
        try {
          const summary = JSON.parse(await readFile(join(base, name, 'summary.json'), 'utf8')) as RunSummary;
          runs.push({ runId: name, webhook: summary.webhook, state: summary.state, startedAt: summary.startedAt, accounting: accountingText(summary.counts), files: summary.files });
        } catch {
          // A run still going, or killed before its summary: not listed (the CLI's --resume continues it).
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
        throw new StudioError({ code: 'not-found', message: `no finished run '${input.runId}' in ${input.dir}`, where: 'runId' });
      }
      const out: ChannelOutput<'runner:open'> = { runId: input.runId, counts: opened.handle.counts(), state: opened.summary.state };
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
