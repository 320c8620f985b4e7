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

/** Whether a character code is a letter or digit (ASCII: what counts as inside a word). */
function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Whether position `j` of `text` starts a word (the first letter, or after a space or punctuation). */
function startsWord(text: string, j: number): boolean {
  return j === 0 || !isWordCode(text.charCodeAt(j - 1));
}

/** Buffers for letterRanges, reused: thousands of lines are ranged per keystroke. */
let lows = new Int32Array(32);
let highs = new Int32Array(32);

/**
 * Where each of `query`'s letters can sit at the earliest (each as early as it can) and the latest (each
 * as late as it can), or null when the letters do not appear in order: the scoring looks only between.
 */
function letterRanges(query: string, text: string): { lo: Int32Array; hi: Int32Array } | null {
  if (lows.length < query.length) [lows, highs] = [new Int32Array(query.length * 2), new Int32Array(query.length * 2)];
  let at = 0;
  for (let i = 0; i < query.length; i++) {
    at = text.indexOf(query.charAt(i), at);
    if (at < 0) return null;
    lows[i] = at++;
  }
  at = text.length;
  for (let i = query.length - 1; i >= 0; i--) highs[i] = at = text.lastIndexOf(query.charAt(i), at - 1);
  return { lo: lows, hi: highs };
}
const none = Number.NEGATIVE_INFINITY;
/** Two score rows reused from call to call: the palette scores thousands of lines per keystroke. */
let rowA = new Float64Array(256);
let rowB = new Float64Array(256);

/**
 * The best score of `query`'s letters as a subsequence of `text` (both lower case), and the last row of
 * scores; `back`, when given, records for each letter where the letter before it sat.
 */
function bestScores(query: string, text: string, back?: Int32Array[]): Float64Array | null {
  const ranges = letterRanges(query, text);
  if (!ranges) return null;
  if (rowA.length < text.length) [rowA, rowB] = [new Float64Array(text.length * 2), new Float64Array(text.length * 2)];
  let prev = rowA.fill(none, 0, text.length);
  let cur = rowB;
  for (let i = 0; i < query.length; i++) {
    cur.fill(none, 0, text.length);
    const code = query.charCodeAt(i);
    const from = back ? (back[i] = new Int32Array(text.length).fill(-1)) : undefined;
    let bestBefore = none; // best prev[k] for k < j - 1
    let bestBeforeAt = -1;
    const lo = ranges.lo[i] ?? 0;
    for (let k = i > 0 ? (ranges.lo[i - 1] ?? 0) : lo; k < lo - 2; k++)
      if ((prev[k] ?? none) > bestBefore) {
        bestBefore = prev[k] ?? none;
        bestBeforeAt = k;
      }
    for (let j = lo; j <= (ranges.hi[i] ?? -1); j++) {
      if (i > 0 && j >= 2 && (prev[j - 2] ?? none) > bestBefore) {
        bestBefore = prev[j - 2] ?? none;
        bestBeforeAt = j - 2;
      }
      if (text.charCodeAt(j) !== code) continue;
      const own = letterScore + (startsWord(text, j) ? wordStartBonus : 0);
      if (i === 0) {
        cur[j] = own - j * 0.01;
        continue;
      }
      const run = j >= 1 ? (prev[j - 1] ?? none) + runBonus : none;
      if (run === none && bestBefore === none) continue;
      cur[j] = Math.max(run, bestBefore) + own;
      if (from) from[j] = run >= bestBefore ? j - 1 : bestBeforeAt;
    }
    [prev, cur] = [cur, prev];
  }
  return prev;
}

/** Where the best score sits in the last row of `text.length` scores, or -1. */
function bestEnd(last: Float64Array, length: number): number {
  let end = -1;
  for (let j = 0; j < length; j++)
    if ((last[j] ?? none) > none && (end < 0 || (last[j] ?? 0) > (last[end] ?? 0))) end = j;
  return end;
}

/** The best subsequence of `query` in `text` (both lower case): its score and the text positions it uses. */
export function subsequenceMatch(query: string, text: string): { score: number; positions: number[] } | null {
  if (query.length === 0) return { score: 0, positions: [] };
  const back: Int32Array[] = [];
  const last = bestScores(query, text, back);
  const end = last ? bestEnd(last, text.length) : -1;
  if (!last || end < 0) return null;
  const positions = [end];
  for (let i = back.length - 1; i > 0; i--) positions.unshift(back[i]?.[positions[0] ?? 0] ?? 0);
  return { score: last[end] ?? 0, positions };
}

/** The best score of `query`'s letters as a subsequence of `text` (both lower case), or null if they are not. */
export function subsequenceScore(query: string, text: string): number | null {
  if (query.length === 0) return 0;
  const last = bestScores(query, text);
  const end = last ? bestEnd(last, text.length) : -1;
  return last && end >= 0 ? (last[end] ?? null) : null;
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

/** Whether a fuzzy score is enough to count: letters strewn through a title are noise. */
function enough(q: PreparedQuery, score: number | null | undefined): score is number {
  return score !== null && score !== undefined && score >= q.letters.length * minScorePerLetter;
}

/** How well `lowered` (a title in lower case) answers a prepared query, without where; null: no match. */
export function scorePrepared(q: PreparedQuery, lowered: string): { score: number; exact: boolean } | null {
  if (q.words.length === 0) return { score: 0, exact: false };
  if (q.words.every((w) => lowered.includes(w)))
    return { score: substringScore - lowered.indexOf(q.words[0] ?? ''), exact: true };
  const score = subsequenceScore(q.letters, lowered);
  return enough(q, score) ? { score, exact: false } : null;
}

/** How `lowered` (a title in lower case) answers a prepared query, with the matched characters; null: no match. */
export function matchPrepared(q: PreparedQuery, lowered: string): TextMatch | null {
  const s = scorePrepared(q, lowered);
  if (!s) return null;
  if (s.exact) return { ...s, ranges: wordRanges(q.words, lowered) };
  return { ...s, ranges: rangesOf(subsequenceMatch(q.letters, lowered)?.positions ?? []) };
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
