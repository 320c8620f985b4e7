/**
 * Where a JSON text first goes wrong. JSON.parse's messages only sometimes carry a position (it depends
 * on the engine and the error), and the studio must point at the spot in the body or template, so this
 * small scanner re-reads a text JSON.parse rejected. Iterative, so a deeply nested body cannot overflow.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const literal = (word: string): boolean => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return true;
    }
    return false;
  };
  const string = (): boolean => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  const number = (): boolean => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') return false;
    i += m[0].length;
    return true;
  };
  // Stack of open containers: '{' expects a key next, ':' a value after a key, '[' a value, ',' after a value.
  const stack: Array<'object' | 'array'> = [];
  let expectValue = true;
  for (;;) {
    ws();
    if (expectValue) {
      const c = text[i];
      if (c === '{') {
        i++;
        ws();
        if (text[i] === '}') {
          i++;
          expectValue = false;
          continue;
        }
        if (text[i] !== '"' || !string()) return i;
        ws();
        if (text[i] !== ':') return i;
        i++;
        stack.push('object');
        continue;
      }
      if (c === '[') {
        i++;
        ws();
        if (text[i] === ']') {
          i++;
          expectValue = false;
          continue;
        }
        stack.push('array');
        continue;
      }
      const start = i;
      const ok =
        c === '"'
          ? string()
          : c === 't'
            ? literal('true')
            : c === 'f'
              ? literal('false')
              : c === 'n'
                ? literal('null')
                : number();
      if (!ok) return c === '"' ? Math.min(i, n) : start;
      expectValue = false;
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return i < n ? i : -1;
    const c = text[i];
    if (c === ',') {
      i++;
      if (top === 'object') {
        ws();
        if (text[i] !== '"' || !string()) return i;
        ws();
        if (text[i] !== ':') return i;
        i++;
      }
      expectValue = true;
      continue;
    }
    if ((top === 'object' && c === '}') || (top === 'array' && c === ']')) {
      i++;
      stack.pop();
      continue;
    }
    return i;
  }
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
