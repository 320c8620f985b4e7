import { z } from 'zod';
import {
  fieldCatalogSchema,
  profileSchema,
  tokenContextSchema,
  triggerListSchema,
  webhookSchema,
  type FieldCatalog,
  type Trigger,
  type LeadField,
  type MyToken,
  type TokenContext,
  type Webhook,
} from '../model';
import { catcherRuleListSchema, type CatcherRule } from '../model/catcher-rule';
import { catcherRulesDiskForm, catcherRulesFile } from './catcher-rules-file';
import {
  collectionFile,
  contextSuffix,
  contextsDir,
  fieldsFile,
  stateDir,
  triggersFile,
  webhookSuffix,
  webhooksDir,
} from './collection-names';
import { networkDiskForm, networkSchema } from '../model/network';

/**
 * The files of a collection folder and what each holds on disk:
 *
 *   collection.yaml                      name, profile options, default context, network settings
 *   fields.yaml                          the collection's lead fields (a list)
 *   triggers.yaml                        "Webhook is Called" triggers (a list)
 *   catcher.yaml                         the built-in catcher's answers (a list of rules)
 *   webhooks/<folder>/<slug>.webhook.yaml
 *   contexts/<slug>.context.yaml
 *   .studio/                             local state (history, secrets), kept out of git
 *
 * A "disk form" is what goes into a file: keys in the model's order, nothing volatile (no ids, no
 * timestamps), and never a secret value.
 */

export { collectionFile, contextSuffix, contextsDir, fieldsFile, stateDir, triggersFile, webhookSuffix, webhooksDir };

