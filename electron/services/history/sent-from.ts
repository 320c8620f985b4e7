import { readFile } from 'node:fs/promises';
import { StudioError } from '@shared/model/error';
import { sentFromSchema, type SentFrom } from '@shared/contract/schemas';
import { contextDiskForm, webhookDiskForm } from '@shared/formats/collection-files';
import type { TokenContext, Webhook } from '@shared/model';

/** The sibling file of a history exchange that keeps the webhook and context it was sent from. */
export const sentFromSuffix = '.sent-from.json';

const mask = '••••••';

/** `scheme://user:pass@host/…` → `scheme://••••••@host/…`: the sent record masks URL credentials, so does this. */
function withoutUrlCredentials(url: string): string {
  return url.replace(/^(\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#@]*)@/, (_all, scheme: string) => `${scheme}${mask}@`);
}

/**
 * The webhook and context as they were sent, in the form the collection writes them: a secret header or a
 * secret My Token keeps its name and secret flag, never its value (a secret's value lands nowhere but the wire).
 */
export function sentFromOf(webhook: Webhook, context: TokenContext): SentFrom {
  const disk = webhookDiskForm(webhook);
  return sentFromSchema.parse({
    webhook: { ...disk, url: withoutUrlCredentials(webhook.url) },
    context: contextDiskForm(context),
  });
}

/** Reads a kept sent-from file; `undefined` when the entry was recorded before they were kept. */
export async function readSentFrom(file: string, id: string): Promise<SentFrom | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = sentFromSchema.safeParse(raw);
  if (!parsed.success)
    throw new StudioError({
      code: 'bad-file',
      message: `the webhook kept with history entry ${id} is damaged`,
      where: id,
    });
  return parsed.data;
}
