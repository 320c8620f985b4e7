import { describe, it, expect } from 'vitest';
import { createLatencyHistogram } from '@shared/runner/latency';

describe('latency histogram', () => {
  it('gives percentiles within 1 % of the exact ones, in fixed memory', () => {
    const h = createLatencyHistogram();
    const values: number[] = [];
    for (let i = 1; i <= 10_000; i++) {
      const v = ((i * 7919) % 10_000) / 10 + 0.5;
      values.push(v);
      h.add(v);
    }
    values.sort((a, b) => a - b);
    for (const p of [50, 90, 95, 99]) {
      const exact = values[Math.ceil((p / 100) * values.length) - 1] ?? 0;
      expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThan(0.011);
    }
    const s = h.summary();
    expect(s?.count).toBe(10_000);
    expect(s?.minMs).toBe(0.5);
    expect(s?.maxMs).toBe(1000.4);
  });

  it('sums latencies as the sequential time, and says nothing when empty', () => {
    const h = createLatencyHistogram();
    expect(h.summary()).toBeNull();
    h.add(50);
    h.add(150);
    expect(h.summary()).toMatchObject({ totalMs: 200, meanMs: 100, p50Ms: 50, maxMs: 150 });
  });
});
