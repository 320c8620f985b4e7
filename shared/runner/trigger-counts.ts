import { callOfExchange, evaluateTrigger } from '../engine/triggers';
import type { Profile } from '../model/profile';
import type { Trigger } from '../model/trigger';
import type { RunRecord } from './run-record';

/** How many leads each "Webhook is Called" trigger would have fired for. */
export interface TriggerCount {
  name: string;
  leads: number;
  /** Profile options whose assumed defaults decided at least one of these answers. */
  assumed?: string[];
}

/**
 * 429 answers, kept apart from other failures: Marketo does not retry them (docs/marketo-behaviours.md),
 * so each is a lead not updated. `refusedFrom` is where the service began refusing: how many calls had
 * started by then and at what rate they were coming.
 */
export interface RateLimitReport {
  leads: number;
  /** Leads answered 429 with a Retry-After header. */
  withRetryAfter: number;
  refusedFrom?: { line: number; callsBefore: number; afterMs: number; requestsPerSecond: number };
}

export interface RunExtras {
  add(record: RunRecord): void;
  triggers(): TriggerCount[] | undefined;
  rateLimited(): RateLimitReport;
}

/** Folded in as records finish: a count per trigger and the 429s, each a constant amount of memory. */
export function createRunExtras(run: {
  startedAt: string;
  triggers?: readonly Trigger[];
  profile?: Partial<Profile>;
}): RunExtras {
  const triggers = run.triggers ?? [];
  const counts = triggers.map((t) => ({ name: t.name, leads: 0, assumed: new Set<string>() }));
  const start = Date.parse(run.startedAt);
  let calls = 0;
  const rate: RateLimitReport = { leads: 0, withRetryAfter: 0 };
  return {
    add(record) {
      const exchange = record.exchange;
      if (!exchange || record.problem !== undefined) return;
      calls++;
      // Most runs define no trigger: no closure for them. Speed: docs/performance.md#runner
      if (triggers.length > 0)
        triggers.forEach((t, i) => {
          const r = evaluateTrigger(t, callOfExchange(exchange), run.profile);
          const c = counts[i];
          if (!c || !r.fires) return;
          c.leads++;
          for (const a of r.assumed ?? []) c.assumed.add(a);
        });
      const response = exchange.response;
      if (response?.status !== 429) return;
      rate.leads++;
      if (response.headers.some((h) => h.name.toLowerCase() === 'retry-after')) rate.withRetryAfter++;
      // Records finish out of order when calls overlap: the earliest-started refusal is the one kept.
      const at = Date.parse(exchange.startedAt) - start;
      if (!Number.isFinite(at)) return;
      if (rate.refusedFrom === undefined || at < rate.refusedFrom.afterMs) {
        const afterMs = Math.max(0, Math.round(at));
        const callsBefore = Math.max(0, calls - 1);
        rate.refusedFrom = {
          line: record.line,
          callsBefore,
          afterMs,
          requestsPerSecond: afterMs > 0 ? Math.round((callsBefore / afterMs) * 1000 * 10) / 10 : 0,
        };
      }
    },
    triggers() {
      if (triggers.length === 0) return undefined;
      return counts.map((c) => ({
        name: c.name,
        leads: c.leads,
        ...(c.assumed.size ? { assumed: [...c.assumed] } : {}),
      }));
    },
    rateLimited() {
      return { ...rate, ...(rate.refusedFrom ? { refusedFrom: { ...rate.refusedFrom } } : {}) };
    },
  };
}

/**
 * The campaign estimate's sentence about refusals: Marketo calls one lead after another, so its pace
 * is about 1000 / p50 requests a second; the service began refusing at the rate measured here.
 */
export function refusalEstimate(report: RateLimitReport, p50Ms: number | undefined): string | undefined {
  if (report.leads === 0 || report.refusedFrom === undefined) return undefined;
  const f = report.refusedFrom;
  const at = f.requestsPerSecond > 0 ? `at about ${f.requestsPerSecond} requests/s` : 'from the first call';
  let pace = '';
  if (p50Ms !== undefined && p50Ms > 0) {
    const marketo = Math.round((1000 / p50Ms) * 10) / 10;
    pace = `; Marketo, one lead after another at ${p50Ms} ms, would call about ${marketo} requests/s, ${f.requestsPerSecond > 0 && marketo >= f.requestsPerSecond ? 'fast enough to be refused too' : 'which this run does not show to be refused'}`;
  }
  return `the service began refusing (429) ${at}, after ${f.callsBefore} call${f.callsBefore === 1 ? '' : 's'} in ${f.afterMs} ms${pace}; ${report.leads} lead${report.leads === 1 ? ' was' : 's were'} refused and Marketo would not retry them`;
}
