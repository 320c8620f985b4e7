import { z } from 'zod';
import { diagnosticSchema, type Diagnostic } from './diagnostic';
import { httpMethods } from './webhook';
import { scalarSchema } from './context';

export const headerLineSchema = z.object({ name: z.string(), value: z.string() }).strict();
export type HeaderLine = z.infer<typeof headerLineSchema>;

/** One token occurrence, where it was written and where its (encoded) value landed in the output. */
export const tokenUseSchema = z
  .object({
    part: z.enum(['url', 'template', 'header']),
    index: z.number().int().optional(),
    field: z.enum(['name', 'value']).optional(),
    /** The token as written, e.g. `{{lead.First Name:default=Friend}}`. */
    text: z.string(),
    namespace: z.string(),
    name: z.string(),
    default: z.string().optional(),
    resolved: z.boolean(),
    usedDefault: z.boolean(),
    /** The value before encoding, and after (what went into the output). */
    value: z.string(),
    encoded: z.string(),
    /** Offsets in the source text and in the rendered output of the same part. */
    sourceStart: z.number().int(),
    sourceEnd: z.number().int(),
    outputStart: z.number().int(),
    outputEnd: z.number().int(),
    /** The profile options whose assumed defaults shaped this token's output. */
    assumed: z.array(z.string()).optional(),
  })
  .strict();
export type TokenUse = z.infer<typeof tokenUseSchema>;

/**
 * Where a secret's value landed in the rendered request, so a record masks exactly that span (never by
 * searching for the value). Offsets are UTF-16 positions in `url`, `requestTarget`, `headers[index].value`
 * or `body`; a zero-length span still says the secret was used.
 */
export const secretSpanSchema = z
  .object({
    part: z.enum(['url', 'target', 'header', 'body']),
    index: z.number().int().optional(),
    start: z.number().int(),
    end: z.number().int(),
    /** The secret's name: a header name, `my.<token>`, or `url-credentials`. */
    name: z.string(),
  })
  .strict();
export type SecretSpan = z.infer<typeof secretSpanSchema>;

/** What the engine says Marketo would send: the same object drives the preview and the sender. */
export const renderedRequestSchema = z
  .object({
    method: z.enum(httpMethods),
    /** The URL after tokens, exactly as written (credentials included, as typed). */
    url: z.string(),
    /** scheme://host[:port], lower-cased scheme and host; undefined when the URL cannot be parsed. */
    origin: z.string().optional(),
    /** The Host header value. */
    host: z.string().optional(),
    /** The request target as it goes on the wire (after the profile's handling of unsafe characters). */
    requestTarget: z.string(),
    /** The request target as written, before any percent-encoding of unsafe characters. */
    requestTargetAsWritten: z.string(),
    /** What a browser's URL parser (WHATWG) would have sent instead; equal when nothing would change. */
    browserRequestTarget: z.string().optional(),
    /** Every header the studio sends, in order, with its final value. */
    headers: z.array(headerLineSchema),
    /** The body after the pre-parse, tokens and encoding; null when no body is sent. */
    body: z.string().nullable(),
    tokens: z.array(tokenUseSchema),
    /** Present when a secret (a secret header, a secret My Token, URL credentials) is in the request. */
    secretSpans: z.array(secretSpanSchema).optional(),
    diagnostics: z.array(diagnosticSchema),
  })
  .strict();
export type RenderedRequest = Omit<z.infer<typeof renderedRequestSchema>, 'diagnostics'> & {
  diagnostics: Diagnostic[];
};

// internal-error: the studio's own code failed during a send (a bug); the exchange names the cause.
export const outcomes = [
  'updated',
  'ignored',
  'empty-body',
  'timeout',
  'network-error',
  'not-sent',
  'cancelled',
  'internal-error',
] as const;
export type Outcome = (typeof outcomes)[number];

export const mappingResultSchema = z
  .object({
    index: z.number().int(),
    attribute: z.string(),
    field: z.string(),
    fieldType: z.string().optional(),
    found: z.boolean(),
    /** The raw value at the path: a JSON value, or an XML element's text. */
    value: z.unknown(),
    /** The value as the lead field would hold it; null when it cannot be. */
    coerced: scalarSchema,
    written: z.boolean(),
    /** Stable code when not written: non-2xx, empty-body, path-not-found, invalid-path, type-mismatch, unknown-field, ... */
    reason: z.string().optional(),
    message: z.string().optional(),
  })
  .strict();
export type MappingResult = z.infer<typeof mappingResultSchema>;

export const mappingReportSchema = z
  .object({
    status: z.number().int(),
    outcome: z.enum(outcomes),
    /** Marketo's Error Type for a non-2xx answer: the reason phrase. */
    errorType: z.string().optional(),
    mappings: z.array(mappingResultSchema),
    lead: z.object({ before: z.record(z.string(), scalarSchema), after: z.record(z.string(), scalarSchema) }).strict(),
    diagnostics: z.array(diagnosticSchema),
  })
  .strict();
export type MappingReport = Omit<z.infer<typeof mappingReportSchema>, 'diagnostics'> & { diagnostics: Diagnostic[] };
