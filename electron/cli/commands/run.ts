import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createSender } from '../../services/sender/index';
import { catcherFor } from '../catcher-target';
import { collectionRootOf, createSecrets } from '../../services/secrets/index';
import { defaultUserDataDir } from '../../host/user-data';
import { takeJournals } from '../../services/runner/results-file';
import {
  countLeads,
  createRunner,
  recordSettings,
  RunInputError,
  type RecordSetting,
  type RunProgress,
} from '../../services/runner/index';
import { leadFormatOf } from '@shared/runner/leads';
import { reporterNames, type ReporterName } from '@shared/runner/reports';
import { accountingText, didNotSucceed, formatDuration, type RunSummary } from '@shared/runner/summary';
import { tokenContextSchema, type FieldCatalog, type Profile, type TokenContext, type Webhook } from '@shared/model';
import { CliError, exitCodes } from '../cli-error';
import { parseCommandArgs, type CliIo, type Command } from '../io';
import { loadInputs } from '../load-inputs';
import { readTriggers } from './map';

const usage =
  'webhook-studio run <webhook> --leads <file> [--context <ctx>] [--collection <dir>] [--fields <catalog>] [--profile <profile>] ' +
  '[--concurrency N] [--rate R] [--retries N] [--on-bad-row skip|stop] [--reporter json,junit,html,csv] [--record all|failures|none] [--out <dir>] [--catcher] [--triggers <file>]\n' +
  '       webhook-studio run --resume <out-dir> [--resend-unanswered]';

interface Loaded {
  webhook: Webhook;
  context: TokenContext;
  fields: FieldCatalog;
  profile: Partial<Profile>;
}

function parseReporters(raw: string | undefined): ReporterName[] {
  if (raw === undefined) return [...reporterNames];
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const name of names) {
    if (!(reporterNames as readonly string[]).includes(name))
      throw new CliError(`unknown reporter '${name}' (choose from ${reporterNames.join(', ')})`);
  }
  return names as ReporterName[];
}

/** A redrawn bar on a terminal; on a pipe or a CI log, a plain line every 2 s and one at the end. */
export function progressReporter(io: CliIo): { update(p: RunProgress): void; finish(): void } {
  const tty = (io.stderr as NodeJS.WriteStream).isTTY === true;
  let lastLine = 0;
  let drawn = false;
  return {
    update(p) {
      const { done, total, skipped, notRun } = p.counts;
      const failed = p.counts.failed + p.counts.partlyMapped;
      const of = total !== null ? ` of ${total}` : '';
      if (tty) {
        const width = 30;
        const filled = total ? Math.round((done / Math.max(total, 1)) * width) : 0;
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
        io.stderr.write(
          `\r${bar} ${done}${of} leads, ${failed} did not succeed${skipped ? `, ${skipped} skipped` : ''}${notRun ? `, ${notRun} not run` : ''} ${p.state === 'paused' ? '(paused)' : ''}\u001b[K`,
        );
        drawn = true;
        return;
      }
      const now = Date.now();
      if (p.state === 'running' && now - lastLine < 2000) return;
      lastLine = now;
      io.stderr.write(
        `run: ${done}${of} leads, ${failed} did not succeed${skipped ? `, ${skipped} skipped` : ''}${notRun ? `, ${notRun} not run` : ''} (${p.state})\n`,
      );
    },
    finish() {
      if (tty && drawn) io.stderr.write('\n');
    },
  };
}

