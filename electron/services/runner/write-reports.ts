import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createReportWriter, type ReporterName, type ReportWriter } from '@shared/runner/reports';
import type { RunSummary } from '@shared/runner/summary';
import { readResults } from './results-file';

/** How much report text gathers before it is written (checked every REPORT_BATCH leads): one write per chunk, not one per lead and report. */
const REPORT_CHUNK = 64 * 1024;
const REPORT_BATCH = 64;

function put(stream: WriteStream, text: string): Promise<void> | undefined {
  if (text === '' || stream.write(text)) return undefined;
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}

function finish(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/**
 * Writes every chosen report in one pass over results.jsonl, each as a stream, and answers the file
 * name of each report (for the summary's `files`).
 */
export async function writeReports(options: {
  outDir: string;
  resultsPath: string;
  reporters: ReporterName[];
  updateFields: Array<{ soapName: string; displayName: string }>;
  summary: RunSummary;
}): Promise<Record<string, string>> {
  const names = [...new Set(options.reporters)];
  if (names.length === 0) return {};
  const outputs: Array<{ name: ReporterName; writer: ReportWriter; stream: WriteStream }> = names.map((name) => {
    const writer = createReportWriter(name, options.updateFields);
    return { name, writer, stream: createWriteStream(join(options.outDir, writer.fileName), { encoding: 'utf8' }) };
  });
  const failures: Error[] = [];
  for (const o of outputs) o.stream.on('error', (e) => failures.push(e));
  const waitAll = async (pending: Array<Promise<void> | undefined>): Promise<void> => {
    await Promise.all(pending.filter((p): p is Promise<void> => p !== undefined));
    const failure = failures[0];
    if (failure) throw failure;
  };
  // Speed: docs/performance.md#runner (reports gather 64 KB before each write)
  const gathered = outputs.map((o) => ({ ...o, text: o.writer.begin(options.summary) }));
  const flush = async (atLeast: number): Promise<void> => {
    const writes = gathered.map((g) => {
      if (g.text.length < atLeast) return undefined;
      const text = g.text;
      g.text = '';
      return put(g.stream, text);
    });
    await waitAll(writes);
  };
  let leads = 0;
  for await (const record of readResults(options.resultsPath)) {
    for (const g of gathered) g.text += g.writer.record(record);
    if (++leads % REPORT_BATCH === 0) await flush(REPORT_CHUNK);
  }
  for (const g of gathered) g.text += g.writer.end(options.summary);
  await flush(0);
  await Promise.all(outputs.map((o) => finish(o.stream)));
  return Object.fromEntries(outputs.map((o) => [o.name, o.writer.fileName]));
}
