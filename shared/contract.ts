import { z } from 'zod';
import { StudioError, studioErrorSchema } from './model/error';

// The error class lives in the model (services throw it without knowing the transport); the contract
// re-exports it because every transport revives it.
export { StudioError, studioErrorSchema, type StudioErrorShape } from './model/error';
import {
  webhookSchema,
  tokenContextSchema,
  fieldCatalogSchema,
  profileSchema,
  exchangeSchema,
  diagnosticSchema,
  outcomes,
  fileProblemSchema,
  triggerSchema,
} from './model';

export { fileProblemSchema, type FileProblem } from './model';

/**
 * The one contract between the renderer and the world. Each channel is `domain:verb` with an input
 * and an output schema; the Electron IPC layer and the browser host both parse inputs with these
 * schemas before any service runs, and `StudioApi` is derived from this table, so an unknown
 * channel or a wrong payload is a compile error in the renderer.
 */

const dir = z.string().min(1, 'a collection folder is required');
/** A path inside a collection, relative to its folder, with `/` separators. */
const relPath = z
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
  })
  .strict();
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

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

export const importFormats = ['auto', 'bundle', 'postman', 'curl', 'describe', 'leads-csv'] as const;
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
  })
  .strict();
export type RunnerRow = z.infer<typeof runnerRowSchema>;

const sendInput = z
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

type Channel = { input: z.ZodType; output: z.ZodType };
const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) }).strict();

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
  'collection:delete': { input: z.object({ dir, path: relPath }).strict(), output: ok },
  'collection:move': {
    input: z.object({ dir, from: relPath, to: relPath }).strict(),
    output: z.object({ path: z.string() }).strict(),
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
  'runner:rows': {
    input: z
      .object({ runId: z.string(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) })
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
    input: z.object({ dir, runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/) }).strict(),
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
        runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
        resendUnanswered: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ runId: z.string(), unanswered: z.array(z.number().int()), resent: z.boolean() }).strict(),
  },
  /** One report of a past run (summary.json, report.html, junit.xml or lead-updates.csv), to open it. */
  'runner:report': {
    input: z
      .object({ dir, runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/), name: z.string().max(200) })
      .strict(),
    output: z.object({ name: z.string(), mediaType: z.string(), content: z.string() }).strict(),
  },
} as const satisfies Record<string, Channel>;

/** Events pushed from the world to the renderer. */
export const events = {
  'collection:changed': z.object({ dir: z.string(), paths: z.array(z.string()) }).strict(),
  /** A collection was opened or created, from the renderer or from outside it (the Open Collection… menu, a recent collection). */
  'collection:opened': z.object({ dir: z.string() }).strict(),
  'send:progress': z
    .object({
      sendId: z.string(),
      phase: z.enum(['dns', 'connect', 'tls', 'sent', 'headers', 'body', 'done']),
      atMs: z.number(),
    })
    .strict(),
  'runner:progress': z
    .object({
      runId: z.string(),
      counts: runnerCountsSchema,
      state: z.enum(['running', 'paused', 'done', 'cancelled', 'failed']),
      message: z.string().optional(),
    })
    .strict(),
} as const satisfies Record<string, z.ZodType>;

export type ChannelName = keyof typeof channels;
export type EventName = keyof typeof events;
export type ChannelInput<C extends ChannelName> = z.input<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<(typeof channels)[C]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

type DomainOf<C> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C, D extends string> = C extends `${D}:${infer V}` ? V : never;
export type Domain = DomainOf<ChannelName>;

/** The renderer's whole view of the world: `api.collection.open({ dir })`, `api.webhook.send(...)`, `api.on(...)`. */
export type StudioApi = {
  [D in Domain]: {
    [V in VerbOf<ChannelName, D>]: (
      input: ChannelInput<`${D}:${V}` & ChannelName>,
    ) => Promise<ChannelOutput<`${D}:${V}` & ChannelName>>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export function splitChannel(name: ChannelName): { domain: Domain; verb: string } {
  const [domain, verb] = name.split(':') as [Domain, string];
  return { domain, verb };
}

/** Turns a failed schema parse into a StudioError naming each field path, for IPC and the host alike. */
export function schemaError(channel: string, error: z.ZodError): StudioError {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(input)', message: i.message }));
  return new StudioError({
    code: 'bad-input',
    message: `${channel}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    where: channel,
    issues,
  });
}

/**
 * The Electron preload can only reject with a plain `{ name: 'StudioError', code, message, where, issues }`
 * (contextBridge keeps no class across worlds). This wraps such an API so every failure is a real
 * StudioError again, as from the HTTP transport; use it on `window.studio`.
 */
export function reviveStudioApi(bridge: StudioApi): StudioApi {
  const revive = (e: unknown): unknown => {
    if (e instanceof StudioError || e === null || typeof e !== 'object') return e;
    const parsed = studioErrorSchema.safeParse(Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'name')));
    return parsed.success ? new StudioError(parsed.data) : e;
  };
  const api: Record<string, unknown> = { on: bridge.on.bind(bridge) };
  for (const channel of channelNames) {
    const { domain, verb } = splitChannel(channel);
    const methods = bridge as unknown as Record<
      string,
      Record<string, ((input: unknown) => Promise<unknown>) | undefined> | undefined
    >;
    if (!methods[domain]?.[verb]) continue;
    const bucket = (api[domain] ??= {}) as Record<string, (input: unknown) => Promise<unknown>>;
    // Looked up at call time, so the wrapper always calls what the bridge holds now.
    bucket[verb] = (input: unknown) => {
      const method = methods[domain]?.[verb];
      if (!method)
        return Promise.reject(
          new StudioError({ code: 'unknown-channel', message: `${channel} is not available`, where: channel }),
        );
      return method(input).catch((e: unknown) => {
        throw revive(e);
      });
    };
  }
  return api as unknown as StudioApi;
}
