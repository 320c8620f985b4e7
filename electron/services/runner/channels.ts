import { StudioError } from '@shared/model/error';
import type { ChannelOutput } from '@shared/contract';
import { noExchangeReason } from './rows';
import { listPastRuns, openPastRun } from './past-runs';
import { readReport } from './report-file';
import { resumeStudioRun, type Cleaning } from './studio-resume';
import { startStudioRun, type ChannelInput, type RunnerChannelDeps } from './studio-run';
import type { RunHandle } from './types';

export type { RunnerChannelDeps } from './studio-run';
export { reportNames } from './report-file';

type RunnerChannel =
  | 'runner:start'
  | 'runner:control'
  | 'runner:rows'
  | 'runner:exchange'
  | 'runner:runs'
  | 'runner:open'
  | 'runner:resume'
  | 'runner:report';

export type RunnerChannels = {
  [C in RunnerChannel]: (input: ChannelInput<C>) => Promise<ChannelOutput<C>>;
};

/**
 * The runner's contract channels as both shells call them: the webhook, context, catalog and profile
 * come from the collection on disk, the leads from the file the user picked.
 */
export function createRunnerChannels(deps: RunnerChannelDeps): RunnerChannels {
  const handle = (runId: string): RunHandle => {
    const run = deps.runner.get(runId);
    if (!run)
      throw new StudioError({ code: 'not-found', message: `no run '${runId}' in this session`, where: 'runId' });
    return run;
  };
  const cleaning: Cleaning = new Map();

  return {
    'runner:start': (input) => startStudioRun(deps, input),
    'runner:resume': (input) => resumeStudioRun(deps, cleaning, input),
    'runner:report': (input) => readReport(input),
    'runner:runs': (input) => listPastRuns(deps, input),
    'runner:open': (input) => openPastRun(deps, input),
    // A run that is not of this session is refused as a rejection, as every channel's errors are.
    'runner:control': (input) =>
      Promise.resolve().then(() => {
        const run = handle(input.runId);
        if (input.action === 'pause') run.pause();
        else if (input.action === 'resume') run.resume();
        else run.cancel();
        return { ok: true as const };
      }),
    'runner:rows': async (input) => handle(input.runId).rows(input.offset, input.limit, input.show),
    async 'runner:exchange'(input) {
      const record = await handle(input.runId).record(input.line);
      if (record?.exchange) return record.exchange;
      throw new StudioError({
        code: 'not-found',
        message: `line ${input.line}: ${noExchangeReason(record)}`,
        where: 'line',
      });
    },
  };
}
