import type { Diagnostic, Severity } from '../model/diagnostic';
import type { Exchange } from '../model/exchange';
import type { Outcome } from '../model/rendered';
import { createLatencyHistogram, type LatencySummary } from './latency';
import type { LeadProblem } from './leads';
import type { NotWritten, RunRecord } from './run-record';
import type { Profile } from '../model/profile';
import type { Trigger } from '../model/trigger';
import {
  createRunExtras,
  refusalEstimate,
  type RateLimitReport,
  type RunExtras,
  type TriggerCount,
} from './trigger-counts';

export type { NotWritten, RunRecord } from './run-record';

/**
 * Every data line of a lead file ends in exactly one place: sent (then succeeded, partly mapped or
 * failed), a bad row (skipped), or not run (the run stopped first). done = sent + skipped + notRun.
 */
export interface RunCounts {
  total: number | null;
  done: number;
  byOutcome: Record<string, number>;
  /** Bad rows: not sent because they could not be read. */
  skipped: number;
  /** Sent, and neither succeeded nor partly mapped. */
  failed: number;
  succeeded: number;
  /** Answered with a 2xx, but at least one mapping was not written. */
  partlyMapped: number;
  notRun: number;
}

export type RunState = 'done' | 'cancelled' | 'failed';

export interface RunSummary {
  runId: string;
  webhook: string;
  context?: string;
  leadsFile: string;
  startedAt: string;
  finishedAt: string;
  state: RunState;
  message?: string;
  counts: {
    /** Data lines of the leads file: sent + skipped + notRun. */
    leads: number;
    sent: number;
    succeeded: number;
    /** Sent, answered with a 2xx, but at least one mapping was not written. */
    partlyMapped: number;
    /** Sent, and neither succeeded nor partly mapped. */
    failed: number;
    /** Bad rows, with their line and reason in `problems`. */
    skipped: number;
    /** Leads never sent because the run stopped or was cancelled first. */
    notRun: number;
    byOutcome: Record<string, number>;
  };
  latency: LatencySummary | null;
  /** How long Marketo would take calling these leads one after another at the measured latency. */
  sequentialMs: number;
  wallMs: number;
  leadsPerSecond: number;
  notWritten: {
    leads: number;
    byReason: Record<string, number>;
    byField: Record<string, Record<string, number>>;
    examples: Array<{ line: number; leadKey: string } & NotWritten>;
  };
  lint: Array<{ severity: Severity; code: string; message: string; leads: number }>;
  problems: { count: number; examples: LeadProblem[] };
  notes: string[];
  files: Record<string, string>;
  /** Leads each "Webhook is Called" trigger would fire for; absent when no trigger is defined. */
  triggers?: TriggerCount[];
  /** 429 answers, apart from other failures, and where the service began refusing. */
  rateLimited?: RateLimitReport;
}

const EXAMPLE_LIMIT = 50;
const PROBLEM_LIMIT = 100;
const LINT_LIMIT = 200;
const NOTE_LIMIT = 50;

/** Outcomes that are a failure whatever the status: the lead got no answer Marketo would act on. */
export const failedOutcomes: ReadonlySet<string> = new Set<Outcome>([
  'timeout',
  'network-error',
  'not-sent',
  'cancelled',
  'internal-error',
]);

/** The JUnit and exit-code verdict for one lead. */
export function exchangeSucceeded(exchange: Pick<Exchange, 'outcome' | 'response' | 'mapping'>): boolean {
  if (failedOutcomes.has(exchange.outcome)) return false;
  const status = exchange.response?.status;
  if (status === undefined || status < 200 || status > 299) return false;
  return (exchange.mapping?.mappings ?? []).every((m) => m.written);
}

/** Sent and answered with a 2xx, but a mapping was not written. */
export function partlyMapped(record: RunRecord): boolean {
  return (
    !record.succeeded &&
    record.problem === undefined &&
    !record.notRun &&
    record.status !== undefined &&
    record.status >= 200 &&
    record.status <= 299 &&
    record.notWritten.length > 0 &&
    !failedOutcomes.has(record.outcome)
  );
}

/** Did not succeed, for the exit code and JUnit: anything but a clean success. */
export function didNotSucceed(counts: RunSummary['counts']): number {
  return counts.failed + counts.partlyMapped + counts.skipped + counts.notRun;
}

/**
 * The three places a data line ends, in one line, for every report:
 * "50 lines: 40 sent (35 succeeded, 3 partly mapped, 2 failed), 1 bad row, 9 not run".
 */
export function accountingText(c: RunSummary['counts'] | (RunCounts & { leads?: number; sent?: number })): string {
  const leads = 'leads' in c && c.leads !== undefined ? c.leads : (c as RunCounts).done;
  const sent = 'sent' in c && c.sent !== undefined ? c.sent : c.succeeded + c.partlyMapped + c.failed;
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  return (
    `${plural(leads, 'line', 'lines')}: ${sent} sent (${c.succeeded} succeeded, ${c.partlyMapped} partly mapped, ${c.failed} failed), ` +
    `${plural(c.skipped, 'bad row', 'bad rows')}, ${c.notRun} not run`
  );
}

