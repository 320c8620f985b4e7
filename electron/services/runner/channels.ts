import { join } from 'node:path';
import type { z } from 'zod';
import { StudioError, type channels, type ChannelOutput, type EventPayload } from '../../../shared/contract';
import { tokenContextSchema, type TokenContext } from '../../../shared/model/context';
import { profileOverrides } from '../../../shared/model/profile';
import { stateDir } from '../../../shared/formats/collection-files';
import { openCollection } from '../collection/index';
import type { RunHandle, RunInput, Runner } from './index';

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
}

let runCounter = 0;

/**
 * The runner's contract channels as both shells call them: the webhook, context, catalog and profile
 * come from the collection on disk, the leads from the file the user picked.
 */
export function createRunnerChannels(deps: RunnerChannelDeps): RunnerChannels {
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
    async 'runner:exchange'(input) {
      const exchange = await handle(input.runId).exchange(input.line);
      if (!exchange) throw new StudioError({ code: 'not-found', message: `line ${input.line} of run ${input.runId} has no exchange (not sent, or not finished yet)`, where: 'line' });
      return exchange;
    },
  };
}
