import { collectionFile, kindOfPath, webhooksDir } from '@shared/formats/collection-files';
import { assertCollectionDir, bad, isWebhookFolder, lstatOrNotFound } from './check';
import { checkInside, resolveInside } from './contain';
import { noteOwnDelete } from './disk';
import { listFiles } from './list';
import { moveToTrash, sweepTrash } from './trash';

/**
 * Deletes a collection file, or a folder of webhooks with everything in it, by moving it into the
 * collection's trash (see `trash.ts`): the returned id undoes it for a while. A link is moved itself,
 * never what it points to, and nothing is deleted through a link that leads out of the collection.
 */
export async function deletePath(dir: string, rel: string): Promise<{ ok: true; trashId: string }> {
  await assertCollectionDir(dir);
  const abs = await checkInside(dir, rel, 'delete');
  const info = await lstatOrNotFound(abs, rel);
  if (info.isSymbolicLink()) {
    if (!(isWebhookFolder(rel) && rel !== webhooksDir) && (!kindOfPath(rel) || rel === collectionFile))
      throw bad(`${rel} is not a webhook, context or fields file, nor a webhook folder`, rel);
  } else if (info.isDirectory()) {
    if (!isWebhookFolder(rel) || rel === webhooksDir)
      throw bad(`${rel} is not a webhook folder that can be deleted`, rel);
    for (const file of await listFiles(dir, rel)) noteOwnDelete(resolveInside(dir, file));
  } else if (!kindOfPath(rel) || rel === collectionFile) {
    throw bad(`${rel} is not a webhook, context or fields file`, rel);
  }
  noteOwnDelete(abs);
  // A rename moves a link as it is, and a folder with the links inside it, never what they point to.
  const trashId = await moveToTrash(dir, rel, abs);
  // The trash stays small in a long session too, not only when the collection is opened again.
  await sweepTrash(dir);
  return { ok: true, trashId };
}
