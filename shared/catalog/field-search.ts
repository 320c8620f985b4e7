import type { FieldCatalog, LeadField } from '../model';

/**
 * Finding lead fields by what a person types: the lead field picker filters by it, and an unknown token
 * name is offered the nearest field. Names compare without case, spaces or punctuation, so "Email Addr",
 * "emailaddr" and "EMAIL_ADDR" are the same query.
 */

/** A name as the search compares it: lower case letters and digits only. */
export function squash(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The names a field answers to: display name, SOAP API name, REST name. */
export function namesOf(field: LeadField): string[] {
  const names = [field.displayName];
  if (field.soapName !== undefined) names.push(field.soapName);
  if (field.restName !== undefined) names.push(field.restName);
  return names;
}

/** Levenshtein distance, stopping early once every path is past `limit` (then any number above it). */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** How many edits a name of this length may be away and still be a typo of it: about one in four letters. */
function typoLimit(length: number): number {
  return Math.max(1, Math.floor(length / 4));
}

/**
 * How close `query` is to `name` (both squashed), lower is closer; undefined when they are unrelated.
 * A typo within the limit scores its distance; a cut-off name ("emailaddr" for "emailaddress") that keeps
 * at least half the name and four letters scores just past the typos.
 */
function closeness(query: string, name: string): number | undefined {
  const limit = typoLimit(Math.max(query.length, name.length));
  const distance = editDistance(query, name, limit);
  if (distance <= limit) return distance;
  if (query.length >= 4 && name.startsWith(query) && query.length * 2 >= name.length) return limit + 0.5;
  return undefined;
}

/**
 * The catalog field nearest to a name that is not in it, by display name, SOAP name or REST name;
 * undefined when the name is a field's own name or no field is close enough to be what was meant.
 */
export function nearestField(catalog: FieldCatalog, name: string): LeadField | undefined {
  // Asked on every render of every unknown name (a context table re-renders at each keystroke): an edit
  // distance against every field's three names is worked out once per catalog and name.
  let known = nearestKnown.get(catalog);
  if (known === undefined) nearestKnown.set(catalog, (known = new Map<string, LeadField | undefined>()));
  if (known.has(name)) return known.get(name);
  const near = nearestIn(catalog, name);
  if (known.size >= NEAREST_KEPT) known.clear();
  known.set(name, near);
  return near;
}

/** Catalogs are replaced, never changed in place (the store's documents are immutable), so a catalog's answers hold. */
const nearestKnown = new WeakMap<FieldCatalog, Map<string, LeadField | undefined>>();
const NEAREST_KEPT = 1000;

function nearestIn(catalog: FieldCatalog, name: string): LeadField | undefined {
  const query = squash(name);
  if (query === '') return undefined;
  let best: { field: LeadField; score: number } | undefined;
  for (const field of catalog) {
    for (const candidate of namesOf(field)) {
      const score = closeness(query, squash(candidate));
      if (score === undefined || (best && best.score <= score)) continue;
      best = { field, score };
    }
  }
  return best && best.score > 0 ? best.field : undefined;
}

/**
 * How well a typed query matches one name, higher is better; 0 for no match. Whole name, then start
 * of the name, then the start of a word in it, then anywhere in it, then its letters in order.
 */
function matchScore(query: string, name: string): number {
  const squashed = squash(name);
  if (squashed === query) return 100;
  if (squashed.startsWith(query)) return 80;
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u);
  if (words.some((w) => w.startsWith(query))) return 60;
  if (squashed.includes(query)) return 40;
  let at = 0;
  for (const c of squashed) if (c === query[at]) at++;
  return at === query.length ? 20 : 0;
}

/**
 * The fields that match a typed query, best first (then by display name): the lead field picker's list.
 * An empty query lists every field by display name.
 */
export function searchFields(catalog: FieldCatalog, typed: string): LeadField[] {
  const query = squash(typed);
  const byName = (a: LeadField, b: LeadField) => a.displayName.localeCompare(b.displayName);
  if (query === '') return [...catalog].sort(byName);
  const scored: Array<{ field: LeadField; score: number }> = [];
  for (const field of catalog) {
    const score = Math.max(...namesOf(field).map((n) => matchScore(query, n)));
    if (score > 0) scored.push({ field, score });
  }
  return scored.sort((a, b) => b.score - a.score || byName(a.field, b.field)).map((s) => s.field);
}