/** Why a lead failed, in one line, for JUnit and the HTML report. */
export function failureText(record: RunRecord): string {
  if (record.problem) return `row not sent: ${record.problem}`;
  if (record.notRun) return record.message;
  if (record.status === undefined) return `${record.outcome}: ${record.message}`;
  if (record.status < 200 || record.status > 299) return `HTTP ${record.status}: ${record.message}`;
  const missing = record.notWritten.map((n) => `${n.field} (${n.reason})`).join(', ');
  return missing ? `mapping not written: ${missing}` : record.message;
}

function lintKey(d: Pick<Diagnostic, 'severity' | 'code' | 'location'>): string {
  const where = d.location ? `${d.location.part}:${d.location.index ?? ''}:${d.location.field ?? ''}` : '';
  return `${d.severity}|${d.code}|${where}`;
}

export interface SummaryBuilder {
  add(record: RunRecord): void;
  problem(problem: LeadProblem): void;
  note(message: string): void;
  counts(total: number | null): RunCounts;
  finish(finish: {
    state: RunState;
    finishedAt: string;
    wallMs: number;
    message?: string;
    files: Record<string, string>;
  }): RunSummary;
}

/** Where each data line ended: the counts every report shows. */
interface Tally {
  leads: number;
  sent: number;
  succeeded: number;
  partly: number;
  failed: number;
  skipped: number;
  notRun: number;
  byOutcome: Record<string, number>;
}

/** Counts the record in; true when it was sent (a lead not run or a bad row is counted and no more). */
function tallyRecord(t: Tally, record: RunRecord): boolean {
  t.leads++;
  if (record.notRun) {
    t.notRun++;
    return false;
  }
  t.byOutcome[record.outcome] = (t.byOutcome[record.outcome] ?? 0) + 1;
  if (record.problem !== undefined) {
    t.skipped++;
    return false;
  }
  t.sent++;
  if (record.succeeded) t.succeeded++;
  else if (partlyMapped(record)) t.partly++;
  else t.failed++;
  return true;
}

/** Mappings not written: by reason, by field, and the first EXAMPLE_LIMIT of them. */
function createNotWrittenFold(): { add(record: RunRecord): void; result(): RunSummary['notWritten'] } {
  const byReason: Record<string, number> = {};
  const byField: Record<string, Record<string, number>> = {};
  const examples: RunSummary['notWritten']['examples'] = [];
  let leads = 0;
  return {
    add(record) {
      if (record.notWritten.length > 0) leads++;
      for (const n of record.notWritten) {
        byReason[n.reason] = (byReason[n.reason] ?? 0) + 1;
        const perField = (byField[n.field] ??= {});
        perField[n.reason] = (perField[n.reason] ?? 0) + 1;
        if (examples.length < EXAMPLE_LIMIT) examples.push({ line: record.line, leadKey: record.leadKey, ...n });
      }
    },
    result: () => ({
      leads,
      byReason: { ...byReason },
      byField: structuredCloneRecord(byField),
      examples: [...examples],
    }),
  };
}

type LintEntry = RunSummary['lint'][number];
type Counted = Pick<Diagnostic, 'severity' | 'code' | 'message' | 'location'>;

/** Same severity, code and place: the same lint key, told without writing the key. */
function sameKind(a: Counted, b: Counted): boolean {
  if (a.severity !== b.severity || a.code !== b.code) return false;
  const x = a.location;
  const y = b.location;
  if (x === undefined || y === undefined) return x === y;
  return x.part === y.part && x.index === y.index && x.field === y.field;
}

/** The lint fold's state: the kinds counted, and the last diagnostic's key (leads repeat their diagnostics). */
interface LintState {
  lint: Map<string, LintEntry>;
  last: Counted | undefined;
  lastKey: string;
  /** Keys seen on the current lead, reused from lead to lead. */
  seen: string[];
}

function keyOf(state: LintState, d: Counted): string {
  if (state.last !== undefined && sameKind(d, state.last)) return state.lastKey;
  state.last = d;
  state.lastKey = lintKey(d);
  return state.lastKey;
}

function countKind(state: LintState, d: Counted, key: string): void {
  const entry = state.lint.get(key);
  if (entry) entry.leads++;
  else if (state.lint.size < LINT_LIMIT)
    state.lint.set(key, { severity: d.severity, code: d.code, message: d.message, leads: 1 });
}

/** Counts a lead's diagnostics, each key once: the keys seen are a list (a few diagnostics), a Set when there are many. */
function countLead(state: LintState, lists: ReadonlyArray<readonly Counted[]>, many: boolean): void {
  const set = many ? new Set<string>() : undefined;
  const seen = state.seen;
  seen.length = 0;
  for (const list of lists)
    for (const d of list) {
      const key = keyOf(state, d);
      if (set ? set.has(key) : seen.includes(key)) continue;
      if (set) set.add(key);
      else seen.push(key);
      countKind(state, d, key);
    }
}

const noDiagnostics: readonly Counted[] = [];

