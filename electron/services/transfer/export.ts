import { secretEnvName } from '@shared/formats/secret-names';
import { StudioError } from '@shared/model/error';
import { type CollectionSnapshot } from '@shared/contract';
import { renderWebhook } from '@shared/engine';
import { createBundle } from '@shared/formats/bundle';
import { slugify } from '@shared/formats/collection-files';
import { toCurl } from '@shared/formats/curl';
import { toMarketoSheet } from '@shared/formats/marketo-sheet';
import { toPostman } from '@shared/formats/postman';
import { profileOverrides, tokenContextSchema, type Diagnostic, type TokenContext, type Webhook } from '@shared/model';
import { openCollection, ownFields } from '../collection/index';

export type ExportFormat = 'bundle' | 'postman' | 'curl' | 'marketo';

type Chosen = { path: string; folder: string; webhook: Webhook };
type Exported = { fileName: string; content: string; diagnostics: Diagnostic[] };

function notFound(what: string): StudioError {
  return new StudioError({ code: 'not-found', message: what, where: what });
}

function pickWebhooks(snapshot: CollectionSnapshot, paths: string[]): Chosen[] {
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

/** A bundle: the chosen webhooks with every context (or the one named), the own fields and the profile. */
function exportBundle(snapshot: CollectionSnapshot, chosen: Chosen[], contextPath: string | undefined): string {
  let contexts = snapshot.contexts;
  if (contextPath !== undefined) {
    const found = snapshot.contexts.find((c) => c.path === contextPath);
    if (!found) throw notFound(`${contextPath} is not a context in the collection`);
    contexts = [found];
  }
  return createBundle({
    name: snapshot.name,
    profile: profileOverrides(snapshot.profile),
    fields: ownFields(snapshot.fields),
    webhooks: chosen.map((w) => ({ path: w.path, webhook: w.webhook })),
    contexts: contexts.map((c) => ({ path: c.path, context: c.context })),
  });
}

/** The paste-into-Marketo sheet, with a warning per mapping Marketo would not take as it is. */
function exportSheet(snapshot: CollectionSnapshot, chosen: Chosen[], diagnostics: Diagnostic[]): string {
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
  return sheet.text;
}

/** Each chosen webhook rendered for `context`, its diagnostics noted and its secret headers named. */
function renderChosen(
  snapshot: CollectionSnapshot,
  chosen: Chosen[],
  context: TokenContext,
  diagnostics: Diagnostic[],
) {
  return chosen.map((w) => {
    const r = renderWebhook(w.webhook, context, {
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
}

type Rendered = ReturnType<typeof renderChosen>;

/** A warning per secret My Token: it goes out as a placeholder. */
function noteSecretTokens(context: TokenContext, diagnostics: Diagnostic[]): void {
  for (const [name, token] of Object.entries(context.my)) {
    if (token !== null && typeof token === 'object' && token.secret) {
      diagnostics.push({
        severity: 'warning',
        code: 'export-secret-token',
        message: `secret My Token ${name} is exported as a placeholder, never its value: "$${secretEnvName(`my.${name}`)}" in curl, {{secret my.${name}}} in Postman`,
        location: { part: 'context', path: `my.${name}` },
      });
    }
  }
}

function exportPostman(snapshot: CollectionSnapshot, rendered: Rendered, diagnostics: Diagnostic[]): string {
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
  return toPostman(
    snapshot.name,
    rendered.map((r) => ({
      name: r.webhook.name,
      ...(r.webhook.description ? { description: r.webhook.description } : {}),
      folder: r.folder,
      rendered: r.rendered,
      secretHeaders: r.secretHeaders,
    })),
  );
}

function exportCurl(rendered: Rendered, context: TokenContext): string {
  return rendered
    .map(
      (r) =>
        `# ${r.webhook.name.replace(/\n/g, ' ')} (context: ${context.name.replace(/\n/g, ' ')})\n${toCurl(r.rendered, { secretHeaders: r.secretHeaders })}\n`,
    )
    .join('\n');
}

/**
 * Exports chosen webhooks: a bundle, a Postman v2.1 collection or curl commands (each webhook rendered
 * for one context: the default one unless `contextPath` names another), or a paste-into-Marketo sheet.
 * Secret values never go into an export: secret headers become variables to fill in.
 */
export async function exportCollection(
  dir: string,
  options: { format: ExportFormat; webhookPaths: string[]; contextPath?: string },
): Promise<Exported> {
  const snapshot = await openCollection(dir);
  const chosen = pickWebhooks(snapshot, options.webhookPaths);
  const base = slugify(snapshot.name, 'collection');
  const diagnostics: Diagnostic[] = [];
  if (options.format === 'bundle') {
    const content = exportBundle(snapshot, chosen, options.contextPath);
    return { fileName: `${base}.webhooks.json`, content, diagnostics };
  }
  if (options.format === 'marketo') {
    const content = exportSheet(snapshot, chosen, diagnostics);
    return { fileName: `${base}.marketo.md`, content, diagnostics };
  }
  const ctx = pickContext(snapshot, options.contextPath);
  diagnostics.push(...ctx.diagnostics);
  noteSecretTokens(ctx.context, diagnostics);
  const rendered = renderChosen(snapshot, chosen, ctx.context, diagnostics);
  if (options.format === 'postman') {
    const content = exportPostman(snapshot, rendered, diagnostics);
    return { fileName: `${base}.postman_collection.json`, content, diagnostics };
  }
  const only = rendered.length === 1 ? rendered[0] : undefined;
  return {
    fileName: `${only ? slugify(only.webhook.name, 'webhook') : base}.curl.sh`,
    content: exportCurl(rendered, ctx.context),
    diagnostics,
  };
}
