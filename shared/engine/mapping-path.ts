// Marketo's Response Attribute grammar (spec §4, DEV-RM): keys of letters, digits, `-`, `_`, `:` and
// whitespace, joined by `.`, each optionally followed by integer indexes `[n]`. Nothing else: no
// quotes, no wildcards, no filters.

export type PathStep = { key: string } | { index: number };
export type ParsedPath = { ok: true; steps: PathStep[] } | { ok: false; message: string; column: number };

function isKeyChar(ch: string): boolean {
  return /^[\p{L}\p{N}\-_:\s]$/u.test(ch);
}

export function parseMappingPath(path: string): ParsedPath {
  const fail = (message: string, index: number): ParsedPath => ({ ok: false, message, column: index + 1 });
  if (path.trim() === '') return fail('the response attribute is empty', 0);
  const steps: PathStep[] = [];
  let i = 0;
  let segmentStart = true;
  while (i <= path.length) {
    if (segmentStart) {
      let key = '';
      const keyStart = i;
      while (i < path.length) {
        const ch = String.fromCodePoint(path.codePointAt(i) ?? 0);
        if (ch === '.' || ch === '[') break;
        if (!isKeyChar(ch)) {
          const quoteHint = ch === '"' || ch === "'" ? ' (Marketo accepts only integer indexes, not quoted names)' : '';
          return fail(
            `'${ch}' at column ${i + 1} cannot be part of a key: keys hold only letters, digits, '-', '_', ':' and spaces${quoteHint}`,
            i,
          );
        }
        key += ch;
        i += ch.length;
      }
      if (key !== '') {
        if (key.trim() === '') return fail(`a key at column ${keyStart + 1} is only whitespace`, keyStart);
        steps.push({ key });
      } else if (!(steps.length === 0 && path[i] === '[')) {
        return fail(
          i >= path.length
            ? `the path ends with '.' at column ${i}: a key is missing`
            : `a key is missing at column ${i + 1}`,
          i,
        );
      }
      segmentStart = false;
    }
    if (i >= path.length) break;
    const ch = path[i];
    if (ch === '.') {
      i++;
      segmentStart = true;
      if (i >= path.length) return fail(`the path ends with '.' at column ${i}: a key is missing`, i - 1);
      continue;
    }
    if (ch === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) return fail(`'[' at column ${i + 1} is never closed`, i);
      const inner = path.slice(i + 1, close);
      if (!/^\d+$/.test(inner)) {
        return fail(
          `'[${inner}]' at column ${i + 1} is not an array index: Marketo accepts only non-negative integers in brackets`,
          i,
        );
      }
      steps.push({ index: Number(inner) });
      i = close + 1;
      if (i < path.length && path[i] !== '.' && path[i] !== '[')
        return fail(`'${path[i]}' at column ${i + 1}: expected '.' or '[' after ']'`, i);
      continue;
    }
    return fail(`unexpected '${ch}' at column ${i + 1}`, i);
  }
  return { ok: true, steps };
}

/**
 * The Response Attribute that reaches a value in a parsed response tree, for "Map to lead field…".
 * For XML the segments start with the root element (Marketo requires it); numbers become `[n]`.
 */
export function marketoPathFor(
  segments: Array<string | number>,
  responseType: 'json' | 'xml',
): { path: string; reachable: boolean; reason?: string } {
  let path = '';
  let reachable = true;
  let reason: string | undefined;
  segments.forEach((s, i) => {
    if (typeof s === 'number') {
      path += `[${s}]`;
      if (i === 0 && responseType === 'json' && reachable) {
        reason =
          'the response is a JSON array at its root; whether Marketo accepts a path starting with [n] is not documented (profile option jsonRootArray)';
      }
      return;
    }
    if (i > 0) path += '.';
    path += s;
    if (!reachable) return;
    if (s === '') {
      reachable = false;
      reason = 'an empty key cannot be written in a Marketo path';
    } else if (s.trim() === '') {
      reachable = false;
      reason = `the key '${s}' is only whitespace`;
    } else {
      for (const ch of s) {
        if (!isKeyChar(ch)) {
          reachable = false;
          reason = `the key '${s}' holds '${ch}': Marketo paths reach only keys of letters, digits, '-', '_', ':' and spaces`;
          break;
        }
      }
    }
  });
  if (responseType === 'xml' && segments.length > 0 && typeof segments[0] === 'number') {
    reachable = false;
    reason = 'an XML path starts with the root element';
  }
  const result: { path: string; reachable: boolean; reason?: string } = { path, reachable };
  if (reason !== undefined) result.reason = reason;
  return result;
}
