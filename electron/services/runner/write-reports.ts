import { closeSync, openSync, writeSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createReportWriter, type ReporterName, type ReportSetup, type ReportWriter } from '@shared/runner/reports';
import type { RunRecord, RunSummary } from '@shared/runner/summary';

/** How much of a report's body gathers before it is written to its part file. Speed: docs/performance.md#runner */
const REPORT_CHUNK = 64 * 1024;
/** The part file's copy into the report is read in pieces this size. */
const COPY_CHUNK = 1024 * 1024;

/** One report while the run goes: its writer, the body text not yet written, and the part file once there is one. */
interface Output {
  name: ReporterName;
  writer: ReportWriter;
  text: string;
  partPath: string;
  part: number | undefined;
}

/**
 * The run's reports, written as the run writes results.jsonl: each record's rows go to a hidden part
 * file beside the report (`.junit.xml.part`), and once the run is over each report is its head (the
 * run's figures), its part file, and its end. A run small enough to keep every body in 64 KB writes no
 * part file at all.
 */
export interface ReportStream {
  /** Adds one record, in file order; throws when a part file cannot be written (the run stops, as for results.jsonl). */
  record(record: RunRecord): void;
  /** Writes every report and answers each report's file name (for the summary's `files`). */
  finish(summary: RunSummary): Promise<Record<string, string>>;
  /** The run failed before its reports: the part files go. */
  discard(): Promise<void>;
}

function putPart(o: Output, failures: Error[]): void {
  if (o.text === '') return;
  try {
    // Created readable by the owner only, as results.jsonl: it holds leads' addresses until the report takes them.
    o.part ??= openSync(o.partPath, 'w', 0o600);
    const bytes = Buffer.from(o.text, 'utf8');
    for (let at = 0; at < bytes.length;) at += writeSync(o.part, bytes, at, bytes.length - at);
  } catch (e) {
    failures.push(e instanceof Error ? e : new Error(String(e)));
  }
  o.text = '';
}

function closePart(o: Output): void {
  if (o.part === undefined) return;
  const fd = o.part;
  o.part = undefined;
  closeSync(fd);
}

/** Head, body (the part file, then what is still gathered) and end, into the report's file. */
async function writeReport(outDir: string, o: Output, summary: RunSummary): Promise<void> {
  const hadPart = o.part !== undefined;
  closePart(o);
  const file = await open(join(outDir, o.writer.fileName), 'w');
  try {
    await file.writeFile(o.writer.head(summary));
    if (hadPart) {
      const part = await open(o.partPath, 'r');
      try {
        const buffer = Buffer.allocUnsafe(COPY_CHUNK);
        for (;;) {
          const { bytesRead } = await part.read(buffer, 0, COPY_CHUNK, null);
          if (bytesRead === 0) break;
          await file.write(buffer, 0, bytesRead);
        }
      } finally {
        await part.close();
      }
    }
    await file.writeFile(o.text + o.writer.end(summary));
  } finally {
    await file.close();
  }
  o.text = '';
  await rm(o.partPath, { force: true });
}

export function openReports(options: { outDir: string; reporters: ReporterName[]; setup: ReportSetup }): ReportStream {
  const outputs: Output[] = [...new Set(options.reporters)].map((name) => {
    const writer = createReportWriter(name, options.setup);
    return { name, writer, text: '', partPath: join(options.outDir, `.${writer.fileName}.part`), part: undefined };
  });
  const failures: Error[] = [];
  return {
    record(record) {
      for (const o of outputs) {
        o.text += o.writer.record(record);
        if (o.text.length >= REPORT_CHUNK) putPart(o, failures);
      }
      // A report that cannot be written stops the run as results.jsonl would (the caller stops it), and
      // no more report text gathers in memory meanwhile.
      const failure = failures[0];
      if (failure) throw failure;
    },
    async finish(summary) {
      const failure = failures[0];
      if (failure) {
        await this.discard();
        throw failure;
      }
      for (const o of outputs) await writeReport(options.outDir, o, summary);
      return Object.fromEntries(outputs.map((o) => [o.name, o.writer.fileName]));
    },
    async discard() {
      for (const o of outputs) {
        try {
          closePart(o);
        } catch {
          // Closing a descriptor the disk already failed on: the file goes next anyway.
        }
        // Something else standing there (not our part file) is left as it is; the other parts still go.
        await rm(o.partPath, { force: true }).catch(() => undefined);
      }
    },
  };
}
