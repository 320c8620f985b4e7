import { describe, expect, it } from 'vitest';
import { campaignCost, formatDuration, outcomeBanner, waterfall, wireMs } from '@renderer/features/response/outcome';
import { exchange } from '../../fixtures';

describe('outcome banner', () => {
  it("speaks Marketo's terms for a non-2xx answer", () => {
    const b = outcomeBanner(
      exchange({ outcome: 'ignored', response: { ...exchange().response!, status: 404, reason: 'Not Found' } }),
    );
    expect(b.title).toBe('Non-2xx: Marketo writes nothing. Error Type = Not Found');
    expect(b.tone).toBe('bad');
  });

  it('counts written mappings on success', () => {
    const mapping = {
      status: 200,
      outcome: 'updated' as const,
      mappings: [
        { index: 0, attribute: 'a', field: 'A', found: true, value: 1, coerced: 1, written: true },
        {
          index: 1,
          attribute: 'b',
          field: 'B',
          found: false,
          value: undefined,
          coerced: null,
          written: false,
          reason: 'path-not-found',
        },
      ],
      lead: { before: {}, after: {} },
      diagnostics: [],
    };
    expect(outcomeBanner(exchange({ mapping })).detail).toContain('1 of 2 mappings write a lead field');
  });

  it('names code 1001 for an empty body', () => {
    expect(outcomeBanner(exchange({ outcome: 'empty-body' })).title).toContain('1001');
  });
});

describe('campaign cost and timing', () => {
  it('multiplies latency by leads, as Marketo calls one lead after another', () => {
    expect(campaignCost(50, 100_000)).toEqual({
      perLeadMs: 50,
      leads: 100_000,
      totalMs: 5_000_000,
      withinTimeout: true,
    });
    expect(formatDuration(5_000_000)).toBe('1 h 23 min');
    expect(campaignCost(31_000, 1).withinTimeout).toBe(false);
  });

  it('lays phases end to end and leaves out those that did not happen', () => {
    expect(
      waterfall({ dnsMs: null, connectMs: 2, tlsMs: null, sentMs: 1, ttfbMs: 10, downloadMs: 3, totalMs: 16 }),
    ).toEqual([
      { phase: 'Connect', startMs: 0, ms: 2 },
      { phase: 'Send', startMs: 2, ms: 1 },
      { phase: 'Wait (TTFB)', startMs: 3, ms: 10 },
      { phase: 'Download', startMs: 13, ms: 3 },
    ]);
  });
});

describe('what the response says (issue 15)', () => {
  it('a 2xx whose mappings write nothing is not the green "applies" banner', () => {
    const mapping = {
      status: 200,
      outcome: 'updated' as const,
      mappings: [
        {
          index: 0,
          attribute: 'b',
          field: 'B',
          found: false,
          value: undefined,
          coerced: null,
          written: false,
          reason: 'path-not-found',
        },
      ],
      lead: { before: {}, after: {} },
      diagnostics: [],
    };
    const b = outcomeBanner(exchange({ mapping }));
    expect(b.tone).toBe('warn');
    expect(b.title).not.toContain('applies');
    expect(b.title).toContain('no mapping writes a lead field');
  });

  it('the timeout banner says its message once', () => {
    const message =
      'no complete answer within 30000 ms: Marketo gives up at this point and writes no lead field, but a timeout does not mean the call failed: the service may still have acted on it';
    const b = outcomeBanner(exchange({ outcome: 'timeout', response: undefined, message }));
    expect(`${b.title} ${b.detail}`.match(/does not (prove|mean) the call failed/g)).toHaveLength(1);
  });

  it('the waterfall adds up to Total: what the phases leave out is its own bar, first', () => {
    const t = { dnsMs: 1.5, connectMs: 0.5, tlsMs: null, sentMs: 0.8, ttfbMs: 13, downloadMs: null, totalMs: 64 };
    const bars = waterfall(t);
    expect(bars[0]).toMatchObject({ phase: 'Queued & unaccounted', startMs: 0 });
    expect(bars.reduce((a, b) => a + b.ms, 0)).toBeCloseTo(64, 5);
    const last = bars[bars.length - 1]!;
    expect(last.startMs + last.ms).toBeCloseTo(64, 5);
  });

  it('campaign cost multiplies the wire phases, not the studio queueing inside Total', () => {
    expect(
      wireMs({ dnsMs: 1.5, connectMs: 0.5, tlsMs: null, sentMs: 0.8, ttfbMs: 13, downloadMs: null, totalMs: 64 }),
    ).toBeCloseTo(15.8, 5);
    expect(
      wireMs({
        dnsMs: null,
        connectMs: null,
        tlsMs: null,
        sentMs: null,
        ttfbMs: null,
        downloadMs: null,
        totalMs: 30002,
      }),
    ).toBe(30002);
  });
});
