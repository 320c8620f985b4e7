import { z } from 'zod';
import { diagnosticSchema } from './diagnostic';
import { mappingReportSchema, outcomes } from './rendered';
import { httpMethods } from './webhook';

/** Phase timings in milliseconds; null when the phase did not happen (a reused connection has no DNS, TCP or TLS). */
export const timingsSchema = z
  .object({
    dnsMs: z.number().nullable(),
    connectMs: z.number().nullable(),
    tlsMs: z.number().nullable(),
    sentMs: z.number().nullable(),
    ttfbMs: z.number().nullable(),
    downloadMs: z.number().nullable(),
    totalMs: z.number(),
  })
  .strict();
export type Timings = z.infer<typeof timingsSchema>;

/** One request/response as it crossed the wire. Bodies are text when they are valid UTF-8, else base64. */
export const exchangeSchema = z
  .object({
    id: z.string(),
    webhook: z.string(),
    context: z.string().optional(),
    startedAt: z.string(),
    request: z
      .object({
        method: z.enum(httpMethods),
        url: z.string(),
        origin: z.string(),
        requestTarget: z.string(),
        /** The exact request line and headers as written to the socket. */
        head: z.string(),
        body: z.string(),
        bodyEncoding: z.enum(['utf8', 'base64']),
      })
      .strict(),
    response: z
      .object({
        httpVersion: z.string(),
        status: z.number().int(),
        reason: z.string(),
        /** Names in their original case and order. */
        headers: z.array(z.object({ name: z.string(), value: z.string() }).strict()),
        head: z.string(),
        /** The body, or its first part when it was larger than kept in memory. */
        body: z.string(),
        bodyEncoding: z.enum(['utf8', 'base64']),
        bodyBytes: z.number().int(),
        /** True when the body was cut at maxResponseBytes. */
        truncated: z.boolean(),
        /** Where the whole body was streamed when it exceeded the in-memory part. */
        bodyFile: z.string().optional(),
      })
      .strict()
      .optional(),
    timings: timingsSchema,
    outcome: z.enum(outcomes),
    /** A person-readable explanation of the outcome (what Marketo would do, what to try). */
    message: z.string(),
    error: z.object({ code: z.string(), message: z.string() }).strict().optional(),
    redirects: z.array(z.object({ status: z.number().int(), location: z.string() }).strict()).default([]),
    mapping: mappingReportSchema.optional(),
    diagnostics: z.array(diagnosticSchema).default([]),
  })
  .strict();
export type Exchange = z.infer<typeof exchangeSchema>;
