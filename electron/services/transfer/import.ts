import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { StudioError } from '@shared/model/error';
import { type CollectionSnapshot, type ImportReport } from '@shared/contract';
import { catalogFromDescribe, defaultFieldCatalog, mergeCatalog } from '@shared/catalog';
import { parseBundle } from '@shared/formats/bundle';
import { contextsDir, slugify, webhookSuffix, webhooksDir, contextSuffix } from '@shared/formats/collection-files';
import { parseCurl } from '@shared/formats/curl';
import { detectImportFormat, type ImportFormat } from '@shared/formats/detect';
import { parseHttpRequest } from '@shared/formats/http-request-import';
import type { ImportedRequest, ImportFailure } from '@shared/formats/imported-webhook';
import { contextsFromLeadsCsv } from '@shared/formats/leads-csv';
import { fromPostman } from '@shared/formats/postman';
import { deepEqual } from '@shared/formats/yaml-file';
import {
  profileOverrides,
  tokenContextSchema,
  type FieldCatalog,
  type Profile,
  type TokenContext,
  type Webhook,
} from '@shared/model';
import {
  commitWrites,
  emptySnapshot,
  openCollection,
  ownFields,
  plan as planWrite,
  resolveInside,
  type PlannedWrite,
} from '../collection/index';
import { gitignoreText } from '../collection/gitignore';

/** The same ceiling as the import channel of the contract. */
export const maxImportChars = 50 * 1024 * 1024;

export interface ImportOptions {
  fileName: string;
  content: string;
  format: 'auto' | ImportFormat;
  overwrite?: boolean;
}

type Planned =
  | { kind: 'webhook'; path: string; webhook: Webhook }
  | { kind: 'context'; path: string; context: TokenContext; unique?: boolean };

/** What a file brings: webhooks and contexts to write, lead fields, profile options, a collection name. */
interface Brought {
  plan: Planned[];
  newFields?: FieldCatalog;
  profile?: Partial<Profile>;
  bundleName?: string;
}

/** One import as it is read: the file, its format, the collection it goes into, and the report so far. */
interface Reading {
  options: ImportOptions;
  format: ImportFormat;
  snapshot: CollectionSnapshot;
  report: ImportReport;
  /** Paths new files of this import took. */
  taken: Set<string>;
}

async function exists(dir: string, rel: string): Promise<boolean> {
  try {
    await lstat(resolveInside(dir, rel));
    return true;
  } catch {
    return false;
  }
}

/** A path for a new file that no earlier item of the same import took. */
function claim(taken: Set<string>, base: string, slug: string, suffix: string): string {
  for (let n = 1; ; n++) {
    const rel = `${base}/${n === 1 ? slug : `${slug}-${n}`}${suffix}`;
    if (!taken.has(rel)) {
      taken.add(rel);
      return rel;
    }
  }
}

function fail(r: Reading, why: string): never {
  throw new StudioError({
    code: 'bad-input',
    message: `${r.options.fileName} (${r.format}): ${why}`,
    where: r.options.fileName,
  });
}