function summaryText(s: RunSummary, outDir: string): string {
  const c = s.counts;
  const lat = s.latency;
  const lines = [
    `${s.webhook}: ${c.succeeded} of ${c.leads} leads succeeded; ${s.state}${s.message ? `: ${s.message}` : ''}`,
    accountingText(c),
    `outcomes: ${
      Object.entries(c.byOutcome)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }`,
  ];
  if (lat) {
    lines.push(
      `latency: p50 ${lat.p50Ms} ms, p90 ${lat.p90Ms} ms, p95 ${lat.p95Ms} ms, p99 ${lat.p99Ms} ms (min ${lat.minMs}, max ${lat.maxMs})`,
    );
    lines.push(
      `Marketo, calling one lead after another at this latency, would take ${formatDuration(s.sequentialMs)} (this run: ${formatDuration(s.wallMs)})`,
    );
  }
  if (s.notWritten.leads > 0) {
    lines.push(
      `mappings not written for ${s.notWritten.leads} lead(s): ${Object.entries(s.notWritten.byReason)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    for (const e of s.notWritten.examples.slice(0, 5))
      lines.push(`  line ${e.line} (${e.leadKey}): ${e.field}: ${e.reason}${e.message ? ` (${e.message})` : ''}`);
  }
  for (const d of s.lint.slice(0, 10))
    lines.push(`${d.severity} ${d.code}: ${d.message} (${d.leads} lead${d.leads === 1 ? '' : 's'})`);
  for (const p of s.problems.examples.slice(0, 10)) lines.push(`bad row: line ${p.line}: ${p.message}`);
  if (s.problems.count > 10) lines.push(`… and ${s.problems.count - 10} more bad rows (see summary.json)`);
  if (s.rateLimited)
    lines.push(
      `rate limited: ${s.rateLimited.leads} lead(s) answered 429${s.rateLimited.withRetryAfter ? ` (${s.rateLimited.withRetryAfter} with Retry-After)` : ''}; Marketo does not retry them`,
    );
  for (const t of s.triggers ?? [])
    lines.push(
      `trigger "${t.name}": fires for ${t.leads} of ${c.sent} lead(s)${t.assumed ? ` (assumed: ${t.assumed.join(', ')})` : ''}`,
    );
  for (const n of s.notes.slice(0, 10)) lines.push(`note: ${n}`);
  lines.push(
    `results: ${Object.values(s.files)
      .map((f) => path.join(outDir, f))
      .join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** What a run's folder remembers of how it was started, so `--resume <folder>` can continue it. */
interface RunSettings {
  version: 1;
  webhook: string;
  leads: string;
  collection?: string;
  context?: string;
  fields?: string;
  profile?: string;
  concurrency: number;
  rate?: number;
  retries: number;
  onBadRow: 'skip' | 'stop';
  reporters: ReporterName[];
  record: RecordSetting;
  catcher: boolean;
}
const SETTINGS_FILE = 'run.json';

const numberOptions = ['concurrency', 'rate', 'retries'];

/**
 * `--concurrency -1` would reach parseArgs as an unknown option `-1` and a four-line message; a value
 * that looks like a negative number is joined to its option, so the option's own check answers in one line.
 */
function joinNegativeNumbers(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (numberOptions.some((o) => arg === `--${o}`) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function wholeNumber(raw: string | undefined, option: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    throw new CliError(`--${option} must be a whole number from ${min} to ${max}, not '${raw}'`);
  return n;
}

/** The leads file must be a regular file: a FIFO or /dev/zero would block or never end. */
async function checkLeadsFile(leadsPath: string, shown: string): Promise<void> {
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
async function prepareOutDir(outDir: string, shown: string): Promise<void> {
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

export const command: Command = {
  summary:
    'Run a webhook once per lead of a CSV/JSON/JSONL file, as a trigger campaign would; write results and reports. Exit 0: every lead succeeded; 1: some did not; 2: bad input; 130/143: stopped by a signal.',
  usage,
  async run(io) {
    const { values, positionals } = parseCommandArgs(
      'run',
      joinNegativeNumbers(io.argv),
      {
        leads: { type: 'string' },
        context: { type: 'string' },
        collection: { type: 'string' },
        fields: { type: 'string' },
        profile: { type: 'string' },
        concurrency: { type: 'string' },
        rate: { type: 'string' },
        retries: { type: 'string' },
        'on-bad-row': { type: 'string' },
        reporter: { type: 'string' },
        record: { type: 'string' },
        out: { type: 'string' },
        catcher: { type: 'boolean' },
        resume: { type: 'string' },
        'resend-unanswered': { type: 'boolean' },
        triggers: { type: 'string' },
      },
      usage,
    );

    let settings: RunSettings;
    let outDir: string;
    let journals: string[] | undefined;
    if (values.resume !== undefined) {
      // Everything comes from the run folder; the files it names are read again as they are now.
      if (positionals.length > 0 || values.leads !== undefined)
        throw new CliError(
          `--resume <out-folder> takes the webhook, leads and options the run was started with; give nothing else (but --resend-unanswered)\nusage: ${usage}`,
        );
      outDir = path.resolve(io.cwd, values.resume);
      try {
        settings = JSON.parse(await readFile(path.join(outDir, SETTINGS_FILE), 'utf8')) as RunSettings;
      } catch {
        throw new CliError(`--resume '${values.resume}': not a run folder (no readable ${SETTINGS_FILE})`);
      }
      journals = await takeJournals(outDir);
    } else {
      if (positionals.length !== 1)
        throw new CliError(`expected one webhook, got ${positionals.length}\nusage: ${usage}`);
      if (values.leads === undefined)
        throw new CliError(`--leads <file> is required (a CSV, JSON or JSONL file of leads)\nusage: ${usage}`);
      let rate: number | undefined;
      if (values.rate !== undefined) {
        rate = Number(values.rate);
        if (!Number.isFinite(rate) || rate <= 0)
          throw new CliError(`--rate must be a positive number of requests per second, not '${values.rate}'`);
      }
      const onBadRow = values['on-bad-row'] ?? 'skip';
      if (onBadRow !== 'skip' && onBadRow !== 'stop')
        throw new CliError(`--on-bad-row must be skip or stop, not '${onBadRow}'`);
      const record = values.record ?? 'failures';
      if (!(recordSettings as readonly string[]).includes(record))
        throw new CliError(`--record must be all, failures or none, not '${record}'`);
      const webhookRef = positionals[0] as string;
      settings = {
        version: 1,
        // A path is kept absolute so a resume from another folder finds it; a name inside a collection stays a name.
        webhook:
          values.collection !== undefined || !existsSync(path.resolve(io.cwd, webhookRef))
            ? webhookRef
            : path.resolve(io.cwd, webhookRef),
        leads: path.resolve(io.cwd, values.leads),
        ...(values.collection !== undefined ? { collection: path.resolve(io.cwd, values.collection) } : {}),
        ...(values.context !== undefined
          ? {
              context:
                values.collection === undefined && existsSync(path.resolve(io.cwd, values.context))
                  ? path.resolve(io.cwd, values.context)
                  : values.context,
            }
          : {}),
        ...(values.fields !== undefined ? { fields: path.resolve(io.cwd, values.fields) } : {}),
        ...(values.profile !== undefined ? { profile: path.resolve(io.cwd, values.profile) } : {}),
        concurrency: wholeNumber(values.concurrency, 'concurrency', 1, 1, 64),
        ...(rate !== undefined ? { rate } : {}),
        retries: wholeNumber(values.retries, 'retries', 0, 0, 10),
        onBadRow,
        reporters: parseReporters(values.reporter),
        record: record as RecordSetting,
        catcher: values.catcher === true,
      };
      const stamp = new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, '')
        .replace('T', '-');
      outDir = values.out !== undefined ? path.resolve(io.cwd, values.out) : `webhook-runs/${stamp}`;
    }

    const leadsPath = settings.leads;
    const leadsShown = values.leads ?? settings.leads;
    const format = leadFormatOf(leadsPath);
    if (!format) throw new CliError(`${leadsShown}: the leads file must end in .csv, .json, .jsonl or .ndjson`);
    await checkLeadsFile(leadsPath, leadsShown);

    // A collection's names resolve inside it; a resumed run's paths are absolute already.
    const base = settings.collection ?? io.cwd;
    const inputs = await loadInputs(
      { ...io, cwd: values.resume !== undefined ? base : io.cwd },
      {
        webhook: values.resume !== undefined ? settings.webhook : (positionals[0] as string),
        ...(values.collection !== undefined || settings.collection !== undefined
          ? { collection: values.collection ?? (settings.collection as string) }
          : {}),
        ...(settings.context !== undefined ? { context: settings.context } : {}),
        ...(settings.fields !== undefined ? { fields: settings.fields } : {}),
        ...(settings.profile !== undefined ? { profile: settings.profile } : {}),
      },
    );
    for (const w of inputs.warnings) io.stderr.write(`warning: ${w}\n`);
    const triggers = values.triggers !== undefined ? await readTriggers(io.cwd, values.triggers) : inputs.triggers;
    const loaded: Loaded = {
      webhook: inputs.webhook,
      context: inputs.context ?? tokenContextSchema.parse({ name: 'none' }),
      fields: inputs.fields,
      profile: inputs.profile,
    };
    if (values.resume === undefined && values.out === undefined) {
      const slug =
        loaded.webhook.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '') || 'webhook';
      outDir = path.resolve(io.cwd, path.join('webhook-runs', `${slug}-${outDir.slice('webhook-runs/'.length)}`));
    }

    // One pass to count the leads, so the progress bar knows its end; the file is streamed, not kept.
    // It also refuses, before anything is sent, a file that is not text or holds no leads.
    let total: number;
    try {
      total = await countLeads(format, loaded.fields, createReadStream(leadsPath));
    } catch (e) {
      if (e instanceof RunInputError) throw new CliError(`${leadsShown}: ${e.message}`);
      throw e;
    }
    if (values.resume === undefined) {
      await prepareOutDir(outDir, values.out ?? outDir);
      await writeFile(path.join(outDir, SETTINGS_FILE), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    }

    const catcher = await catcherFor(loaded.webhook.url, settings.catcher);
    const sender = createSender({ env: io.env, ...(catcher ? { catcherUrl: async () => catcher.url } : {}) });
    // Secrets (never in the webhook file) come from the environment, the collection's .env, or the
    // per-user store the browser host writes; see createSecrets.
    const secrets = createSecrets({
      dir: collectionRootOf(settings.collection ?? path.resolve(io.cwd, settings.webhook)),
      env: io.env,
      userDataDir: defaultUserDataDir(io.env),
    });
    const runner = createRunner({ sender });
    const progress = progressReporter(io);
    try {
      let handle;
      try {
        handle = runner.start({
          webhook: loaded.webhook,
          webhookName: loaded.webhook.name,
          context: loaded.context,
          fields: loaded.fields,
          profile: loaded.profile,
          triggers,
          leads: { fileName: path.basename(leadsPath), stream: createReadStream(leadsPath), format },
          total,
          concurrency: settings.concurrency,
          ...(settings.rate !== undefined ? { rate: settings.rate } : {}),
          retries: settings.retries,
          onBadRow: settings.onBadRow,
          record: settings.record,
          target: catcher ? 'catcher' : 'url',
          resolveSecret: (name, host) => {
            const r = secrets.resolveFor(name, host);
            return 'value' in r ? r.value : r;
          },
          outDir,
          reporters: settings.reporters,
          ...(journals ? { previous: { journals, resendUnanswered: values['resend-unanswered'] === true } } : {}),
        });
      } catch (e) {
        if (e instanceof RunInputError) throw new CliError(`${e.message}`);
        throw e;
      }
      handle.onProgress((p) => progress.update(p));
      // A signal lets the leads in flight finish, then the summary and reports are written; a second one stops them too.
      let signalled: NodeJS.Signals | undefined;
      const onSignal = (signal: NodeJS.Signals): void => {
        if (signalled !== undefined) {
          handle.cancel();
          return;
        }
        signalled = signal;
        io.stderr.write(
          `\nrun: ${signal}: finishing the leads in flight, then writing the reports (again to stop them too)\n`,
        );
        handle.stop(`stopped by ${signal}`);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let summary: RunSummary;
      try {
        summary = await handle.done;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        progress.finish();
      }
      // The new results.jsonl carries every answer of the earlier files over: they are no longer needed.
      if (journals) for (const j of journals) await rm(j, { force: true });
      io.stdout.write(summaryText(summary, outDir));
      if (signalled === 'SIGINT') return 130;
      if (signalled === 'SIGTERM') return 143;
      if (summary.state === 'failed') return exitCodes.badInput;
      return didNotSucceed(summary.counts) > 0 || summary.state === 'cancelled' ? exitCodes.findings : exitCodes.ok;
    } finally {
      await sender.close();
      await catcher?.close();
    }
  },
};
