import { lstat, readdir } from 'node:fs/promises';
import { secretEnvName } from '@shared/formats/secret-names';
import path from 'node:path';
import { StudioError } from '@shared/model/error';
import { type CollectionSnapshot, type ImportReport } from '@shared/contract';
import { catalogFromDescribe, defaultFieldCatalog, mergeCatalog } from '@shared/catalog';
import { renderWebhook } from '@shared/engine';
import { createBundle, parseBundle } from '@shared/formats/bundle';
import { contextsDir, slugify, webhookSuffix, webhooksDir, contextSuffix } from '@shared/formats/collection-files';
import { parseCurl, toCurl } from '@shared/formats/curl';
import { detectImportFormat, type ImportFormat } from '@shared/formats/detect';
import { contextsFromLeadsCsv } from '@shared/formats/leads-csv';
import { toMarketoSheet } from '@shared/formats/marketo-sheet';
import { fromPostman, toPostman } from '@shared/formats/postman';
import { deepEqual } from '@shared/formats/yaml-file';
import {
  defaultProfile,
  profileOverrides,
  tokenContextSchema,
  type Diagnostic,
  type FieldCatalog,
  type Profile,
  type TokenContext,
  type Webhook,
} from '@shared/model';
import {
  commitWrites,
  emptySnapshot,
  openCollection,
  plan as planWrite,
  resolveInside,
  type PlannedWrite,
} from '../collection/index';
import { gitignoreText } from '../collection/gitignore';

export type ExportFormat = 'bundle' | 'postman' | 'curl' | 'marketo';

/** The same ceiling as the import channel of the contract. */
export const maxImportChars = 50 * 1024 * 1024;

function notFound(what: string): StudioError {
  return new StudioError({ code: 'not-found', message: what, where: what });
}

function pickWebhooks(
  snapshot: CollectionSnapshot,
  paths: string[],
): { path: string; folder: string; webhook: Webhook }[] {
  if (paths.length === 0)
    throw new StudioError({ code: 'bad-input', message: 'choose at least one webhook to export' });
  return paths.map((p) => {
    const found = snapshot.webhooks.find((w) => w.path === p);
    if (found) return found;
    const problem = snapshot.problems.find((x) => x.file === p);
    if (problem)
      throw new StudioError({
        code: 'bad-file',
        message: `${p} cannot be exported until it is fixed: ${problem.message}`,
        where: p,
      });
    throw notFound(`${p} is not a webhook in the collection`);
  });
}

function pickContext(
  snapshot: CollectionSnapshot,
  contextPath: string | undefined,
): { path?: string; context: TokenContext; diagnostics: Diagnostic[] } {
  if (contextPath !== undefined) {
    const found = snapshot.contexts.find((c) => c.path === contextPath);
    if (!found) throw notFound(`${contextPath} is not a context in the collection`);
    return { path: found.path, context: found.context, diagnostics: [] };
  }
  const preferred = snapshot.contexts.find((c) => c.path === snapshot.defaultContext) ?? snapshot.contexts[0];
  if (preferred) return { path: preferred.path, context: preferred.context, diagnostics: [] };
  return {
    context: tokenContextSchema.parse({ name: 'empty' }),
    diagnostics: [
      {
        severity: 'warning',
        code: 'export-empty-context',
        message: 'the collection has no context: tokens were rendered with no values (defaults only)',
      },
    ],
  };
}

function ownFields(fields: FieldCatalog): FieldCatalog {
  return fields.filter((f) => !defaultFieldCatalog.some((d) => deepEqual(d, f)));
}

/**
 * Exports chosen webhooks: a bundle, a Postman v2.1 collection or curl commands (each webhook rendered
 * for one context: the default one unless `contextPath` names another), or a paste-into-Marketo sheet.
 * Secret values never go into an export: secret headers become variables to fill in.
 */
