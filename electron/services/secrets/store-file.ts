import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { stateDir } from '@shared/formats/collection-names';

/** `.studio/secrets.json`: encrypted values (base64 of safeStorage output), never plain text, never in the collection files. */
export const secretsFileSchema = z
  .object({
    version: z.literal(1),
    secrets: z.record(
      z.string(),
      z.object({ encrypted: z.string(), allowedHosts: z.array(z.string()).optional() }).strict(),
    ),
  })
  .strict();
export type SecretsFile = z.infer<typeof secretsFileSchema>;

export function secretsFilePath(dir: string): string {
  return path.join(dir, stateDir, 'secrets.json');
}

function parse(text: string): SecretsFile {
  const result = secretsFileSchema.safeParse(JSON.parse(text));
  if (!result.success) throw new Error(`${stateDir}/secrets.json is not a secrets file`);
  return result.data;
}

export function readSecretsFileSync(dir: string): SecretsFile {
  try {
    return parse(readFileSync(secretsFilePath(dir), 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, secrets: {} };
    throw e;
  }
}

/** Names of the secrets stored for a collection (never their values); empty when none or unreadable. */
export async function storedSecretNames(dir: string): Promise<string[]> {
  try {
    return Object.keys(parse(await readFile(secretsFilePath(dir), 'utf8')).secrets).sort();
  } catch {
    return [];
  }
}
