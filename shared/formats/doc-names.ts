// Names of webhooks and contexts are unique in their folder, compared the same way in the studio and in
// the collection service: case aside (on macOS and Windows two names that differ only in case would be
// one file), and the same letters however they are composed.

export type NamedKind = 'webhook' | 'context';

/** What two names are compared by. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

/** Where a webhook folder (as the sidebar names it, '' for the root) or the contexts are, in the user's words. */
export function whereWords(kind: NamedKind, folder: string): string {
  if (kind === 'context') return 'among the contexts';
  return folder ? `in folder ${folder}` : 'in the collection root';
}

/** Why `wanted` is refused: `taken` is the name another webhook or context already has there. */
export function nameClashMessage(to: { kind: NamedKind; folder: string; taken: string; wanted: string }): string {
  const { kind, folder, taken, wanted } = to;
  const where = whereWords(kind, folder);
  return taken === wanted.trim()
    ? `There is already a ${kind} named “${taken}” ${where}; choose another name`
    : `There is already a ${kind} named “${taken}” ${where}, which differs from “${wanted.trim()}” only in case (one file on macOS and Windows); choose another name`;
}