/**
 * Lint diagnostics of the exchanges, each counted once per lead, at most LINT_LIMIT kinds. Every lead
 * carries fresh diagnostics, usually the same kinds as the lead before: the key is written only when the
 * kind differs from the last one's, and a lead with one diagnostic needs no list of keys seen.
 * Speed: docs/performance.md#runner
 */
function createLintFold(): { add(record: RunRecord): void; result(): RunSummary['lint'] } {
  const state: LintState = { lint: new Map(), last: undefined, lastKey: '', seen: [] };
  return {
    add(record) {
      const exchange = record.exchange;
      if (!exchange) return;
      const own = exchange.diagnostics;
      const mapped = exchange.mapping?.diagnostics ?? noDiagnostics;
      const n = own.length + mapped.length;
      if (n === 0) return;
      const only = n === 1 ? (own[0] ?? mapped[0]) : undefined;
      if (only) countKind(state, only, keyOf(state, only));
      else countLead(state, [own, mapped], n > 8);
    },
    result: () => [...state.lint.values()].sort((a, b) => b.leads - a.leads || a.code.localeCompare(b.code)),
  };
}

interface SummaryRun {
  runId: string;
  webhook: string;
  context?: string;
  leadsFile: string;
  startedAt: string;
  triggers?: readonly Trigger[];
  profile?: Partial<Profile>;
}

type Finish = Parameters<SummaryBuilder['finish']>[0];

/** The trigger counts, the 429s and their refusal estimate, and the optional fields, onto the summary. */
function addExtras(summary: RunSummary, run: SummaryRun, extras: RunExtras, finish: Finish): void {
  const triggers = extras.triggers();
  if (triggers) summary.triggers = triggers;
  const rateLimited = extras.rateLimited();
  if (rateLimited.leads > 0) {
    summary.rateLimited = rateLimited;
    const estimate = refusalEstimate(rateLimited, summary.latency?.p50Ms);
    if (estimate && summary.notes.length < NOTE_LIMIT) summary.notes.push(estimate);
  }
  if (run.context !== undefined) summary.context = run.context;
  if (finish.message !== undefined) summary.message = finish.message;
}

/** Folds records into the summary as they finish, in memory bounded by the limits above. */
export function createSummaryBuilder(run: SummaryRun): SummaryBuilder {
  const extras = createRunExtras(run);
  const latency = createLatencyHistogram();
  const t: Tally = { leads: 0, sent: 0, succeeded: 0, partly: 0, failed: 0, skipped: 0, notRun: 0, byOutcome: {} };
  const notWritten = createNotWrittenFold();
  const lint = createLintFold();
  const problems: LeadProblem[] = [];
  const notes: string[] = [];
  let problemCount = 0;

  return {
    add(record) {
      extras.add(record);
      if (!tallyRecord(t, record)) return;
      if (record.outcome !== 'not-sent' && record.outcome !== 'cancelled') latency.add(record.totalMs);
      notWritten.add(record);
      lint.add(record);
    },
    problem(problem) {
      problemCount++;
      if (problems.length < PROBLEM_LIMIT) problems.push(problem);
    },
    note(message) {
      if (notes.length < NOTE_LIMIT && !notes.includes(message)) notes.push(message);
    },
    counts: (total) => ({
      total,
      done: t.leads,
      byOutcome: { ...t.byOutcome },
      skipped: t.skipped,
      failed: t.failed,
      succeeded: t.succeeded,
      partlyMapped: t.partly,
      notRun: t.notRun,
    }),
    finish(finish) {
      const { state, finishedAt, wallMs, files } = finish;
      const lat = latency.summary();
      const { leads, sent, succeeded, partly, failed, skipped, notRun } = t;
      const summary: RunSummary = {
        runId: run.runId,
        webhook: run.webhook,
        leadsFile: run.leadsFile,
        startedAt: run.startedAt,
        finishedAt,
        state,
        counts: {
          leads,
          sent,
          succeeded,
          partlyMapped: partly,
          failed,
          skipped,
          notRun,
          byOutcome: { ...t.byOutcome },
        },
        latency: lat,
        sequentialMs: lat?.totalMs ?? 0,
        wallMs: Math.round(wallMs),
        leadsPerSecond: wallMs > 0 ? Math.round((sent / wallMs) * 1000 * 10) / 10 : 0,
        notWritten: notWritten.result(),
        lint: lint.result(),
        problems: { count: problemCount, examples: [...problems] },
        notes: [...notes],
        files: { ...files },
      };
      addExtras(summary, run, extras, finish);
      return summary;
    },
  };
}

function structuredCloneRecord(source: Record<string, Record<string, number>>): Record<string, Record<string, number>> {
  return Object.fromEntries(Object.entries(source).map(([k, v]) => [k, { ...v }]));
}

/** "1 h 23 min", "4.2 s": how long a sequential Marketo run would take, for people. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const totalMin = Math.floor(s / 60);
  if (totalMin < 60) return `${totalMin} min ${Math.round(s - totalMin * 60)} s`;
  const h = Math.floor(totalMin / 60);
  const days = Math.floor(h / 24);
  if (days > 0) return `${days} d ${h - days * 24} h`;
  return `${h} h ${totalMin - h * 60} min`;
}
