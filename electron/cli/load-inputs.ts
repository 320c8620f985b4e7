import path from 'node:path';
import { defaultFieldCatalog, mergeCatalog } from '../../shared/catalog';
import { documentLimits, formatFileProblem } from '@shared/formats/document-checks';
import { validJsonDocument } from '@shared/formats/document-json';
import type { DocumentResult } from '../../shared/formats/documents';
import {
  profileOverrides,
  triggerListSchema,
  webhookSchema,
  type FieldCatalog,
  type Profile,
  type TokenContext,
  type Trigger,
  type Webhook,
} from '../../shared/model';
import { StudioError } from '@shared/model/error';
import { CliError } from './cli-error';
import { readInputFile, type CliIo } from './io';

/**
 * The full document reader (YAML, problems placed at their line and column) and the collection service
 * load when a command needs them: a valid JSON webhook, read on its own, needs neither, and a `run`
 * starts sooner without them.
 */
const documents = () => import('../../shared/formats/documents');

/** The options every command that loads a webhook shares (spread into its parseCommandArgs options). */
export const inputOptions = {
  context: { type: 'string' },
  collection: { type: 'string' },
  fields: { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export interface InputFiles {
  webhook: string;
  context?: string;
  /** A field catalog (list or Describe Lead JSON) that adds to and overrides the standard fields. */
  fields?: string;
  profile?: string;
  /** A collection folder: `webhook` and `context` are then names (or paths) inside it, and its catalog and profile apply. */
  collection?: string;
}

export interface Inputs {
  webhook: Webhook;
  context?: TokenContext;
  /** The standard catalog merged with --fields. */
  fields: FieldCatalog;
  profile: Partial<Profile>;
  /** The collection's "Webhook is Called" triggers (triggers.yaml); empty without --collection. */
  triggers: Trigger[];
  /** Problems that did not stop loading (e.g. Describe Lead items that could not be carried), one line each. */
  warnings: string[];
}

/** A triggers file (the list triggers.yaml holds), for `map` and `run` without a collection. */
export async function readTriggers(cwd: string, file: string): Promise<Trigger[]> {
  // The same bounded reader as every other input: a FIFO or a device is refused, never waited on.
  const text = (await readInputFile({ cwd }, file, 'triggers file', 1024 * 1024)).toString('utf8');
  const { readModelFile } = await import('@shared/formats/yaml-file');
  const result = readModelFile(triggerListSchema, text, file);
  if (!result.ok) throw new CliError(result.problems.map(formatFileProblem).join('\n'));
  return result.value;
}

/** A document named on the command line: a regular file of at most the documents' size limit. */
async function readText(io: CliIo, file: string, what: string): Promise<string> {
  return (await readInputFile(io, file, what, documentLimits.maxBytes)).toString('utf8');
}

/** The webhook file named on the command line: a valid JSON one at once, anything else through the full reader. */
async function readWebhook(io: CliIo, file: string, warnings: string[]): Promise<Webhook> {
  const text = await readText(io, file, 'webhook');
  const valid = validJsonDocument(webhookSchema, text);
  if (valid !== undefined) return valid;
  return take((await documents()).parseWebhookDocument(text, file), warnings);
}

function take<T>(result: DocumentResult<T>, warnings: string[]): T {
  if (!result.ok) throw new CliError(result.problems.map(formatFileProblem).join('\n'));
  for (const w of result.warnings ?? []) warnings.push(formatFileProblem(w));
  return result.value;
}

/** Reads and validates the files a command names; any problem is a CliError (exit 2) naming file:line:column. */
export async function loadInputs(io: CliIo, files: InputFiles): Promise<Inputs> {
  const warnings: string[] = [];
  if (files.collection !== undefined) {
    const dir = path.resolve(io.cwd, files.collection);
    try {
      const { findContext, findWebhook, openCollection } = await import('../services/collection/index');
      const { parseCatalogDocument, parseProfileDocument } = await documents();
      const snapshot = await openCollection(dir);
      const webhook = findWebhook(snapshot, files.webhook).webhook;
      const own = profileOverrides(snapshot.profile);
      const inputs: Inputs = {
        webhook,
        fields: snapshot.fields,
        profile: own,
        triggers: snapshot.triggers ?? [],
        warnings,
      };
      // Without --context, the collection's default context (a path), else its first, as the app does.
      if (files.context !== undefined) inputs.context = findContext(snapshot, files.context).context;
      else
        inputs.context = (snapshot.contexts.find((c) => c.path === snapshot.defaultContext) ?? snapshot.contexts[0])
          ?.context;
      for (const p of snapshot.problems) warnings.push(formatFileProblem(p));
      if (files.fields !== undefined)
        inputs.fields = mergeCatalog(
          snapshot.fields,
          take(parseCatalogDocument(await readText(io, files.fields, 'field catalog'), files.fields), warnings),
        );
      if (files.profile !== undefined)
        inputs.profile = {
          ...own,
          ...take(parseProfileDocument(await readText(io, files.profile, 'profile'), files.profile), warnings),
        };
      return inputs;
    } catch (e) {
      if (e instanceof StudioError) throw new CliError(`--collection ${files.collection}: ${e.message}`);
      throw e;
    }
  }
  const webhook = await readWebhook(io, files.webhook, warnings);
  const inputs: Inputs = { webhook, fields: defaultFieldCatalog, profile: {}, triggers: [], warnings };
  if (files.context === undefined && files.fields === undefined && files.profile === undefined) return inputs;
  const { parseCatalogDocument, parseContextDocument, parseProfileDocument } = await documents();
  if (files.context !== undefined)
    inputs.context = take(parseContextDocument(await readText(io, files.context, 'context'), files.context), warnings);
  if (files.fields !== undefined) {
    inputs.fields = mergeCatalog(
      defaultFieldCatalog,
      take(parseCatalogDocument(await readText(io, files.fields, 'field catalog'), files.fields), warnings),
    );
  }
  if (files.profile !== undefined)
    inputs.profile = take(parseProfileDocument(await readText(io, files.profile, 'profile'), files.profile), warnings);
  return inputs;
}

/** The shared input options (inputOptions) as a command received them. */
export interface InputValues {
  context?: string | undefined;
  collection?: string | undefined;
  fields?: string | undefined;
  profile?: string | undefined;
}

/**
 * Loads the webhook a command names with the shared input options, and writes each problem that did not
 * stop loading to stderr as a warning line first.
 */
export async function loadCommandInputs(io: CliIo, webhook: string, values: InputValues): Promise<Inputs> {
  const inputs = await loadInputs(io, {
    webhook,
    context: values.context,
    fields: values.fields,
    profile: values.profile,
    collection: values.collection,
  });
  for (const w of inputs.warnings) io.stderr.write(`warning: ${w}\n`);
  return inputs;
}
