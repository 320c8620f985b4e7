import { z } from 'zod';
import {
  webhookSchema,
  tokenContextSchema,
  fieldCatalogSchema,
  profileSchema,
  outcomes,
  fileProblemSchema,
  triggerSchema,
  catcherRuleSchema,
} from '../model';
import { networkFileCheckSchema, networkSchema } from '../model/network';

/** The shapes the contract's channels carry: a collection snapshot, history, caught requests, import and runner rows. */

export const dir = z.string().min(1, 'a collection folder is required');
/** A path inside a collection, relative to its folder, with `/` separators. */
export const relPath = z
  .string()
  .min(1)
  .refine(
    (p) => !p.split('/').includes('..') && !p.startsWith('/') && !p.includes('\\'),
    'a path inside the collection, without `..`',
  );

export const collectionSnapshotSchema = z
  .object({
    dir: z.string(),
    name: z.string(),
    profile: profileSchema,
    defaultContext: z.string().optional(),
    /** The catalog in force: Marketo's standard fields, overridden and extended by the collection's fields.yaml. */
    fields: fieldCatalogSchema,
    webhooks: z.array(
      z.object({ path: z.string(), folder: z.string(), version: z.string(), webhook: webhookSchema }).strict(),
    ),
    contexts: z.array(z.object({ path: z.string(), version: z.string(), context: tokenContextSchema }).strict()),
    /** Files that did not load; each is left untouched on disk. */
    problems: z.array(fileProblemSchema),
    /** Names of secrets that have a stored value (never the values). */
    secrets: z.array(z.string()).default([]),
    /** The collection's "Webhook is Called" triggers (triggers.yaml); absent when it has none. */
    triggers: z.array(triggerSchema).optional(),
    /** The built-in catcher's answers (catcher.yaml), first match wins; absent when it has none. */
    catcherRules: z.array(catcherRuleSchema).optional(),
  })
  .strict();
export type CollectionSnapshot = z.infer<typeof collectionSnapshotSchema>;

export const historyEntrySchema = z
  .object({
    id: z.string(),
    webhook: z.string(),
    startedAt: z.string(),
    status: z.number().int().optional(),
    outcome: z.enum(outcomes),
    totalMs: z.number(),
    /** True when the webhook and context were kept as they were sent (entries recorded before that have none). */
    sentFrom: z.boolean().optional(),
  })
  .strict();
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/**
 * The webhook and token context a history entry was sent from, as they were at that time. Secret headers and
 * secret My Tokens keep their name and secret flag, never a value; URL credentials are masked.
 */
export const sentFromSchema = z.object({ webhook: webhookSchema, context: tokenContextSchema }).strict();
export type SentFrom = z.infer<typeof sentFromSchema>;

export const caughtRequestSchema = z
  .object({
    seq: z.number().int(),
    receivedAt: z.string(),
    method: z.string(),
    target: z.string(),
    head: z.string(),
    body: z.string(),
    bodyEncoding: z.enum(['utf8', 'base64']),
  })
  .strict();
export type CaughtRequest = z.infer<typeof caughtRequestSchema>;

export const importFormats = ['auto', 'bundle', 'postman', 'curl', 'describe', 'leads-csv', 'http-request'] as const;
export const exportFormats = ['bundle', 'postman', 'curl', 'marketo'] as const;

export const importReportSchema = z
  .object({
    format: z.enum(importFormats),
    created: z.array(z.string()),
    overwritten: z.array(z.string()),
    /** What could not be carried over, each with where it came from. */
    notCarried: z.array(z.object({ item: z.string(), reason: z.string() }).strict()),
  })
  .strict();
export type ImportReport = z.infer<typeof importReportSchema>;

export const runnerCountsSchema = z
  .object({
    total: z.number().int().nullable(),
    done: z.number().int(),
    byOutcome: z.record(z.string(), z.number().int()),
    /** Bad rows; `failed` is sent leads that neither succeeded nor were partly mapped; done = sent + skipped + notRun. */
    skipped: z.number().int(),
    failed: z.number().int(),
    succeeded: z.number().int(),
    partlyMapped: z.number().int(),
    notRun: z.number().int(),
  })
  .strict();

export const runnerRowSchema = z
  .object({
    line: z.number().int(),
    leadKey: z.string(),
    status: z.number().int().optional(),
    outcome: z.enum(outcomes),
    totalMs: z.number(),
    notWritten: z.array(z.object({ field: z.string(), reason: z.string() }).strict()),
    exchangeId: z.string().optional(),
    /** Why the row has no exchange to open (a bad row, a lead not run, one whose exchange the run did not keep). */
    noExchange: z.string().optional(),
  })
  .strict();
export type RunnerRow = z.infer<typeof runnerRowSchema>;

/** Which leads the runner's table lists: every one, or those that did not succeed (failed, partly mapped, bad rows, not run). */
export const leadsShown = ['all', 'not-succeeded'] as const;
export type LeadsShown = (typeof leadsShown)[number];

export const sendInput = z
  .object({
    /** The collection the webhook belongs to, for its secrets, history and catalog; absent for an unsaved draft. */
    dir: z.string().optional(),
    webhookPath: z.string().optional(),
    webhook: webhookSchema,
    context: tokenContextSchema,
    fields: fieldCatalogSchema.optional(),
    profile: profileSchema.partial().optional(),
    /** `catcher` sends to the built-in catcher instead of the URL's origin, keeping the request target. */
    target: z.enum(['url', 'catcher']).default('url'),
    /** Chosen by the caller so that it can cancel and follow progress. */
    sendId: z.string().min(1),
  })
  .strict();

/** A run's folder name under `.studio/runs`: no separators, no leading dot. */
export const runId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);

export type Channel = { input: z.ZodType; output: z.ZodType };
export const empty = z.object({}).strict();
export const ok = z.object({ ok: z.literal(true) }).strict();

/** The collection's network settings (collection.yaml `network:`) and whether each file they name can be read. */
export const networkStateSchema = z.object({ network: networkSchema, files: z.array(networkFileCheckSchema) }).strict();
export type NetworkState = z.infer<typeof networkStateSchema>;

/** The file paths of the network settings, checked as typed (relative to the collection, or absolute). */
export const networkFilesInput = z
  .object({
    ca: z.string().optional(),
    clientCert: z.string().optional(),
    clientKey: z.string().optional(),
    pfx: z.string().optional(),
  })
  .strict();
