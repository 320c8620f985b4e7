import { mkdir } from 'node:fs/promises';
import { createLeadReader, type LeadProblem, type LeadReader } from '@shared/runner/leads';
import type { RunSummary } from '@shared/runner/summary';
import { createDispatcher, type Dispatcher } from './dispatch';
import { finishRun } from './finish';
import { checkedChunks, countLeads, RunInputError, type LeadsSource } from './leads-file';
import { createResultsFile } from './results-file';
import { openEarlierRuns, resumeNote } from './resume';
import type { Run } from './run-state';
import { stopBecause } from './stop';
import { openReports } from './write-reports';
import { mappedFields, type ReporterName } from '@shared/runner/reports';

const defaultReporters: ReporterName[] = ['json', 'junit', 'html', 'csv'];

/** The leads text, held only until reading starts: a finished run kept for its rows must not hold a large upload. */
export interface LeadsHolder {
  source: LeadsSource | undefined;
}

/** A header that is not UTF-8 refuses the whole file; any header problem is noted and may stop the run. */
function onHeaderProblem(run: Run, header: { refused?: RunInputError }, problem: LeadProblem): void {
  if (/not valid UTF-8/.test(problem.message))
    header.refused ??= new RunInputError(
      'not-text',
      `line ${problem.line}: ${problem.message.replace(/^header: /, 'header ')}: save the export as UTF-8`,
    );
  run.summary.problem(problem);
  run.summary.note(`line ${problem.line}: ${problem.message}`);
  if (run.options.onBadRow === 'stop') stopBecause(run, `line ${problem.line}: ${problem.message}`);
}

function readerFor(run: Run, dispatcher: Dispatcher, header: { refused?: RunInputError }): LeadReader {
  return createLeadReader(run.format, run.options.fields, {
    onLead: (lead) => {
      dispatcher.add({ lead });
    },
    onProblem: (problem) => {
      dispatcher.add({ problem });
    },
    onNote: (note) => {
      run.summary.note(`line ${note.line}: ${note.message}`);
    },
    onHeaderProblem: (problem) => {
      onHeaderProblem(run, header, problem);
    },
  });
}

/** Reads the leads file chunk by chunk, starting each lead as the scheduler allows. */
async function readAndSend(run: Run, leads: LeadsHolder): Promise<void> {
  const dispatcher = createDispatcher(run);
  const header: { refused?: RunInputError } = {};
  const reader = readerFor(run, dispatcher, header);
  run.progress.emitNow();
  const chunks = checkedChunks(leads.source ?? '');
  leads.source = undefined;
  for await (const chunk of chunks) {
    if (run.writeFailure) break;
    reader.push(chunk);
    // A header that is not text (checked on the first chunk) refuses the file before any request.
    if (header.refused) throw header.refused;
    await dispatcher.drain();
  }
  if (!run.writeFailure) {
    reader.end();
    await dispatcher.drain();
  }
}

/** A run from start to end: every lead sent or accounted for, then the reports and summary written. */
export async function executeRun(run: Run, leads: LeadsHolder): Promise<RunSummary> {
  // A text given whole is counted (and refused when empty or not text) before anything is written or sent.
  if (typeof leads.source === 'string') run.total = await countLeads(run.format, run.options.fields, leads.source);
  await mkdir(run.options.outDir, { recursive: true });
  await openEarlierRuns(run);
  const results = createResultsFile(run.resultsPath);
  run.results = results;
  const { options } = run;
  const reports = openReports({
    outDir: options.outDir,
    reporters: options.reporters ?? defaultReporters,
    setup: {
      webhook: options.webhookName,
      updateFields: mappedFields(options.webhook.mappings, options.fields),
      leads: run.total,
    },
  });
  run.reports = reports;
  try {
    await readAndSend(run, leads);
    while (run.scheduler.inFlight > 0) await run.scheduler.waitForChange();
    await results.writer.close();
    await run.resumed?.cursor.close();
    if (run.writeFailure) throw run.writeFailure;
    const note = resumeNote(run);
    if (note !== undefined) run.summary.note(note);
    return await finishRun(run);
  } catch (e) {
    await reports.discard();
    throw e;
  }
}
