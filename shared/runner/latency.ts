/**
 * Latency percentiles in fixed memory: a log-scale histogram with 1 % wide buckets from 0.01 ms to
 * 10 minutes (about 1,800 counters), so a run of a million leads costs the same as a run of ten.
 * A percentile is exact to within 1 % of its value, and is clamped to the observed min and max.
 */

const MIN_MS = 0.01;
const MAX_MS = 600_000;
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = Math.ceil(Math.log(MAX_MS / MIN_MS) / LOG_GROWTH) + 2;

export interface LatencySummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The sum of every latency: the time Marketo, calling one lead after another, would spend. */
  totalMs: number;
}

export interface LatencyHistogram {
  add(ms: number): void;
  percentile(p: number): number;
  summary(): LatencySummary | null;
}

function bucketOf(ms: number): number {
  if (ms <= MIN_MS) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(ms / MIN_MS) / LOG_GROWTH));
}

/** The middle of a bucket, in ms. */
function bucketValue(index: number): number {
  if (index === 0) return MIN_MS;
  return MIN_MS * Math.pow(GROWTH, index - 0.5);
}

export function createLatencyHistogram(): LatencyHistogram {
  const counts = new Float64Array(BUCKETS);
  let count = 0;
  let total = 0;
  let min = Infinity;
  let max = -Infinity;

  const percentile = (p: number): number => {
    if (count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += counts[i] ?? 0;
      if (seen >= rank) return Math.min(max, Math.max(min, bucketValue(i)));
    }
    return max;
  };

  return {
    add(ms) {
      if (!Number.isFinite(ms) || ms < 0) return;
      // A Float64Array holds 0 where nothing was counted: one Math.log a latency, not two.
      const bucket = bucketOf(ms);
      counts[bucket] = (counts[bucket] ?? 0) + 1;
      count++;
      total += ms;
      if (ms < min) min = ms;
      if (ms > max) max = ms;
    },
    percentile,
    summary() {
      if (count === 0) return null;
      const round = (n: number): number => Math.round(n * 100) / 100;
      return {
        count,
        minMs: round(min),
        meanMs: round(total / count),
        p50Ms: round(percentile(50)),
        p90Ms: round(percentile(90)),
        p95Ms: round(percentile(95)),
        p99Ms: round(percentile(99)),
        maxMs: round(max),
        totalMs: round(total),
      };
    },
  };
}
