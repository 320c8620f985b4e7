import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createReportWriter, type ReporterName, type ReportWriter } from '@shared/runner/reports';
import type { RunSummary } from '@shared/runner/summary';
import { readResults } from './results-file';

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
  await waitAll(outputs.map((o) => put(o.stream, o.writer.begin(options.summary))));
  for await (const record of readResults(options.resultsPath)) {
    await waitAll(outputs.map((o) => put(o.stream, o.writer.record(record))));
  }
  await waitAll(outputs.map((o) => put(o.stream, o.writer.end(options.summary))));
  await Promise.all(outputs.map((o) => finish(o.stream)));
  return Object.fromEntries(outputs.map((o) => [o.name, o.writer.fileName]));
}
