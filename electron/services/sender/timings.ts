import type { Timings } from '@shared/model';
import type { Hop } from './hop';

/** Milliseconds to three decimals (microseconds), as the exchange records them. */
export const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** The timings of a send that never reached the wire: only the total. */
export function emptyTimings(totalMs: number): Timings {
  return {
    dnsMs: null,
    connectMs: null,
    tlsMs: null,
    sentMs: null,
    ttfbMs: null,
    downloadMs: null,
    totalMs: round(totalMs),
  };
}

const phase = (v: number | null): number | null => (v === null ? null : round(Math.max(0, v)));

/** Each phase of the last hop (a phase it did not go through is null), and the whole send from `t0` to `end`. */
export function hopTimings(hop: Hop, t0: number, end: number): Timings {
  const m = hop.marks;
  const dnsMs = m?.dnsEnd !== undefined ? m.dnsEnd - m.start : null;
  const connectMs = m?.connectEnd !== undefined ? m.connectEnd - (m.dnsEnd ?? m.start) : null;
  const tlsMs = m?.tlsEnd !== undefined && m.connectEnd !== undefined ? m.tlsEnd - m.connectEnd : null;
  const sentMs = hop.sentAt !== undefined && hop.writeAt !== undefined ? hop.sentAt - hop.writeAt : null;
  const ttfbMs = hop.firstByteAt !== undefined && hop.sentAt !== undefined ? hop.firstByteAt - hop.sentAt : null;
  const downloadMs =
    hop.endAt !== undefined && hop.headersAt !== undefined && hop.status !== undefined
      ? hop.endAt - hop.headersAt
      : null;
  return {
    dnsMs: phase(dnsMs),
    connectMs: phase(connectMs),
    tlsMs: phase(tlsMs),
    sentMs: phase(sentMs),
    ttfbMs: phase(ttfbMs),
    downloadMs: phase(downloadMs),
    totalMs: round(end - t0),
  };
}
