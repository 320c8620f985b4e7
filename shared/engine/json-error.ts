/** A position in a JSON text and the small readers that move it. */
class JsonScanner {
  i = 0;
  readonly n: number;
  constructor(readonly text: string) {
    this.n = text.length;
  }
  at(): string | undefined {
    return this.text[this.i];
  }
  ws(): void {
    const { text, n } = this;
    while (
      this.i < n &&
      (text[this.i] === ' ' || text[this.i] === '\t' || text[this.i] === '\n' || text[this.i] === '\r')
    )
      this.i++;
  }
  literal(word: string): boolean {
    if (!this.text.startsWith(word, this.i)) return false;
    this.i += word.length;
    return true;
  }
  /** A string, the scanner on its opening quote. */
  string(): boolean {
    const { text, n } = this;
    this.i++;
    while (this.i < n) {
      const c = text.charCodeAt(this.i);
      if (c === 34) {
        this.i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c !== 92) {
        this.i++;
        continue;
      }
      const e = text[this.i + 1];
      if (e === 'u') {
        if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(this.i + 2, this.i + 6))) return false;
        this.i += 6;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i += 2;
      else return false;
    }
    return false;
  }
  number(): boolean {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 400));
    if (!m || m[0] === '' || m[0] === '-') return false;
    this.i += m[0].length;
    return true;
  }
  /** An object key and its colon; false when either is missing (the scanner is then where it went wrong). */
  key(): boolean {
    this.ws();
    if (this.at() !== '"' || !this.string()) return false;
    this.ws();
    if (this.at() !== ':') return false;
    this.i++;
    return true;
  }
}

type Container = 'object' | 'array';

/**
 * Where a JSON text first goes wrong. JSON.parse's messages only sometimes carry a position (it depends
 * on the engine and the error), and the studio must point at the spot in the body or template, so this
 * small scanner re-reads a text JSON.parse rejected. Iterative, so a deeply nested body cannot overflow.
 * -1 when the text is valid JSON.
 */
export function jsonErrorOffset(text: string): number {
  const s = new JsonScanner(text);
  // Stack of open containers: '{' expects a key next, ':' a value after a key, '[' a value, ',' after a value.
  const stack: Container[] = [];
  let expectValue = true;
  for (;;) {
    s.ws();
    const next: boolean | number = expectValue ? readValue(s, stack) : readAfterValue(s, stack);
    if (typeof next === 'number') return next;
    expectValue = next;
  }
}

/** Reads a value, or opens a container: true when a value is expected next, or the offset where the text goes wrong. */
function readValue(s: JsonScanner, stack: Container[]): boolean | number {
  const c = s.at();
  if (c === '{' || c === '[') {
    s.i++;
    s.ws();
    if (s.at() === (c === '{' ? '}' : ']')) {
      s.i++;
      return false;
    }
    if (c === '{' && !s.key()) return s.i;
    stack.push(c === '{' ? 'object' : 'array');
    return true;
  }
  const start = s.i;
  const ok =
    c === '"'
      ? s.string()
      : c === 't'
        ? s.literal('true')
        : c === 'f'
          ? s.literal('false')
          : c === 'n'
            ? s.literal('null')
            : s.number();
  if (!ok) return c === '"' ? Math.min(s.i, s.n) : start;
  return false;
}

/** After a value: a comma, the end of its container, or the end of the text (-1 when that is all). */
function readAfterValue(s: JsonScanner, stack: Container[]): boolean | number {
  const top = stack[stack.length - 1];
  if (top === undefined) return s.i < s.n ? s.i : -1;
  const c = s.at();
  if (c === ',') {
    s.i++;
    if (top === 'object' && !s.key()) return s.i;
    return true;
  }
  if ((top === 'object' && c === '}') || (top === 'array' && c === ']')) {
    s.i++;
    stack.pop();
    return false;
  }
  return s.i;
}

/**
 * The offset of the first `[` or `{` that opens a container deeper than `maxDepth` (`{}` is depth 1), or
 * -1 when the text stays within it. Brackets inside strings do not count. It reads the text rather than
 * a parsed tree, so a body is measured before JSON.parse builds it and before anything walks it
 * (JSON.stringify, a structured clone, the tree view) by recursion. Valid or not, the count is the same.
 */
export function jsonDepthExceeded(text: string, maxDepth: number): number {
  // Nesting deeper than maxDepth needs more than maxDepth characters: a short text needs no scan.
  if (text.length <= maxDepth) return -1;
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip the string: to the next quote that no odd run of backslashes escapes.
      for (;;) {
        const q = text.indexOf('"', i + 1);
        if (q < 0) return -1;
        let k = q - 1;
        while (text.charCodeAt(k) === 92) k--;
        i = q;
        if ((q - 1 - k) % 2 === 0) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > maxDepth) return i;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    }
  }
  return -1;
}

/** JSON.parse's message without the position and the quoted text (the caller says where, in its own words). */
export function jsonParseMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e))
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/, ".*" is not valid JSON$/s, '');
}
