// The catcher's placeholder origin, apart from the sample collection (and the collection files it loads with it).

/**
 * The placeholder origin of the sample webhooks. The shells send requests for this origin to the
 * built-in catcher (starting it on demand), keeping the request target as written.
 */
export const CATCHER_ORIGIN = 'http://catcher.local';

/** A webhook aimed at the placeholder origin goes to the built-in catcher, keeping its request target. */
export function aimsAtCatcher(url: string): boolean {
  const u = url.trim().toLowerCase();
  return u === CATCHER_ORIGIN || u.startsWith(`${CATCHER_ORIGIN}/`) || u.startsWith(`${CATCHER_ORIGIN}?`);
}
