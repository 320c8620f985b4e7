import { rm, unlink } from 'node:fs/promises';
import { collectionFile, kindOfPath, webhooksDir } from '@shared/formats/collection-files';
import { assertCollectionDir, bad, isWebhookFolder, lstatOrNotFound } from './check';
import { checkInside, resolveInside } from './contain';
import { noteOwnDelete } from './disk';
import { listFiles } from './list';

/**
 * Deletes a collection file, or a folder of webhooks with everything in it. A link is removed itself,
 * never what it points to, and nothing is deleted through a link that leads out of the collection.
 */
export async function deletePath(dir: string, rel: string): Promise<{ ok: true }> {
  await assertCollectionDir(dir);
  const abs = await checkInside(dir, rel, 'delete');
  const info = await lstatOrNotFound(abs, rel);
  if (info.isSymbolicLink()) {
    if (!(isWebhookFolder(rel) && rel !== webhooksDir) && (!kindOfPath(rel) || rel === collectionFile))
      throw bad(`${rel} is not a webhook, context or fields file, nor a webhook folder`, rel);
    noteOwnDelete(abs);
    await unlink(abs);
  } else if (info.isDirectory()) {
    if (!isWebhookFolder(rel) || rel === webhooksDir)
      throw bad(`${rel} is not a webhook folder that can be deleted`, rel);
    for (const file of await listFiles(dir, rel)) noteOwnDelete(resolveInside(dir, file));
    noteOwnDelete(abs);
    // rm never follows the links inside the folder: it removes them as they are.
    await rm(abs, { recursive: true });
  } else {
    if (!kindOfPath(rel) || rel === collectionFile) throw bad(`${rel} is not a webhook, context or fields file`, rel);
    noteOwnDelete(abs);
    await rm(abs);
  }
  return { ok: true };
}
