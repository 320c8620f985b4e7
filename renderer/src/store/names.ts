import { tableOf } from './documents';
import type { DocKind, DocumentsState } from './types';

// Names in a folder are unique, compared as the collection service compares them: case aside, since on
// macOS and Windows two names that differ only in case would be one file.

const nameKey = (name: string): string => name.normalize('NFC').trim().toLowerCase();

/** Where a folder is, in the user's words (as the collection service says it). */
export function folderWords(kind: DocKind, folder: string): string {
  if (kind === 'context') return 'among the contexts';
  return folder ? `in folder ${folder}` : 'in the collection root';
}

/** The names of the open documents of one kind in one folder (contexts have one folder), but `except`. */
function namesIn(s: DocumentsState, kind: DocKind, folder: string, except?: string): string[] {
  const { docs, order } = tableOf(s, kind);
  return order.flatMap((k) => {
    const d = docs[k];
    return d && k !== except && (kind === 'context' || d.folder === folder) ? [d.value.name] : [];
  });
}

/** `base`, or `base 2`, `base 3`… : the first name no document of this kind in `folder` has. */
export function uniqueName(s: DocumentsState, kind: DocKind, base: string, folder = ''): string {
  const taken = new Set(namesIn(s, kind, folder).map(nameKey));
  if (!taken.has(nameKey(base))) return base;
  for (let n = 2; ; n++) if (!taken.has(nameKey(`${base} ${n}`))) return `${base} ${n}`;
}

/**
 * Why `name` cannot be given to the document `key` in `folder` (another there has it, in any case),
 * or undefined when it can.
 */
export function nameClash(
  s: DocumentsState,
  to: { kind: DocKind; key: string; name: string; folder: string },
): string | undefined {
  const { kind, key, name, folder } = to;
  const wanted = name.trim();
  if (!wanted) return 'A name cannot be empty.';
  const clash = namesIn(s, kind, folder, key).find((n) => nameKey(n) === nameKey(wanted));
  if (clash === undefined) return undefined;
  const where = folderWords(kind, folder);
  return clash === wanted
    ? `There is already a ${kind} named “${clash}” ${where}; choose another name.`
    : `There is already a ${kind} named “${clash}” ${where}, which differs from “${wanted}” only in case (one file on macOS and Windows); choose another name.`;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Natural order, any case: "Webhook 2" before "Webhook 10", "crm" beside "CRM". */
export function naturalOrder(a: string, b: string): number {
  return collator.compare(a, b);
}