export async function exportCollection(
  dir: string,
  options: { format: ExportFormat; webhookPaths: string[]; contextPath?: string },
): Promise<{ fileName: string; content: string; diagnostics: Diagnostic[] }> {
  const snapshot = await openCollection(dir);
  const chosen = pickWebhooks(snapshot, options.webhookPaths);
  const base = slugify(snapshot.name, 'collection');
  const diagnostics: Diagnostic[] = [];
  if (options.format === 'bundle') {
    const contexts =
      options.contextPath !== undefined
        ? [
            snapshot.contexts.find((c) => c.path === options.contextPath) ??
              (() => {
                throw notFound(`${options.contextPath} is not a context in the collection`);
              })(),
          ]
        : snapshot.contexts;
    const content = createBundle({
      name: snapshot.name,
      profile: profileOverrides(snapshot.profile),
      fields: ownFields(snapshot.fields),
      webhooks: chosen.map((w) => ({ path: w.path, webhook: w.webhook })),
      contexts: contexts.map((c) => ({ path: c.path, context: c.context })),
    });
    return { fileName: `${base}.webhooks.json`, content, diagnostics };
  }
  if (options.format === 'marketo') {
    const sheet = toMarketoSheet(
      snapshot.name,
      chosen.map((w) => w.webhook),
      snapshot.fields,
    );
    for (const u of sheet.unknownFields) {
      diagnostics.push({
        severity: 'warning',
        code: 'unknown-field',
        message: `${u.webhook}: mapping field ${u.field} is not in the field catalog; Marketo's picker will not offer it`,
        location: { part: 'mapping', field: 'field' },
      });
    }
    for (const p of sheet.problems)
      diagnostics.push({
        severity: 'warning',
        code: 'sheet-mapping-flagged',
        message: `${p.webhook}: mapping ${p.mapping + 1}: ${p.message}`,
        location: { part: 'mapping', index: p.mapping },
      });
    return { fileName: `${base}.marketo.md`, content: sheet.text, diagnostics };
  }
  const ctx = pickContext(snapshot, options.contextPath);
  diagnostics.push(...ctx.diagnostics);
  for (const [name, token] of Object.entries(ctx.context.my)) {
    if (token !== null && typeof token === 'object' && token.secret) {
      diagnostics.push({
        severity: 'warning',
        code: 'export-secret-token',
        message: `secret My Token ${name} is exported as a placeholder, never its value: "$${secretEnvName(`my.${name}`)}" in curl, {{secret my.${name}}} in Postman`,
        location: { part: 'context', path: `my.${name}` },
      });
    }
  }
  const rendered = chosen.map((w) => {
    const r = renderWebhook(w.webhook, ctx.context, {
      fields: snapshot.fields,
      profile: profileOverrides(snapshot.profile),
    });
    for (const d of r.diagnostics) {
      if (d.severity === 'info') continue;
      diagnostics.push({
        ...d,
        message: `${w.webhook.name}: ${d.message}`,
        location: { ...(d.location ?? { part: 'webhook' }), file: w.path },
      });
    }
    const secretHeaders = w.webhook.headers.filter((h) => h.secret).map((h) => h.name);
    for (const h of secretHeaders) {
      diagnostics.push({
        severity: 'info',
        code: 'export-secret-header',
        message: `${w.webhook.name}: the secret header ${h} is exported as a placeholder, not its value`,
        location: { part: 'header', file: w.path },
      });
    }
    return { ...w, rendered: r, secretHeaders };
  });
  if (options.format === 'postman') {
    for (const r of rendered) {
      const texts = [r.rendered.url, r.rendered.body ?? '', ...r.rendered.headers.map((h) => h.value)];
      if (texts.some((t) => /\{\{[^{}]+\}\}/.test(t))) {
        diagnostics.push({
          severity: 'warning',
          code: 'postman-variable-syntax',
          message: `${r.webhook.name}: the request holds text in {{ }}, which Postman and newman replace with a variable of that name when one exists`,
          location: { part: 'webhook', file: r.path },
        });
      }
    }
    const content = toPostman(
      snapshot.name,
      rendered.map((r) => ({
        name: r.webhook.name,
        ...(r.webhook.description ? { description: r.webhook.description } : {}),
        folder: r.folder,
        rendered: r.rendered,
        secretHeaders: r.secretHeaders,
      })),
    );
    return { fileName: `${base}.postman_collection.json`, content, diagnostics };
  }
  const content = `${rendered.map((r) => `# ${r.webhook.name.replace(/\n/g, ' ')} (context: ${ctx.context.name.replace(/\n/g, ' ')})\n${toCurl(r.rendered, { secretHeaders: r.secretHeaders })}\n`).join('\n')}`;
  return {
    fileName: `${rendered.length === 1 ? slugify(rendered[0]!.webhook.name, 'webhook') : base}.curl.sh`,
    content,
    diagnostics,
  };
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

type Planned =
  | { kind: 'webhook'; path: string; webhook: Webhook }
  | { kind: 'context'; path: string; context: TokenContext; unique?: boolean };

/**
 * Imports a file into a collection, all or nothing: everything is read and checked, and every file's
 * new text made, before the first write; a write that fails puts back what the import had written.
 * An existing webhook or context is replaced only with `overwrite`, and everything that could not be
 * carried over is listed in the report. A folder that does not exist yet (or is empty) becomes a new collection
 * (its collection.yaml and .gitignore, as `init` writes them, without the sample webhooks).
 */
export async function importIntoCollection(
  dir: string,
  options: { fileName: string; content: string; format: 'auto' | ImportFormat; overwrite?: boolean },
): Promise<ImportReport> {
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
    (e: NodeJS.ErrnoException) => e.code === 'ENOENT',
  );
  const snapshot = creating ? emptySnapshot(dir) : await openCollection(dir);
  const format = options.format === 'auto' ? detectImportFormat(options.fileName, options.content) : options.format;
  if (!format) {
    throw new StudioError({
      code: 'bad-input',
      message: `${options.fileName}: cannot tell what kind of file this is; choose the format (bundle, postman, curl, describe, leads-csv)`,
      where: options.fileName,
    });
  }
  const fail = (why: string): never => {
    throw new StudioError({
      code: 'bad-input',
      message: `${options.fileName} (${format}): ${why}`,
      where: options.fileName,
    });
  };
  const json = (): unknown => {
    try {
      return JSON.parse(options.content.replace(/^\uFEFF/, ''));
    } catch (e) {
      return fail(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const report: ImportReport = { format, created: [], overwritten: [], notCarried: [] };
  const plan: Planned[] = [];
  let newFields: FieldCatalog | undefined;
  let profile: Partial<Profile> | undefined;
  let bundleName: string | undefined;
  const taken = new Set<string>();

  if (format === 'bundle') {
    const parsed = parseBundle(options.content.replace(/^\uFEFF/, ''));
    if (!parsed.ok) fail(parsed.message);
    else {
      for (const w of parsed.bundle.webhooks) plan.push({ kind: 'webhook', path: w.path, webhook: w.webhook });
      for (const c of parsed.bundle.contexts) plan.push({ kind: 'context', path: c.path, context: c.context });
      if (parsed.bundle.fields.length) newFields = parsed.bundle.fields;
      bundleName = parsed.bundle.name;
      if (Object.keys(parsed.bundle.profile).length) profile = parsed.bundle.profile as Partial<Profile>;
    }
  } else if (format === 'postman') {
    const parsed = fromPostman(json());
    if (!parsed.ok) fail(parsed.message);
    else {
      report.notCarried.push(...parsed.value.notCarried);
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
          path: claim(taken, folder, slugify(w.webhook.name, 'webhook'), webhookSuffix),
          webhook: w.webhook,
        });
      }
      if (Object.keys(parsed.value.variables).length) {
        const name = `${parsed.value.name} variables`;
        plan.push({
          kind: 'context',
          path: claim(taken, contextsDir, slugify(name, 'context'), contextSuffix),
          context: tokenContextSchema.parse({
            name,
            description: `Collection variables of the Postman collection ${parsed.value.name}`,
            my: parsed.value.variables,
          }),
        });
      }
    }
  } else if (format === 'curl') {
    const parsed = parseCurl(options.content);
    if (!parsed.ok) fail(parsed.message);
    else {
      report.notCarried.push(...parsed.value.notCarried);
      if (parsed.value.webhook.template.includes('{{'))
        report.notCarried.push({ item: 'body', reason: 'text in {{ }} will be read by Marketo as a token' });
      plan.push({
        kind: 'webhook',
        path: claim(taken, webhooksDir, slugify(parsed.value.webhook.name, 'webhook'), webhookSuffix),
        webhook: parsed.value.webhook,
      });
    }
  } else if (format === 'describe') {
    const parsed = catalogFromDescribe(json());
    report.notCarried.push(...parsed.notCarried);
    if (parsed.fields.length === 0) fail('no lead field could be read from it');
    newFields = parsed.fields;
  } else {
    const parsed = contextsFromLeadsCsv(options.content, path.basename(options.fileName), snapshot.fields);
    report.notCarried.push(...parsed.notCarried);
    if (parsed.contexts.length === 0) fail('no lead rows could be read from it');
    for (const c of parsed.contexts) plan.push({ kind: 'context', path: '', context: c, unique: true });
  }

  // Decide every target before writing anything.
  const writes: { item: Planned; existed: boolean }[] = [];
  for (const item of plan) {
    if (item.kind === 'context' && item.unique) {
      writes.push({ item, existed: false });
      continue;
    }
    const existed = await exists(dir, item.path);
    if (existed && !options.overwrite) {
      report.notCarried.push({
        item: item.path,
        reason: `a ${item.kind} with this path is already in the collection; import again with overwrite to replace it`,
      });
      continue;
    }
    writes.push({ item, existed });
  }

  let fieldsToSave: FieldCatalog | undefined;
  if (newFields) {
    const current = ownFields(snapshot.fields);
    const merged: FieldCatalog = [...current];
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
        if (options.overwrite) {
          merged[at] = f;
          changed = true;
        } else
          report.notCarried.push({
            item: `field ${f.displayName}`,
            reason: 'the collection defines this field differently; import again with overwrite to replace it',
          });
      }
    }
    if (changed) fieldsToSave = mergeCatalog(defaultFieldCatalog, merged);
  }
  let settingsProfile: Partial<Profile> | undefined;
  if (profile) {
    const current = profileOverrides(snapshot.profile);
    const next: Partial<Profile> = { ...current };
    for (const [k, v] of Object.entries(profile) as [keyof Profile, unknown][]) {
      if (deepEqual(snapshot.profile[k], v)) continue;
      if (k in current && !options.overwrite)
        report.notCarried.push({
          item: `profile option ${k}`,
          reason: 'the collection sets it differently; import again with overwrite to replace it',
        });
      else (next as Record<string, unknown>)[k] = v;
    }
    if (!deepEqual(next, current)) settingsProfile = next;
  }

  // Every file's new text, checked, before anything is written.
  const batch: PlannedWrite[] = [];
  const inBatch = new Set<string>(
    writes.filter((w) => !(w.item.kind === 'context' && w.item.unique)).map((w) => w.item.path),
  );
  if (creating) {
    batch.push(
      await planWrite.settings(dir, {
        ...(settingsProfile ? { profile: settingsProfile } : {}),
        ...(bundleName ? { name: bundleName } : {}),
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
  if (fieldsToSave) {
    const had = await exists(dir, 'fields.yaml');
    batch.push(await planWrite.fields(dir, fieldsToSave));
    (had ? report.overwritten : report.created).push('fields.yaml');
  }
  if (settingsProfile && !creating) {
    batch.push(await planWrite.settings(dir, { profile: settingsProfile }));
    report.overwritten.push('collection.yaml');
  }
  await commitWrites(dir, batch);
  return report;
}
