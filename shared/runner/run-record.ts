import type { Scalar } from '../model/context';
import type { Exchange } from '../model/exchange';
import type { Outcome } from '../model/rendered';

/** A mapping the lead did not get, and the stable reason code the mapping report gave. */
export interface NotWritten {
  field: string;
  reason: string;
  message?: string;
}

/** One line of results.jsonl: everything the runner learnt about one lead (or one skipped row). */
export interface RunRecord {
  line: number;
  leadKey: string;
  email?: string;
  outcome: Outcome;
  /** 2xx, no timeout or network error, and every mapping written. */
  succeeded: boolean;
  status?: number;
  totalMs: number;
  message: string;
  /** Set when the row was not sent because it was malformed. */
  problem?: string;
  /** Set for a lead the run never sent because it was stopped or cancelled first (a resume sends it). */
  notRun?: true;
  attempts: number;
  notWritten: NotWritten[];
  /** Mapped lead fields that were written, by SOAP name. */
  updates: Record<string, Scalar>;
  leadAfter?: Record<string, Scalar>;
  /** The request body as sent: its size, and a SHA-256 when the exchange keeps only its first part. */
  requestBody?: { bytes: number; sha256?: string; truncated: boolean };
  /** The exchange as it crossed the wire, bodies cut to their first part when large. */
  exchange?: Exchange;
}
