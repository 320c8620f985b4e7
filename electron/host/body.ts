import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StudioErrorShape } from '@shared/model/error';
import { refuseBody } from './answers';

/** The body limits of one host, and the request body bytes held (or reserved) by requests not yet answered. */
export interface BodyLimits {
  maxBodyBytes: number;
  maxInFlightBytes: number;
  inFlight: number;
}

/** The request body, or the reason it was refused (the answer is then already on its way). */
export type BodyRead = { ok: true; body: Buffer } | { ok: false };

function tooLarge(limits: BodyLimits, where: string): StudioErrorShape {
  return {
    code: 'too-large',
    message: `the request body is larger than ${limits.maxBodyBytes} bytes, the most the studio accepts`,
    where,
  };
}

function busy(limits: BodyLimits, where: string): StudioErrorShape {
  return {
    code: 'busy',
    message: `the studio is already receiving ${limits.maxInFlightBytes} bytes of other requests; try again in a moment`,
    where,
  };
}

/** One body being read: what it has reserved against the host's total so far. */
interface Reading {
  reserved: number;
}

/** Refuses `req` as too large or as the host being full; undefined when its declared length fits. */
function refusalOfDeclared(limits: BodyLimits, declared: number, where: string): StudioErrorShape | undefined {
  if (declared > limits.maxBodyBytes) return tooLarge(limits, where);
  if (declared > 0 && limits.inFlight + declared > limits.maxInFlightBytes) return busy(limits, where);
  return undefined;
}

/** Collects the body's chunks, counting them against both limits as they come. */
function collect(
  limits: BodyLimits,
  reading: Reading,
  req: IncomingMessage,
  res: ServerResponse,
  where: string,
): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const refuse = (error: StudioErrorShape, extraHeaders?: Record<string, string>): void => {
      req.off('data', onData);
      chunks.length = 0;
      refuseBody(req, res, error, extraHeaders);
      resolve({ ok: false });
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limits.maxBodyBytes) {
        refuse(tooLarge(limits, where));
        return;
      }
      if (size > reading.reserved) {
        if (limits.inFlight + (size - reading.reserved) > limits.maxInFlightBytes) {
          refuse(busy(limits, where), { 'Retry-After': '1' });
          return;
        }
        limits.inFlight += size - reading.reserved;
        reading.reserved = size;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      resolve({ ok: true, body: Buffer.concat(chunks) });
    });
    req.on('error', () => {
      resolve({ ok: false });
    });
  });
}

/**
 * Reads a request body within both limits. A Content-Length is checked (and reserved against the
 * total) before a byte is read; a body without one is counted as it comes. The reservation is given
 * back when the answer has gone.
 */
export function readBody(
  limits: BodyLimits,
  req: IncomingMessage,
  res: ServerResponse,
  where: string,
): Promise<BodyRead> {
  const reading: Reading = { reserved: 0 };
  res.once('close', () => {
    limits.inFlight -= reading.reserved;
    reading.reserved = 0;
  });
  const declared = req.headers['content-length'] === undefined ? 0 : Number(req.headers['content-length']);
  const refusal = refusalOfDeclared(limits, declared, where);
  if (refusal) {
    refuseBody(req, res, refusal, refusal.code === 'busy' ? { 'Retry-After': '1' } : {});
    return Promise.resolve({ ok: false });
  }
  limits.inFlight += declared;
  reading.reserved = declared;
  return collect(limits, reading, req, res, where);
}
