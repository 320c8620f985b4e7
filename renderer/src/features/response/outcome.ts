import type { Exchange, Outcome } from '@shared/model';

/** Marketo waits this long for an answer before it gives up on a call (spec §5). */
export const MARKETO_TIMEOUT_MS = 30_000;

export type Banner = { tone: 'good' | 'warn' | 'bad' | 'neutral'; title: string; detail: string };

/** The outcome in Marketo's terms: what the flow step would record and whether lead fields change. */
export function outcomeBanner(exchange: Exchange): Banner {
  const status = exchange.response?.status;
  const reason = exchange.mapping?.errorType ?? exchange.response?.reason ?? '';
  const written = exchange.mapping?.mappings.filter((m) => m.written).length ?? 0;
  const total = exchange.mapping?.mappings.length ?? 0;
  const byOutcome: Record<Outcome, Banner> = {
    updated: {
      tone: 'good',
      title: `${status ?? ''} ${exchange.response?.reason ?? ''}: Marketo applies the response mappings`.trim(),
      detail:
        total === 0
          ? 'The call succeeded; no response mappings are defined, so no lead field changes.'
          : `${written} of ${total} mapping${total === 1 ? ' writes' : 's write'} a lead field (asynchronously: the next flow step does not see it yet).`,
    },
    ignored: {
      tone: 'bad',
      title: `Non-2xx: Marketo writes nothing. Error Type = ${reason || String(status ?? '')}`,
      detail: 'The "Webhook is Called" trigger sees this Error Type and the literal response body.',
    },
    'empty-body': {
      tone: 'warn',
      title: 'Empty body: Marketo records code 1001 and writes nothing',
      detail: 'The web service emitted an empty response body.',
    },
    timeout: {
      tone: 'bad',
      title: `Timeout: Marketo gives up after ${MARKETO_TIMEOUT_MS / 1000} s and writes nothing`,
      detail: 'A timeout does not prove the call failed: the service may still have processed it.',
    },
    'network-error': {
      tone: 'bad',
      title: 'No answer: the call failed before a response arrived',
      detail: exchange.error?.message ?? exchange.message,
    },
    'not-sent': { tone: 'neutral', title: 'Not sent', detail: exchange.message },
    cancelled: { tone: 'neutral', title: 'Cancelled', detail: 'You cancelled the call before the response arrived.' },
    'internal-error': {
      tone: 'bad',
      title: 'Internal error: the studio failed during this call',
      detail: exchange.message,
    },
  };
  let banner = byOutcome[exchange.outcome];
  // A 2xx whose mappings all fail writes nothing: not the green "applies" banner.
  if (exchange.outcome === 'updated' && total > 0 && written === 0) {
    banner = {
      tone: 'warn',
      title: `${status ?? ''} ${exchange.response?.reason ?? ''}: no mapping writes a lead field`.trim(),
      detail: `0 of ${total} mapping${total === 1 ? '' : 's'} write${total === 1 ? 's' : ''} anything; each one's reason is in the Mapping tab.`,
    };
  }
  // The sender's timeout message already says what the banner's detail would: say it once.
  if (exchange.message && exchange.outcome === 'timeout') return { ...banner, detail: exchange.message };
  return exchange.message && exchange.outcome === 'ignored'
    ? { ...banner, detail: `${banner.detail} ${exchange.message}`.trim() }
    : banner;
}

export type CampaignCost = { perLeadMs: number; leads: number; totalMs: number; withinTimeout: boolean };

/** Marketo calls the webhook once per lead, one after another: the flow spends latency × leads. */
export function campaignCost(perLeadMs: number, leads: number): CampaignCost {
  const n = Math.max(0, Math.floor(leads));
  return { perLeadMs, leads: n, totalMs: perLeadMs * n, withinTimeout: perLeadMs <= MARKETO_TIMEOUT_MS };
}

/** A duration as a person reads it: 850 ms, 4.2 s, 3 min 20 s, 1 h 23 min. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const totalSec = Math.round(s);
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec % 3600) / 60);
  const sec = totalSec % 60;
  if (h > 0) return `${h} h ${m} min`;
  return sec ? `${m} min ${sec} s` : `${m} min`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export type WaterfallBar = { phase: string; startMs: number; ms: number };

/** The label of the time Total holds beyond the measured phases (mostly waiting for a connection slot). */
export const UNACCOUNTED = 'Queued & unaccounted';

/** The measured wire phases added up: what one call costs the service, without the studio's own waiting. */
export function wireMs(t: Exchange['timings']): number {
  const parts = [t.dnsMs, t.connectMs, t.tlsMs, t.sentMs, t.ttfbMs, t.downloadMs].filter(
    (v): v is number => v !== null && v > 0,
  );
  return parts.length === 0 ? t.totalMs : parts.reduce((a, b) => a + b, 0);
}

/**
 * Every phase in wire order, each starting where the previous one ended, so that the bars add up to
 * Total: what the phases do not account for (queueing for a connection, the gaps between them) comes
 * first as its own bar. Phases that did not happen are left out.
 */
export function waterfall(t: Exchange['timings']): WaterfallBar[] {
  const phases = plainWaterfall(t);
  const measured = phases.reduce((a, b) => a + b.ms, 0);
  const rest = Math.round((t.totalMs - measured) * 100) / 100;
  if (phases.length === 0 || rest <= 0.05) return phases;
  return [{ phase: UNACCOUNTED, startMs: 0, ms: rest }, ...phases.map((b) => ({ ...b, startMs: b.startMs + rest }))];
}

function plainWaterfall(t: Exchange['timings']): WaterfallBar[] {
  const parts: [string, number | null][] = [
    ['DNS', t.dnsMs],
    ['Connect', t.connectMs],
    ['TLS', t.tlsMs],
    ['Send', t.sentMs],
    ['Wait (TTFB)', t.ttfbMs],
    ['Download', t.downloadMs],
  ];
  const bars: WaterfallBar[] = [];
  let at = 0;
  for (const [phase, ms] of parts) {
    if (ms === null || ms < 0) continue;
    bars.push({ phase, startMs: at, ms });
    at += ms;
  }
  return bars;
}

/** A moment as the list and the pane both show it: one format everywhere. */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

const outcomeWords: Record<Outcome, string> = {
  updated: 'answered',
  ignored: 'non-2xx',
  'empty-body': 'empty body',
  timeout: 'timed out',
  'network-error': 'no answer',
  'not-sent': 'not sent',
  cancelled: 'cancelled',
  'internal-error': 'studio error',
};

/** What happened to a send, in words: the status when there was one, else why there was none. */
export function outcomeWord(outcome: Outcome, status: number | undefined): string {
  return status !== undefined ? String(status) : outcomeWords[outcome];
}
