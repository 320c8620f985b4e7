/**
 * The palette's matching: a title matches when the query's letters appear in it in order (a subsequence),
 * scored so that letters at word starts and in unbroken runs count most ("nw" finds "New webhook",
 * "lm" "Show lead mapping"). Titles holding every typed word as it is typed rank above any fuzzy match.
 */

const wordStartBonus = 8;
const runBonus = 5;
const letterScore = 1;
/** A fuzzy match must average this per letter: letters strewn one by one through a title are noise. */
const minScorePerLetter = 3;
/** What a title holding every typed word scores, less where the first word starts: above any fuzzy score. */
const substringScore = 1_000_000;

/** Whether position `j` of `text` starts a word (the first letter, or after a space or punctuation). */
function startsWord(text: string, j: number): boolean {
  return j === 0 || !/[a-z0-9]/i.test(text.charAt(j - 1));
}

/** Whether `query`'s letters appear in `text` in order at all: a quick test before the scoring. */
function isSubsequence(query: string, text: string): boolean {
  let at = 0;
  for (const ch of query) {
    at = text.indexOf(ch, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** The best subsequence of `query` in `text` (both lower case): its score and the text positions it uses. */
export function subsequenceMatch(query: string, text: string): { score: number; positions: number[] } | null {
  if (query.length === 0) return { score: 0, positions: [] };
  if (!isSubsequence(query, text)) return null;
  const none = Number.NEGATIVE_INFINITY;
  // prev[j]: best score with the previous query letter at text position j; from[i][j]: where letter i-1 sat.
  let prev = new Float64Array(0);
  const from: Int32Array[] = [];
  for (let i = 0; i < query.length; i++) {
    const cur = new Float64Array(text.length).fill(none);
    const back = new Int32Array(text.length).fill(-1);
    let bestBefore = none; // best prev[k] for k < j - 1
    let bestBeforeAt = -1;
    for (let j = 0; j < text.length; j++) {
      if (i > 0 && j >= 2 && (prev[j - 2] ?? none) > bestBefore) {
        bestBefore = prev[j - 2] ?? none;
        bestBeforeAt = j - 2;
      }
      if (text[j] !== query[i]) continue;
      const own = letterScore + (startsWord(text, j) ? wordStartBonus : 0);
      if (i === 0) {
        cur[j] = own - j * 0.01;
        continue;
      }
      const run = j >= 1 ? (prev[j - 1] ?? none) + runBonus : none;
      if (run === none && bestBefore === none) continue;
      cur[j] = Math.max(run, bestBefore) + own;
      back[j] = run >= bestBefore ? j - 1 : bestBeforeAt;
    }
    from.push(back);
    prev = cur;
  }
  return bestPath(prev, from);
}

/** Follows the best last position back through `from` to the positions of every letter. */
function bestPath(last: Float64Array, from: Int32Array[]): { score: number; positions: number[] } | null {
  let end = -1;
  for (let j = 0; j < last.length; j++)
    if (last[j] !== Number.NEGATIVE_INFINITY && (end < 0 || (last[j] ?? 0) > (last[end] ?? 0))) end = j;
  if (end < 0) return null;
  const positions = [end];
  for (let i = from.length - 1; i > 0; i--) positions.unshift(from[i]?.[positions[0] ?? 0] ?? 0);
  return { score: last[end] ?? 0, positions };
}

/** The best score of `query`'s letters as a subsequence of `text` (both lower case), or null if they are not. */
export function subsequenceScore(query: string, text: string): number | null {
  return subsequenceMatch(query, text)?.score ?? null;
}

/** A query split once for matching many titles: its words (lower case) and their letters run together. */
export type PreparedQuery = { words: string[]; letters: string };

export function prepareQuery(query: string): PreparedQuery {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return { words, letters: words.join('') };
}

/** How a title matched: its score, whether it held every word as typed, and the matched characters. */
export type TextMatch = { score: number; exact: boolean; ranges: [number, number][] };

/** Runs of adjacent positions as [from, to) ranges. */
function rangesOf(positions: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of positions) {
    const last = out[out.length - 1];
    if (last && last[1] === p) last[1] = p + 1;
    else out.push([p, p + 1]);
  }
  return out;
}

/** Each word's first place in `lowered`, in text order, overlapping ones joined. */
function wordRanges(words: string[], lowered: string): [number, number][] {
  const spans = words
    .map((w): [number, number] => [lowered.indexOf(w), lowered.indexOf(w) + w.length])
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push(s);
  }
  return out;
}

/** The fuzzy match of a query's letters in `lowered`, if it scores enough to count. */
function fuzzyMatch(q: PreparedQuery, lowered: string) {
  const m = subsequenceMatch(q.letters, lowered);
  return m && m.score >= q.letters.length * minScorePerLetter ? m : null;
}

/** How well `lowered` (a title in lower case) answers a prepared query, without where; null: no match. */
export function scorePrepared(q: PreparedQuery, lowered: string): { score: number; exact: boolean } | null {
  if (q.words.length === 0) return { score: 0, exact: false };
  if (q.words.every((w) => lowered.includes(w)))
    return { score: substringScore - lowered.indexOf(q.words[0] ?? ''), exact: true };
  const m = fuzzyMatch(q, lowered);
  return m && { score: m.score, exact: false };
}

/** How `lowered` (a title in lower case) answers a prepared query, with the matched characters; null: no match. */
export function matchPrepared(q: PreparedQuery, lowered: string): TextMatch | null {
  const s = scorePrepared(q, lowered);
  if (!s) return null;
  if (s.exact) return { ...s, ranges: wordRanges(q.words, lowered) };
  return { ...s, ranges: rangesOf(fuzzyMatch(q, lowered)?.positions ?? []) };
}

/** How well `title` answers `query`: substring matches first (earlier first), then fuzzy ones; null: no match. */
export function matchScore(query: string, title: string): number | null {
  return scorePrepared(prepareQuery(query), title.toLowerCase())?.score ?? null;
}

/** The items that match `query`, best first; equal scores keep their order. */
export function rankByMatch<T>(items: readonly T[], query: string, title: (item: T) => string): T[] {
  const q = prepareQuery(query);
  return items
    .map((item, order) => ({ item, order, score: scorePrepared(q, title(item).toLowerCase())?.score ?? null }))
    .filter((m): m is { item: T; order: number; score: number } => m.score !== null)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map((m) => m.item);
}
