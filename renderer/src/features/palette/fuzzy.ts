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

/** Whether position `j` of `text` starts a word (the first letter, or after a space or punctuation). */
function startsWord(text: string, j: number): boolean {
  return j === 0 || !/[a-z0-9]/i.test(text.charAt(j - 1));
}

/** The best score of `query`'s letters as a subsequence of `text` (both lower case), or null if they are not. */
export function subsequenceScore(query: string, text: string): number | null {
  if (query.length === 0) return 0;
  const none = Number.NEGATIVE_INFINITY;
  // prev[j]: best score with the previous query letter at text position j.
  let prev: number[] = [];
  for (let i = 0; i < query.length; i++) {
    const cur = new Array<number>(text.length).fill(none);
    let bestBefore = none; // best prev[k] for k < j - 1
    for (let j = 0; j < text.length; j++) {
      if (i > 0 && j >= 2) bestBefore = Math.max(bestBefore, prev[j - 2] ?? none);
      if (text[j] !== query[i]) continue;
      const own = letterScore + (startsWord(text, j) ? wordStartBonus : 0);
      if (i === 0) {
        cur[j] = own - j * 0.01;
        continue;
      }
      const run = j >= 1 ? (prev[j - 1] ?? none) + runBonus : none;
      const from = Math.max(run, bestBefore);
      if (from !== none) cur[j] = from + own;
    }
    prev = cur;
  }
  const best = Math.max(none, ...prev);
  return best === none ? null : best;
}

/** How well `title` answers `query`: substring matches first (earlier first), then fuzzy ones; null: no match. */
export function matchScore(query: string, title: string): number | null {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 0;
  const t = title.toLowerCase();
  if (words.every((w) => t.includes(w))) return 1_000_000 - t.indexOf(words[0] ?? '');
  const letters = words.join('');
  const score = subsequenceScore(letters, t);
  return score !== null && score >= letters.length * minScorePerLetter ? score : null;
}

/** The items that match `query`, best first; equal scores keep their order. */
export function rankByMatch<T>(items: readonly T[], query: string, title: (item: T) => string): T[] {
  return items
    .map((item, order) => ({ item, order, score: matchScore(query, title(item)) }))
    .filter((m): m is { item: T; order: number; score: number } => m.score !== null)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map((m) => m.item);
}