export const settingsSchema = z
  .object({
    name: z.string().optional(),
    profile: profileSchema.partial().default({}),
    /** Path of the context selected when the collection opens, e.g. `contexts/plain-lead.context.yaml`. */
    defaultContext: z.string().optional(),
    /** How the collection's sends connect: proxy, CA, client certificate, TLS verification (shared/model/network). */
    network: networkSchema.optional(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

export type FileKind = 'settings' | 'fields' | 'webhook' | 'context' | 'triggers' | 'catcher';

/** Which kind of collection file a relative path is, if any. Dot-files and folders are never collection files. */
export function kindOfPath(path: string): FileKind | undefined {
  if (path.split('/').some((part) => part.startsWith('.'))) return undefined;
  if (path === collectionFile) return 'settings';
  if (path === fieldsFile) return 'fields';
  if (path === triggersFile) return 'triggers';
  if (path === catcherRulesFile) return 'catcher';
  if (path.startsWith(`${webhooksDir}/`) && path.endsWith(webhookSuffix)) return 'webhook';
  if (
    path.startsWith(`${contextsDir}/`) &&
    path.endsWith(contextSuffix) &&
    !path.slice(contextsDir.length + 1).includes('/')
  )
    return 'context';
  return undefined;
}

/** A file-name slug from a display name: lower case, letters and digits joined by dashes. */
export function slugify(name: string, fallback: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || fallback;
}

/** The UI folder of a webhook path: `webhooks/crm/x.webhook.yaml` → `crm`. */
export function folderOfWebhookPath(path: string): string {
  const inner = path.slice(webhooksDir.length + 1);
  const cut = inner.lastIndexOf('/');
  return cut < 0 ? '' : inner.slice(0, cut);
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function webhookDiskForm(w: Webhook): Record<string, unknown> {
  return dropUndefined({
    name: w.name,
    description: w.description,
    url: w.url,
    method: w.method,
    encoding: w.encoding,
    responseType: w.responseType,
    template: w.template === '' ? undefined : w.template,
    headers: w.headers.length
      ? w.headers.map((h) =>
          dropUndefined({
            name: h.name,
            value: h.secret ? undefined : h.value,
            secret: h.secret ? true : undefined,
            allowedHosts: h.allowedHosts?.length ? [...h.allowedHosts] : undefined,
          }),
        )
      : undefined,
    mappings: w.mappings.length ? w.mappings.map((m) => ({ attribute: m.attribute, field: m.field })) : undefined,
  });
}

function myTokenDiskForm(token: MyToken): unknown {
  if (token === null || typeof token !== 'object') return token;
  return dropUndefined({
    type: token.type,
    value: token.secret ? undefined : token.value,
    secret: token.secret ? true : undefined,
    allowedHosts: token.allowedHosts?.length ? [...token.allowedHosts] : undefined,
  });
}

export function contextDiskForm(c: TokenContext): Record<string, unknown> {
  const table = (t: Record<string, unknown>): Record<string, unknown> | undefined =>
    Object.keys(t).length ? { ...t } : undefined;
  const my = Object.fromEntries(Object.entries(c.my).map(([k, v]) => [k, myTokenDiskForm(v)]));
  return dropUndefined({
    name: c.name,
    description: c.description,
    lead: table(c.lead),
    company: table(c.company),
    my: table(my),
    program: table(c.program),
    campaign: table(c.campaign),
    trigger: table(c.trigger),
    member: table(c.member),
    system: table(dropUndefined({ now: c.system.now, timeZone: c.system.timeZone })),
  });
}

export function fieldDiskForm(f: LeadField): Record<string, unknown> {
  return dropUndefined({
    displayName: f.displayName,
    soapName: f.soapName,
    restName: f.restName,
    type: f.type,
    length: f.length,
    readOnly: f.readOnly,
  });
}

export function fieldsDiskForm(fields: FieldCatalog): Record<string, unknown>[] {
  return fields.map(fieldDiskForm);
}

export function triggersDiskForm(triggers: readonly Trigger[]): Record<string, unknown>[] {
  return triggers.map((t) =>
    dropUndefined({
      name: t.name,
      webhooks: t.webhooks.length ? [...t.webhooks] : undefined,
      constraints: t.constraints.length
        ? t.constraints.map((c) =>
            dropUndefined({
              attribute: c.attribute,
              operator: c.operator,
              values: c.values.length ? [...c.values] : undefined,
            }),
          )
        : undefined,
    }),
  );
}

export function settingsDiskForm(s: Settings): Record<string, unknown> {
  const profile = dropUndefined({ ...s.profile });
  return dropUndefined({
    name: s.name,
    profile: Object.keys(profile).length ? profile : undefined,
    defaultContext: s.defaultContext,
    network: s.network ? networkDiskForm(s.network) : undefined,
  });
}

/** What a file means once the schema fills its defaults; used to decide whether a save changes it. */
export const meaningOf: Record<FileKind, (raw: unknown) => unknown> = {
  webhook: (raw) => webhookSchema.parse(raw),
  context: (raw) => tokenContextSchema.parse(raw),
  fields: (raw) => fieldCatalogSchema.parse(raw ?? []),
  settings: (raw) => settingsSchema.parse(raw ?? {}),
  triggers: (raw) => triggerListSchema.parse(raw ?? []),
  catcher: (raw) => catcherRuleListSchema.parse(raw ?? []),
};

/** The canonical disk form of a parsed file, for `fmt`; undefined when the file does not validate. */
export function canonicalOf(kind: FileKind, raw: unknown): unknown {
  const parsed =
    kind === 'webhook'
      ? webhookSchema.safeParse(raw)
      : kind === 'context'
        ? tokenContextSchema.safeParse(raw)
        : kind === 'fields'
          ? fieldCatalogSchema.safeParse(raw ?? [])
          : kind === 'triggers'
            ? triggerListSchema.safeParse(raw ?? [])
            : kind === 'catcher'
              ? catcherRuleListSchema.safeParse(raw ?? [])
              : settingsSchema.safeParse(raw ?? {});
  if (!parsed.success) return undefined;
  if (kind === 'webhook') return webhookDiskForm(parsed.data as Webhook);
  if (kind === 'context') return contextDiskForm(parsed.data as TokenContext);
  if (kind === 'fields') return fieldsDiskForm(parsed.data as FieldCatalog);
  if (kind === 'triggers') return triggersDiskForm(parsed.data as Trigger[]);
  if (kind === 'catcher') return catcherRulesDiskForm(parsed.data as CatcherRule[]);
  return settingsDiskForm(parsed.data as Settings);
}
