import { existsSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from '../cli-error';
import { SETTINGS_FILE } from './run-settings';

/** The leads file must be a regular file: a FIFO or /dev/zero would block or never end. */
export async function checkLeadsFile(leadsPath: string, shown: string): Promise<void> {
  let info;
  try {
    info = await stat(leadsPath);
  } catch {
    throw new CliError(`cannot read the leads file '${shown}': no such file`);
  }
  if (info.isDirectory()) throw new CliError(`cannot read the leads file '${shown}': it is a folder`);
  if (!info.isFile())
    throw new CliError(`cannot read the leads file '${shown}': not a regular file (a pipe or a device is not read)`);
  if (info.size > MAX_LEADS_BYTES)
    throw new CliError(
      `cannot read the leads file '${shown}': ${info.size} bytes is over the ${MAX_LEADS_BYTES / 2 ** 30} GiB limit`,
    );
}
/** 4 GiB: ten million leads of 400 bytes; past that a file is not a lead export. */
const MAX_LEADS_BYTES = 4 * 2 ** 30;

/** --out must be a folder that can be created; a file there, or a place like /proc, is refused in one line. */
export async function prepareOutDir(outDir: string, shown: string): Promise<void> {
  try {
    const info = await stat(outDir);
    if (!info.isDirectory())
      throw new CliError(`--out '${shown}' is a file, not a folder: pick a folder for the run's results`);
    // A new run would write over an earlier run's results and reports: that run is the user's to keep.
    if (existsSync(path.join(outDir, 'results.jsonl')) || existsSync(path.join(outDir, SETTINGS_FILE))) {
      throw new CliError(
        `--out '${shown}' already holds a run: continue it with --resume '${shown}', or pick another folder`,
      );
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
  }
  try {
    await makeFolders(outDir);
    // /proc and the like accept a stat but not a new file: find out now, not mid-run.
    const probe = path.join(outDir, `.write-test-${process.pid}`);
    await writeFile(probe, '', { mode: 0o600 });
    await rm(probe, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new CliError(
      `cannot write the run's results to --out '${shown}' (${code || (e instanceof Error ? e.message : String(e))})`,
    );
  }
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir loops forever under /proc (it sees ENOENT on
 * the new folder, then finds /proc there, and tries again), so `--out /proc/x` hung.
 */
async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      await stat(at);
      break;
    } catch {
      missing.push(at);
      if (path.dirname(at) === at) break;
    }
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
