import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { StudioError } from '@shared/model/error';
import type { ChannelOutput } from '@shared/contract';
import { checkRunId } from './studio-resume';
import { runsBase, type ChannelInput } from './studio-run';

/** The files of a run folder the view may open; anything else (the leads, the journal) is refused. */
export const reportNames = ['summary.json', 'report.html', 'junit.xml', 'lead-updates.csv'] as const;
type ReportName = (typeof reportNames)[number];
const mediaTypes: Record<ReportName, string> = {
  'summary.json': 'application/json',
  'report.html': 'text/html',
  'junit.xml': 'application/xml',
  'lead-updates.csv': 'text/csv',
};
/** A report bigger than this is not sent through a channel; it is opened from the folder instead. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

const isReportName = (name: string): name is ReportName => (reportNames as readonly string[]).includes(name);

/** The report's real path, refused unless it is a plain file inside the run's own folder. */
async function reportPath(base: string, runId: string, name: ReportName): Promise<string> {
  const file = join(base, runId, name);
  const refused = (why: string): StudioError =>
    new StudioError({ code: 'not-a-report', message: `${runId}/${name}: ${why}`, where: 'name' });
  let info;
  try {
    info = await lstat(file);
  } catch {
    throw new StudioError({
      code: 'not-found',
      message: `run '${runId}' has no ${name} (the run did not write that report)`,
      where: 'name',
    });
  }
  // A link could lead anywhere on the disk: only a plain file inside the run's own folder is read.
  if (!info.isFile()) throw refused('not a plain file of the run folder');
  const [realBase, realFile] = await Promise.all([realpath(base), realpath(file)]);
  if (!realFile.startsWith(`${realBase}${sep}${runId}${sep}`) || realFile !== join(realBase, runId, name))
    throw refused('outside the run folder');
  return realFile;
}

/** runner:report — one report of a run, for the view to show. */
export async function readReport(input: ChannelInput<'runner:report'>): Promise<ChannelOutput<'runner:report'>> {
  const name = input.name;
  if (!isReportName(name)) {
    throw new StudioError({
      code: 'not-a-report',
      message: `'${name}' is not a report of a run; a run's reports are ${reportNames.join(', ')}`,
      where: 'name',
    });
  }
  checkRunId(input.runId);
  const realFile = await reportPath(runsBase(input.dir), input.runId, name);
  if ((await stat(realFile)).size > MAX_REPORT_BYTES) {
    throw new StudioError({
      code: 'too-large',
      message: `${input.runId}/${name} is larger than ${MAX_REPORT_BYTES / 1024 / 1024} MB; open it from the run folder`,
      where: 'name',
    });
  }
  return { name, mediaType: mediaTypes[name], content: await readFile(realFile, 'utf8') };
}
