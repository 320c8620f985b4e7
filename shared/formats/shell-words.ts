/** Splitting a shell command line into words, as a POSIX shell (and bash's `$'…'`) would. */

type ShellWords = { ok: true; words: string[] } | { ok: false; message: string };

/** A piece of a word and where reading goes on, or why the line cannot be split. */
type Piece = { ok: true; text: string; next: number } | { ok: false; message: string };

/** The backslash escapes of `$'…'` that stand for one character. */
const ansiCEscapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\u0007',
  b: '\b',
  e: '\u001b',
  f: '\f',
  v: '\v',
};

/** `'…'` from its opening quote at `i`: every character as written. */
function singleQuoted(text: string, i: number): Piece {
  const end = text.indexOf("'", i + 1);
  if (end < 0) return { ok: false, message: `unterminated single quote at character ${i + 1}` };
  return { ok: true, text: text.slice(i + 1, end), next: end + 1 };
}

/** `$'…'` from its `$` at `i`: backslash escapes, `\xHH` and `\uHHHH` as bash reads them. */
function ansiCQuoted(text: string, i: number): Piece {
  let j = i + 2;
  let out = '';
  for (; j < text.length && text[j] !== "'"; j++) {
    if (text[j] === '\\' && j + 1 < text.length) {
      const e = text.charAt(j + 1);
      if (e === 'x' || e === 'u') {
        const digits = e === 'x' ? /^[0-9a-fA-F]{1,2}/ : /^[0-9a-fA-F]{1,4}/;
        const hex = digits.exec(text.slice(j + 2))?.[0] ?? '';
        out += String.fromCharCode(parseInt(hex || '0', 16));
        j += 1 + hex.length;
      } else {
        out += ansiCEscapes[e] ?? `\\${e}`;
        j++;
      }
    } else out += text.charAt(j);
  }
  if (j >= text.length) return { ok: false, message: `unterminated $'…' quote at character ${i + 1}` };
  return { ok: true, text: out, next: j + 1 };
}

/** `"…"` from its opening quote at `i`: a backslash escapes only `"`, `\`, `$`, a backquote and a line break. */
function doubleQuoted(text: string, i: number): Piece {
  let j = i + 1;
  let out = '';
  for (; j < text.length && text[j] !== '"'; j++) {
    if (text[j] === '\\' && ['"', '\\', '$', '`', '\n'].includes(text[j + 1] ?? '')) {
      if (text[j + 1] !== '\n') out += text.charAt(j + 1);
      j++;
    } else out += text.charAt(j);
  }
  if (j >= text.length) return { ok: false, message: `unterminated double quote at character ${i + 1}` };
  return { ok: true, text: out, next: j + 1 };
}

/** The piece of a word that starts at `i` (not a blank, not a line continuation). */
function pieceAt(text: string, i: number): Piece {
  const c = text.charAt(i);
  if (c === "'") return singleQuoted(text, i);
  if (c === '$' && text[i + 1] === "'") return ansiCQuoted(text, i);
  if (c === '"') return doubleQuoted(text, i);
  if (c === '\\' && i + 1 < text.length) return { ok: true, text: text.charAt(i + 1), next: i + 2 };
  return { ok: true, text: c, next: i + 1 };
}

/** Splits a shell command line into words: quotes, backslashes, `$'…'` and line continuations. */
export function shellWords(text: string): ShellWords {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
      continue;
    }
    const piece = pieceAt(text, i);
    if (!piece.ok) return piece;
    word = (word ?? '') + piece.text;
    i = piece.next;
  }
  if (word !== undefined) words.push(word);
  return { ok: true, words };
}