function json(r: Reading): unknown {
  try {
    return JSON.parse(r.options.content.replace(/^\uFEFF/, ''));
  } catch (e) {
    return fail(r, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function readBundle(r: Reading): Brought {
  const parsed = parseBundle(r.options.content.replace(/^\uFEFF/, ''));
  if (!parsed.ok) return fail(r, parsed.message);
  const plan: Planned[] = [
    ...parsed.bundle.webhooks.map((w): Planned => ({ kind: 'webhook', path: w.path, webhook: w.webhook })),
    ...parsed.bundle.contexts.map((c): Planned => ({ kind: 'context', path: c.path, context: c.context })),
  ];
  return {
    plan,
    ...(parsed.bundle.fields.length ? { newFields: parsed.bundle.fields } : {}),
    bundleName: parsed.bundle.name,
    ...(Object.keys(parsed.bundle.profile).length ? { profile: parsed.bundle.profile } : {}),
  };
}

function readPostman(r: Reading): Brought {
  const parsed = fromPostman(json(r));
  if (!parsed.ok) return fail(r, parsed.message);
  r.report.notCarried.push(...parsed.value.notCarried);
  const plan: Planned[] = [];
  for (const w of parsed.value.webhooks) {
    const folder = [
      webhooksDir,
      ...w.folder
        .split('/')
        .filter(Boolean)
        .map((s) => slugify(s, 'folder')),
    ].join('/');
    plan.push({
      kind: 'webhook',
      path: claim(r.taken, folder, slugify(w.webhook.name, 'webhook'), webhookSuffix),
      webhook: w.webhook,
    });
  }
  if (Object.keys(parsed.value.variables).length) {
    const name = `${parsed.value.name} variables`;
    plan.push({
      kind: 'context',
      path: claim(r.taken, contextsDir, slugify(name, 'context'), contextSuffix),
      context: tokenContextSchema.parse({
        name,
        description: `Collection variables of the Postman collection ${parsed.value.name}`,
        my: parsed.value.variables,
      }),
    });
  }
  return { plan };
}

/** A copied request (a curl command, a raw HTTP request) read as one webhook. */
const copiedRequest =
  (parse: (text: string) => { ok: true; value: ImportedRequest } | ImportFailure) =>
  (r: Reading): Brought => {
    const parsed = parse(r.options.content);
    if (!parsed.ok) return fail(r, parsed.message);
    r.report.notCarried.push(...parsed.value.notCarried);
    if (parsed.value.webhook.template.includes('{{'))
      r.report.notCarried.push({ item: 'body', reason: 'text in {{ }} will be read by Marketo as a token' });
    const rel = claim(r.taken, webhooksDir, slugify(parsed.value.webhook.name, 'webhook'), webhookSuffix);
    return { plan: [{ kind: 'webhook', path: rel, webhook: parsed.value.webhook }] };
  };

function readDescribe(r: Reading): Brought {
  const parsed = catalogFromDescribe(json(r));
  r.report.notCarried.push(...parsed.notCarried);
  if (parsed.fields.length === 0) fail(r, 'no lead field could be read from it');
  return { plan: [], newFields: parsed.fields };
}

function readLeadsCsv(r: Reading): Brought {
  const parsed = contextsFromLeadsCsv(r.options.content, path.basename(r.options.fileName), r.snapshot.fields);
  r.report.notCarried.push(...parsed.notCarried);
  if (parsed.contexts.length === 0) fail(r, 'no lead rows could be read from it');
  return { plan: parsed.contexts.map((c) => ({ kind: 'context', path: '', context: c, unique: true })) };
}

const readers: Record<ImportFormat, (r: Reading) => Brought> = {
  bundle: readBundle,
  postman: readPostman,
  curl: copiedRequest(parseCurl),
  'http-request': copiedRequest(parseHttpRequest),
  describe: readDescribe,
  'leads-csv': readLeadsCsv,
};

/** Decides every target before writing anything: what exists is replaced only with `overwrite`. */
async function targets(dir: string, plan: Planned[], r: Reading): Promise<{ item: Planned; existed: boolean }[]> {
  const writes: { item: Planned; existed: boolean }[] = [];
  for (const item of plan) {
    if (item.kind === 'context' && item.unique) {
      writes.push({ item, existed: false });
      continue;
    }
    const existed = await exists(dir, item.path);
    if (existed && !r.options.overwrite) {
      r.report.notCarried.push({
        item: item.path,
        reason: `a ${item.kind} with this path is already in the collection; import again with overwrite to replace it`,
      });
      continue;
    }
    writes.push({ item, existed });
  }
  return writes;
}

/** The whole catalog to save with the imported fields merged in, or undefined when nothing changes. */
function mergeFields(newFields: FieldCatalog, r: Reading): FieldCatalog | undefined {
  const merged: FieldCatalog = [...ownFields(r.snapshot.fields)];
  let changed = false;
  for (const f of newFields) {
    if (defaultFieldCatalog.some((d) => deepEqual(d, f))) continue;
    const at = merged.findIndex((m) =>
      m.soapName && f.soapName
        ? m.soapName.toLowerCase() === f.soapName.toLowerCase()
        : m.displayName.toLowerCase() === f.displayName.toLowerCase(),
    );
    if (at < 0) {
      merged.push(f);
      changed = true;
    } else if (!deepEqual(merged[at], f)) {
      if (r.options.overwrite) {
        merged[at] = f;
        changed = true;
      } else
        r.report.notCarried.push({
          item: `field ${f.displayName}`,
          reason: 'the collection defines this field differently; import again with overwrite to replace it',
        });
    }
  }
  return changed ? mergeCatalog(defaultFieldCatalog, merged) : undefined;
}

/** The profile options to save with the imported ones merged in, or undefined when nothing changes. */
function mergeProfile(profile: Partial<Profile>, r: Reading): Partial<Profile> | undefined {
  const current = profileOverrides(r.snapshot.profile);
  const next: Partial<Profile> = { ...current };
  for (const [k, v] of Object.entries(profile) as [keyof Profile, unknown][]) {
    if (deepEqual(r.snapshot.profile[k], v)) continue;
    if (k in current && !r.options.overwrite)
      r.report.notCarried.push({
        item: `profile option ${k}`,
        reason: 'the collection sets it differently; import again with overwrite to replace it',
      });
    else (next as Record<string, unknown>)[k] = v;
  }
  return deepEqual(next, current) ? undefined : next;
}

/** What the batch writes besides the webhooks and contexts. */
interface Extras {
  creating: boolean;
  fields: FieldCatalog | undefined;
  profile: Partial<Profile> | undefined;
  bundleName: string | undefined;
}

/** Every file's new text, checked, before anything is written; the report says what each one is. */
async function planBatch(
  dir: string,
  writes: { item: Planned; existed: boolean }[],
  extras: Extras,
  report: ImportReport,
): Promise<PlannedWrite[]> {
  const batch: PlannedWrite[] = [];
  const inBatch = new Set<string>(
    writes.filter((w) => !(w.item.kind === 'context' && w.item.unique)).map((w) => w.item.path),
  );
  if (extras.creating) {
    batch.push(
      await planWrite.settings(dir, {
        ...(extras.profile ? { profile: extras.profile } : {}),
        ...(extras.bundleName ? { name: extras.bundleName } : {}),
      }),
    );
    batch.push(await planWrite.text(dir, '.gitignore', gitignoreText));
    report.created.push('collection.yaml', '.gitignore');
  }
  for (const { item, existed } of writes) {
    const planned =
      item.kind === 'webhook'
        ? await planWrite.webhook(dir, item.path, item.webhook)
        : await planWrite.context(dir, item.unique ? undefined : item.path, item.context, inBatch);
    batch.push(planned);
    (existed ? report.overwritten : report.created).push(planned.path);
  }
  if (extras.fields) {
    const had = await exists(dir, 'fields.yaml');
    batch.push(await planWrite.fields(dir, extras.fields));
    (had ? report.overwritten : report.created).push('fields.yaml');
  }
  if (extras.profile && !extras.creating) {
    batch.push(await planWrite.settings(dir, { profile: extras.profile }));
    report.overwritten.push('collection.yaml');
  }
  return batch;
}

/**
 * Imports a file into a collection, all or nothing: everything is read and checked, and every file's
 * new text made, before the first write; a write that fails puts back what the import had written.
 * An existing webhook or context is replaced only with `overwrite`, and everything that could not be
 * carried over is listed in the report. A folder that does not exist yet (or is empty) becomes a new collection
 * (its collection.yaml and .gitignore, as `init` writes them, without the sample webhooks).
 */
export async function importIntoCollection(dir: string, options: ImportOptions): Promise<ImportReport> {
  if (options.content.length > maxImportChars) {
    throw new StudioError({
      code: 'bad-input',
      message: `${options.fileName} has ${options.content.length} characters; the import limit is ${maxImportChars}`,
      where: options.fileName,
    });
  }
  // A folder that is not there yet, or is empty, becomes a new collection; any other folder must be one.
  const creating = await readdir(dir).then(
    (names) => names.length === 0,
    (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT',
  );
  const snapshot = creating ? emptySnapshot(dir) : await openCollection(dir);
  const format = options.format === 'auto' ? detectImportFormat(options.fileName, options.content) : options.format;
  if (!format) {
    throw new StudioError({
      code: 'bad-input',
      message: `${options.fileName}: cannot tell what kind of file this is; choose the format (bundle, postman, curl, http-request, describe, leads-csv)`,
      where: options.fileName,
    });
  }
  const report: ImportReport = { format, created: [], overwritten: [], notCarried: [] };
  const r: Reading = { options, format, snapshot, report, taken: new Set() };
  const brought = readers[format](r);
  const writes = await targets(dir, brought.plan, r);
  const extras: Extras = {
    creating,
    fields: brought.newFields ? mergeFields(brought.newFields, r) : undefined,
    profile: brought.profile ? mergeProfile(brought.profile, r) : undefined,
    bundleName: brought.bundleName,
  };
  await commitWrites(dir, await planBatch(dir, writes, extras, report));
  return report;
}
