import { z } from 'zod';
import {
  webhookSchema,
  tokenContextSchema,
  fieldCatalogSchema,
  profileSchema,
  exchangeSchema,
  diagnosticSchema,
  triggerSchema,
  catcherRuleSchema,
} from '../model';
import {
  caughtRequestSchema,
  collectionSnapshotSchema,
  dir,
  empty,
  exportFormats,
  historyEntrySchema,
  importFormats,
  importReportSchema,
  leadsShown,
  ok,
  relPath,
  runId,
  runnerCountsSchema,
  runnerRowSchema,
  sendInput,
  sentFromSchema,
  networkFilesInput,
  networkStateSchema,
  type Channel,
} from './schemas';
import { networkFileCheckSchema, networkSchema } from '../model/network';

/**
 * The one contract between the renderer and the world. Each channel is `domain:verb` with an input
 * and an output schema; the Electron IPC layer and the browser host both parse inputs with these
 * schemas before any service runs, and `StudioApi` is derived from this table, so an unknown
 * channel or a wrong payload is a compile error in the renderer.
 */
export const channels = {
  'app:info': {
    input: empty,
    output: z
      .object({
        version: z.string(),
        shell: z.enum(['electron', 'browser']),
        platform: z.string(),
        collectionDir: z.string().optional(),
      })
      .strict(),
  },
  'collection:open': { input: z.object({ dir }).strict(), output: collectionSnapshotSchema },
  /** Electron only: the native folder picker. The browser host answers `null`. */
  'collection:pick': { input: empty, output: collectionSnapshotSchema.nullable() },
  'collection:recent': { input: empty, output: z.object({ dirs: z.array(z.string()) }).strict() },
  'collection:init': { input: z.object({ dir }).strict(), output: collectionSnapshotSchema },
  'collection:saveWebhook': {
    input: z
      .object({
        dir,
        path: relPath.optional(),
        folder: z.string().optional(),
        webhook: webhookSchema,
        baseVersion: z.string().optional(),
      })
      .strict(),
    output: z.object({ path: z.string(), version: z.string() }).strict(),
  },
  'collection:saveContext': {
    input: z
      .object({ dir, path: relPath.optional(), context: tokenContextSchema, baseVersion: z.string().optional() })
      .strict(),
    output: z.object({ path: z.string(), version: z.string() }).strict(),
  },
  'collection:saveSettings': {
    input: z
      .object({
        dir,
        name: z.string().optional(),
        profile: profileSchema.partial().optional(),
        defaultContext: z.string().optional(),
      })
      .strict(),
    output: ok,
  },
  'collection:saveFields': { input: z.object({ dir, fields: fieldCatalogSchema }).strict(), output: ok },
  'collection:saveTriggers': { input: z.object({ dir, triggers: z.array(triggerSchema) }).strict(), output: ok },
  /** Stores the built-in catcher's answers (catcher.yaml); the studio's catcher answers with them at once. */
  'collection:saveCatcherRules': {
    input: z.object({ dir, rules: z.array(catcherRuleSchema) }).strict(),
    output: ok,
  },
  /** Moves the file or folder into the collection's trash: `collection:restore` with the id puts it back. */
  'collection:delete': {
    input: z.object({ dir, path: relPath }).strict(),
    output: z.object({ ok: z.literal(true), trashId: z.string() }).strict(),
  },
  /** Undoes a delete (for a few minutes); refused, naming the path, when something is there now. */
  'collection:restore': {
    input: z.object({ dir, trashId: z.string().min(1, 'a trash id is required') }).strict(),
    output: z.object({ path: z.string() }).strict(),
  },
  'collection:move': {
    input: z.object({ dir, from: relPath, to: relPath }).strict(),
    output: z.object({ path: z.string() }).strict(),
  },
  /** Renames a webhook or context: its name in the file, and the file name after it (refused when the folder has that name). */
  'collection:rename': {
    input: z
      .object({ dir, path: relPath, name: z.string().min(1, 'a name is required'), baseVersion: z.string().optional() })
      .strict(),
    output: z.object({ path: z.string(), version: z.string() }).strict(),
  },
  'webhook:send': { input: sendInput, output: exchangeSchema },
  'webhook:cancel': {
    input: z.object({ sendId: z.string() }).strict(),
    output: z.object({ cancelled: z.boolean() }).strict(),
  },
  /**
   * The whole of a response body the sender streamed to a temp file (an exchange's `response.bodyFile`,
   * over 1 MiB); only such files are read. Shaped as an exchange's response so a large one travels as bytes.
   */
  'response:body': {
    input: z.object({ file: z.string().min(1, 'the body file is required') }).strict(),
    output: z
      .object({
        response: z
          .object({ body: z.string(), bodyEncoding: z.enum(['utf8', 'base64']), bodyBytes: z.number().int() })
          .strict(),
      })
      .strict(),
  },
  'history:list': {
    input: z.object({ dir, webhookPath: relPath }).strict(),
    output: z.object({ entries: z.array(historyEntrySchema) }).strict(),
  },
  'history:get': { input: z.object({ dir, id: z.string().min(1) }).strict(), output: exchangeSchema },
  /** The webhook and context a history entry was sent from ("open as it was"); not-found for older entries. */
  'history:sentFrom': { input: z.object({ dir, id: z.string().min(1) }).strict(), output: sentFromSchema },
  'secrets:set': {
    input: z
      .object({ dir, name: z.string().min(1), value: z.string(), allowedHosts: z.array(z.string()).optional() })
      .strict(),
    output: ok,
  },
  'secrets:delete': { input: z.object({ dir, name: z.string().min(1) }).strict(), output: ok },
  /**
   * Which secrets have a value and where it comes from (never the values), and where `secrets:set`
   * writes: `safe-storage` (the OS keychain, desktop) or `private-file` (a file only this user can read,
   * not encrypted: browser host and CLI).
   */
  'secrets:list': {
    input: z.object({ dir }).strict(),
    output: z
      .object({
        backend: z.enum(['safe-storage', 'private-file']),
        secrets: z.array(z.object({ name: z.string(), source: z.enum(['store', '.env', 'environment']) }).strict()),
      })
      .strict(),
  },
  'catcher:status': { input: empty, output: z.object({ running: z.boolean(), url: z.string().optional() }).strict() },
  'catcher:requests': {
    input: z.object({ since: z.number().int().default(0) }).strict(),
    output: z.object({ requests: z.array(caughtRequestSchema) }).strict(),
  },
  'import:run': {
    input: z
      .object({
        dir,
        fileName: z.string(),
        content: z.string().max(50 * 1024 * 1024),
        format: z.enum(importFormats).default('auto'),
        overwrite: z.boolean().default(false),
      })
      .strict(),
    output: importReportSchema,
  },
  'export:run': {
    input: z
      .object({
        dir,
        format: z.enum(exportFormats),
        webhookPaths: z.array(relPath).min(1),
        contextPath: relPath.optional(),
      })
      .strict(),
    output: z.object({ fileName: z.string(), content: z.string(), diagnostics: z.array(diagnosticSchema) }).strict(),
  },
  'runner:start': {
    input: z
      .object({
        dir,
        webhookPath: relPath,
        contextPath: relPath.optional(),
        leads: z.object({ fileName: z.string(), content: z.string() }).strict(),
        concurrency: z.number().int().min(1).max(64).default(1),
        rate: z.number().positive().optional(),
        target: z.enum(['url', 'catcher']).default('url'),
        /** A malformed lead row is reported and skipped, or stops the run. */
        onBadRow: z.enum(['skip', 'stop']).optional(),
        /** Extra attempts after a timeout or network error (Marketo does not retry). */
        retries: z.number().int().min(0).max(10).optional(),
        /** What results.jsonl keeps per lead: every exchange, only those of leads that did not succeed (default), or none. */
        record: z.enum(['all', 'failures', 'none']).optional(),
      })
      .strict(),
    output: z.object({ runId: z.string() }).strict(),
  },
  'runner:control': {
    input: z.object({ runId: z.string(), action: z.enum(['pause', 'resume', 'cancel']) }).strict(),
    output: ok,
  },
  /**
   * A page of a run's leads in file order; with `show: 'not-succeeded'`, of those that did not succeed,
   * and `total` counts only them. Without `show`, every lead (callers from before the filter send none).
   */
  'runner:rows': {
    input: z
      .object({
        runId: z.string(),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000),
        show: z.enum(leadsShown).optional(),
      })
      .strict(),
    output: z.object({ rows: z.array(runnerRowSchema), total: z.number().int() }).strict(),
  },
  'runner:exchange': {
    input: z.object({ runId: z.string(), line: z.number().int() }).strict(),
    output: exchangeSchema,
  },
  /** Past runs of a collection (its `.studio/runs`), newest first, each with its accounting line. */
  'runner:runs': {
    input: z.object({ dir }).strict(),
    output: z
      .object({
        runs: z.array(
          z
            .object({
              runId: z.string(),
              webhook: z.string(),
              state: z.string(),
              startedAt: z.string(),
              accounting: z.string(),
              files: z.record(z.string(), z.string()),
              resumable: z.boolean().optional(),
            })
            .strict(),
        ),
      })
      .strict(),
  },
  /** Reopens a past run, so its rows and exchanges read back as a live run's do. */
  'runner:open': {
    input: z.object({ dir, runId: runId }).strict(),
    output: z
      .object({
        runId: z.string(),
        counts: runnerCountsSchema,
        state: z.enum(['done', 'cancelled', 'failed']),
        message: z.string().optional(),
      })
      .strict(),
  },
  /**
   * Continues a cancelled, stopped or killed studio run in its own folder: a lead with an answer is
   * never sent again; the leads sent without one are listed, and sent again only with `resendUnanswered`.
   */
  'runner:resume': {
    input: z
      .object({
        dir,
        runId: runId,
        resendUnanswered: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ runId: z.string(), unanswered: z.array(z.number().int()), resent: z.boolean() }).strict(),
  },
  /** One report of a past run (summary.json, report.html, junit.xml or lead-updates.csv), to open it. */
  'runner:report': {
    input: z.object({ dir, runId: runId, name: z.string().max(200) }).strict(),
    output: z.object({ name: z.string(), mediaType: z.string(), content: z.string() }).strict(),
  },
  /** The collection's network settings (proxy, CA, client certificate, TLS checks) and whether their files can be read. */
  'network:get': { input: z.object({ dir }).strict(), output: networkStateSchema },
  /** Whether each file path, as typed in Collection settings, names a readable file (paths relative to the collection). */
  'network:check': {
    input: z.object({ dir, files: networkFilesInput }).strict(),
    output: z.object({ files: z.array(networkFileCheckSchema) }).strict(),
  },
  /** Stores the network settings in collection.yaml (the whole section replaces the old); refused if a file is unreadable. */
  'network:save': {
    input: z.object({ dir, network: networkSchema }).strict(),
    output: z.object({ files: z.array(networkFileCheckSchema) }).strict(),
  },
} as const satisfies Record<string, Channel>;
