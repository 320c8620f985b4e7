import { nameClashMessage, nameKey } from '@shared/formats/doc-names';
import { tableOf } from './documents';
import type { DocKind, DocumentsState } from './types';

/** The documents a name is checked against: every webhook and context, whatever is open in tabs. */
type NamedDocs = Pick<DocumentsState, 'webhooks' | 'webhookOrder' | 'contexts' | 'contextOrder'>;

/** The names of the open documents of one kind in one folder (contexts have one folder), but `except`. */
function namesIn(s: NamedDocs, kind: DocKind, folder: string, except?: string): string[] {
  const { docs, order } = tableOf(s, kind);
  return order.flatMap((k) => {
    const d = docs[k];
    return d && k !== except && (kind === 'context' || d.folder === folder) ? [d.value.name] : [];
  });
}

/** `base`, or `base 2`, `base 3`… : the first name no document of this kind in `folder` has. */
export function uniqueName(s: NamedDocs, kind: DocKind, base: string, folder = ''): string {
  const taken = new Set(namesIn(s, kind, folder).map(nameKey));
  if (!taken.has(nameKey(base))) return base;
  for (let n = 2; ; n++) if (!taken.has(nameKey(`${base} ${n}`))) return `${base} ${n}`;
}

/**
 * Why `name` cannot be given to the document `key` in `folder` (another there has it, in any case),
 * or undefined when it can.
 */
export function nameClash(
  s: NamedDocs,
  to: { kind: DocKind; key: string; name: string; folder: string },
): string | undefined {
  const { kind, key, name, folder } = to;
  const wanted = name.trim();
  if (!wanted) return 'A name cannot be empty.';
  const taken = namesIn(s, kind, folder, key).find((n) => nameKey(n) === nameKey(wanted));
  return taken === undefined ? undefined : `${nameClashMessage({ kind, folder, taken, wanted })}.`;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Natural order, any case: "Webhook 2" before "Webhook 10", "crm" beside "CRM". */
export function naturalOrder(a: string, b: string): number {
  return collator.compare(a, b);
}
