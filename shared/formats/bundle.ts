import { z } from 'zod';
import {
  fieldCatalogSchema,
  profileSchema,
  tokenContextSchema,
  webhookSchema,
  type FieldCatalog,
  type ProfileInput,
  type TokenContext,
  type Webhook,
} from '../model';
import { contextDiskForm, fieldsDiskForm, kindOfPath, webhookDiskForm } from './collection-files';

/**
 * A single-file bundle (`<name>.webhooks.json`): chosen webhooks with their contexts, the collection's
 * own lead fields and profile options, to hand to a colleague or to CI. Secret values never go in.
 */
export const bundleMarker = 'webhook-studio-bundle';

const entryPath = (kind: 'webhook' | 'context') =>
  z
    .string()
    .refine((p) => kindOfPath(p) === kind && !p.split('/').includes('..'), `a ${kind} file path inside a collection`);

export const bundleSchema = z
  .object({
    format: z.literal(bundleMarker),
    version: z.literal(1),
    name: z.string().optional(),
    profile: profileSchema.partial().default({}),
    fields: fieldCatalogSchema.default([]),
    webhooks: z.array(z.object({ path: entryPath('webhook'), webhook: webhookSchema }).strict()).default([]),
    contexts: z.array(z.object({ path: entryPath('context'), context: tokenContextSchema }).strict()).default([]),
  })
  .strict();
export type Bundle = z.infer<typeof bundleSchema>;

export function createBundle(input: {
  name?: string;
  profile?: Partial<ProfileInput>;
  fields: FieldCatalog;
  webhooks: { path: string; webhook: Webhook }[];
  contexts: { path: string; context: TokenContext }[];
}): string {
  const doc = {
    format: bundleMarker,
    version: 1,
    ...(input.name ? { name: input.name } : {}),
    profile: input.profile ?? {},
    fields: fieldsDiskForm(input.fields),
    webhooks: input.webhooks.map((w) => ({ path: w.path, webhook: webhookDiskForm(w.webhook) })),
    contexts: input.contexts.map((c) => ({ path: c.path, context: contextDiskForm(c.context) })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export type ParsedBundle = { ok: true; bundle: Bundle } | { ok: false; message: string };

export function parseBundle(text: string): ParsedBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = bundleSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      message: parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.map(String).join('.') || '(bundle)'}: ${i.message}`)
        .join('; '),
    };
  }
  return { ok: true, bundle: parsed.data };
}
