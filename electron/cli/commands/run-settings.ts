import { existsSync } from 'node:fs';
import path from 'node:path';
import { recordSettings, type RecordSetting } from '../../services/runner/index';
import { reporterNames, type ReporterName } from '@shared/runner/reports';
import { CliError } from '../cli-error';
import type { parseCommandArgs } from '../io';

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

/** What a run's folder remembers of how it was started, so `--resume <folder>` can continue it. */
export interface RunSettings {
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
export const SETTINGS_FILE = 'run.json';

const numberOptions = ['concurrency', 'rate', 'retries'];

/**
 * `--concurrency -1` would reach parseArgs as an unknown option `-1` and a four-line message; a value
 * that looks like a negative number is joined to its option, so the option's own check answers in one line.
 */
export function joinNegativeNumbers(argv: string[]): string[] {
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

export const usage =
  'webhook-studio run <webhook> --leads <file> [--context <ctx>] [--collection <dir>] [--fields <catalog>] [--profile <profile>] ' +
  '[--concurrency N] [--rate R] [--retries N] [--on-bad-row skip|stop] [--reporter json,junit,html,csv] [--record all|failures|none] [--out <dir>] [--catcher] [--triggers <file>]\n' +
  '       webhook-studio run --resume <out-dir> [--resend-unanswered]';

export const runArgOptions = {
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
} as const;

/** The run's options as parsed from the command line. */
export type RunArgs = ReturnType<typeof parseCommandArgs<typeof runArgOptions>>;

function parseRate(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0)
    throw new CliError(`--rate must be a positive number of requests per second, not '${raw}'`);
  return rate;
}

function parseOnBadRow(raw: string | undefined): 'skip' | 'stop' {
  const onBadRow = raw ?? 'skip';
  if (onBadRow !== 'skip' && onBadRow !== 'stop')
    throw new CliError(`--on-bad-row must be skip or stop, not '${onBadRow}'`);
  return onBadRow;
}

function parseRecord(raw: string | undefined): RecordSetting {
  const record = raw ?? 'failures';
  if (!(recordSettings as readonly string[]).includes(record))
    throw new CliError(`--record must be all, failures or none, not '${record}'`);
  return record as RecordSetting;
}

/** A path is kept absolute so a resume from another folder finds it; a name inside a collection stays a name. */
function keptReference(cwd: string, ref: string, collection: string | undefined): string {
  return collection !== undefined || !existsSync(path.resolve(cwd, ref)) ? ref : path.resolve(cwd, ref);
}

/** A new run's settings from the command line; every option checked before anything is read or sent. */
export function newRunSettings(cwd: string, { values, positionals }: RunArgs): RunSettings {
  if (positionals.length !== 1) throw new CliError(`expected one webhook, got ${positionals.length}\nusage: ${usage}`);
  if (values.leads === undefined)
    throw new CliError(`--leads <file> is required (a CSV, JSON or JSONL file of leads)\nusage: ${usage}`);
  const rate = parseRate(values.rate);
  const onBadRow = parseOnBadRow(values['on-bad-row']);
  const record = parseRecord(values.record);
  const webhookRef = positionals[0] as string;
  return {
    version: 1,
    webhook: keptReference(cwd, webhookRef, values.collection),
    leads: path.resolve(cwd, values.leads),
    ...(values.collection !== undefined ? { collection: path.resolve(cwd, values.collection) } : {}),
    ...(values.context !== undefined ? { context: keptReference(cwd, values.context, values.collection) } : {}),
    ...(values.fields !== undefined ? { fields: path.resolve(cwd, values.fields) } : {}),
    ...(values.profile !== undefined ? { profile: path.resolve(cwd, values.profile) } : {}),
    concurrency: wholeNumber(values.concurrency, 'concurrency', 1, 1, 64),
    ...(rate !== undefined ? { rate } : {}),
    retries: wholeNumber(values.retries, 'retries', 0, 0, 10),
    onBadRow,
    reporters: parseReporters(values.reporter),
    record,
    catcher: values.catcher === true,
  };
}

/** The folder of a new run without --out: webhook-runs/<webhook>-<time>, once the webhook's name is known. */
export function defaultOutDir(cwd: string, webhookName: string, started: Date): string {
  const stamp = started
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '')
    .replace('T', '-');
  const slug =
    webhookName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'webhook';
  return path.resolve(cwd, path.join('webhook-runs', `${slug}-${stamp}`));
}
