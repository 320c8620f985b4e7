import type { MappingResult } from '../model';

/**
 * The last JSON answer parsed for the mappings, and its tree. A run's service often answers lead after
 * lead with the same text; parsing it again would give the same tree, so the tree is reused. The tree
 * is shared only while no report holds a part of it: a mapping that finds an object or an array puts
 * that part of the tree in its report, and then the memo is dropped, so no two reports ever share an
 * object. Only bodies that parsed, within the same depth limit, and small ones (a large body is not
 * kept alive for the next answer). Speed: docs/performance.md#engine
 */
interface JsonMemo {
  body: string;
  maxDepth: number;
  tree: unknown;
}

/** Larger answers are parsed each time (a service answering the same large body twice is rare). */
export const memoBodyChars = 4096;

let last: JsonMemo | undefined;

/** The tree of `body` when it is the answer parsed last with the same depth limit. */
export function memoTree(body: string, maxDepth: number): { tree: unknown } | undefined {
  const memo = last;
  return memo !== undefined && memo.maxDepth === maxDepth && memo.body === body ? memo : undefined;
}

export function rememberTree(body: string, maxDepth: number, tree: unknown): void {
  last = body.length <= memoBodyChars ? { body, maxDepth, tree } : undefined;
}

/** After the mappings read `tree`: a report that now holds an object or array of it must not share it. */
export function releaseIfExposed(tree: unknown, results: readonly MappingResult[]): void {
  if (last === undefined || last.tree !== tree || typeof tree !== 'object' || tree === null) return;
  for (const r of results) {
    const v = r.value;
    if (typeof v === 'object' && v !== null) {
      last = undefined;
      return;
    }
  }
}

/** Forgets the memo (tests). */
export function forgetTree(): void {
  last = undefined;
}
