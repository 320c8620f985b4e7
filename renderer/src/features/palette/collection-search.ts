import type { TokenContext, Webhook } from '@shared/model';
import { matchPrepared, prepareQuery, scorePrepared, type PreparedQuery } from './fuzzy';
import { placesOfContext, placesOfWebhook, type SearchPlace, type SearchTarget } from './search-places';

/**
 * Search across the collection: every webhook's and context's places (see search-places.ts) matched with
 * the palette's matcher. A pure function of the documents as the store holds them (unsaved edits
 * included), so it is tested without a page and a keystroke costs only the matching.
 */

export type { SearchPlace } from './search-places';

/** The documents as the store keeps them: each by key, in sidebar order. */
export type SearchDocuments = {
  webhooks: Record<string, { value: Webhook } | undefined>;
  webhookOrder: readonly string[];
  contexts: Record<string, { value: TokenContext } | undefined>;
  contextOrder: readonly string[];
};

/** One match: where it is, a snippet of its line with the matched characters, and the span to select. */
export type SearchHit = {
  place: SearchPlace;
  /** The place in the user's words: "Template · line 3", "Header · Authorization". */
  label: string;
  snippet: string;
  /** [from, to) ranges of `snippet` to highlight. */
  marks: [number, number][];
  /** The matched span in the field's own text (0-based offset, length): where the cursor goes. */
  offset: number;
  length: number;
  exact: boolean;
};

/** The hits in one webhook or context, best first. */
export type SearchGroup = { kind: 'webhook' | 'context'; key: string; name: string; hits: SearchHit[]; more: number };

export type SearchOptions = { limit?: number; perDocument?: number };

const snippetBefore = 24;
const snippetLength = 90;
/** Lines longer than this are not fuzzy-matched. */
const fuzzyMaxLength = 400;

type Scored = { order: number; target: SearchTarget; score: number; exact: boolean };

/** The line around the first match, cut to a snippet, with the matched ranges moved into it. */
function snippetOf(text: string, ranges: [number, number][]): { snippet: string; marks: [number, number][] } {
  const lead = text.length - text.trimStart().length;
  const first = ranges[0]?.[0] ?? 0;
  const start = Math.max(lead, Math.min(first - snippetBefore, text.length - snippetLength));
  const end = Math.min(text.length, start + snippetLength);
  const pre = start > lead ? '…' : '';
  const shift = pre.length - start;
  const marks = ranges
    .filter(([from, to]) => to > start && from < end)
    .map(([from, to]): [number, number] => [Math.max(from, start) + shift, Math.min(to, end) + shift]);
  return { snippet: pre + text.slice(start, end).trimEnd() + (end < text.length ? '…' : ''), marks };
}

function hitOf(q: PreparedQuery, { target }: Scored): SearchHit | null {
  const match = matchPrepared(q, target.lowered);
  if (!match) return null;
  const from = match.ranges[0]?.[0] ?? 0;
  // A word-for-word match selects its first word; a fuzzy one spans its first to its last letter.
  const to = (match.exact ? match.ranges[0] : match.ranges[match.ranges.length - 1])?.[1] ?? from;
  return {
    place: target.place,
    label: target.label,
    ...snippetOf(target.text, match.ranges),
    offset: target.offset + from,
    length: to - from,
    exact: match.exact,
  };
}

/** Word-for-word matches first, then names before addresses and keys before bodies, then the better match. */
function compare(a: Scored, b: Scored): number {
  return (
    Number(b.exact) - Number(a.exact) || b.target.weight - a.target.weight || b.score - a.score || a.order - b.order
  );
}

type Entry = { kind: 'webhook' | 'context'; key: string; name: string; targets: SearchTarget[] };

function entriesOf(docs: SearchDocuments): Entry[] {
  const out: Entry[] = [];
  for (const key of docs.webhookOrder) {
    const w = docs.webhooks[key]?.value;
    if (w) out.push({ kind: 'webhook', key, name: w.name, targets: placesOfWebhook(w) });
  }
  for (const key of docs.contextOrder) {
    const c = docs.contexts[key]?.value;
    if (c) out.push({ kind: 'context', key, name: c.name, targets: placesOfContext(c) });
  }
  return out;
}

/** A document's best hits (at most `keep`, best first) and how many places matched in all. */
type DocumentHits = { entry: Entry; order: number; best: Scored[]; count: number };

/** Puts `s` among `best` in order, keeping at most `keep`. */
function keepBest(best: Scored[], s: Scored, keep: number): void {
  const last = best[best.length - 1];
  if (best.length >= keep && last && compare(s, last) >= 0) return;
  let i = best.length;
  while (i > 0 && compare(s, best[i - 1] as Scored) < 0) i--;
  best.splice(i, 0, s);
  if (best.length > keep) best.pop();
}

/** The documents with a place that answers `q`, each with its best places; no other hit is kept. */
function matchAll(entries: Entry[], q: PreparedQuery, keep: number): DocumentHits[] {
  const out: DocumentHits[] = [];
  entries.forEach((entry, order) => {
    const doc: DocumentHits = { entry, order, best: [], count: 0 };
    entry.targets.forEach((target, i) => {
      // A long line is matched word for word only: the fuzzy scoring's cost grows with the line.
      if (target.lowered.length > fuzzyMaxLength && !q.words.every((w) => target.lowered.includes(w))) return;
      const m = scorePrepared(q, target.lowered);
      if (!m) return;
      doc.count++;
      keepBest(doc.best, { order: i, target, ...m }, keep);
    });
    if (doc.count > 0) out.push(doc);
  });
  return out;
}

/**
 * The places in the collection that answer `query`, grouped by webhook or context (the group with the
 * best hit first), each group its best `perDocument` hits (`more` counts the rest), at most `limit` in all.
 */
export function searchCollection(docs: SearchDocuments, query: string, options: SearchOptions = {}): SearchGroup[] {
  const { limit = 50, perDocument = 5 } = options;
  const q = prepareQuery(query);
  if (q.words.length === 0) return [];
  const found = matchAll(entriesOf(docs), q, perDocument);
  found.sort((a, b) => compare(a.best[0] as Scored, b.best[0] as Scored) || a.order - b.order);
  const groups: SearchGroup[] = [];
  let room = limit;
  for (const { entry, best, count } of found) {
    if (room <= 0) break;
    // Beside a word-for-word hit, a document's fuzzy ones are noise: they count among the rest.
    const worth = best[0]?.exact ? best.filter((s) => s.exact) : best;
    const hits = worth.slice(0, room).flatMap((s) => hitOf(q, s) ?? []);
    room -= hits.length;
    groups.push({ kind: entry.kind, key: entry.key, name: entry.name, hits, more: count - hits.length });
  }
  return groups;
}
