import { lineColumn } from './text';

const escapes: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '\\': '\\', '"': '"', "'": "'" };

export interface PreparseError {
  /** Offset, 1-based line and column of the backslash in the template as written. */
  offset: number;
  line: number;
  column: number;
  sequence: string;
  message: string;
}

export interface Preparsed {
  text: string;
  errors: PreparseError[];
  /** Output offsets at which an escape (two source characters) produced one character. */
  escapeAt: number[];
}

/**
 * Marketo runs the template through a Scala string parser before sending (spec §3.1): exactly eight
 * escapes become their characters, any other backslash sequence is an error. An invalid sequence is kept
 * as written in the preview so the person sees where it is.
 */
export function preparseTemplate(template: string): Preparsed {
  if (!template.includes('\\')) return { text: template, errors: [], escapeAt: [] };
  let out = '';
  const errors: PreparseError[] = [];
  const escapeAt: number[] = [];
  let from = 0;
  for (;;) {
    const at = template.indexOf('\\', from);
    if (at < 0) break;
    out += template.slice(from, at);
    const next = template[at + 1];
    const replacement = next === undefined ? undefined : escapes[next];
    if (replacement !== undefined) {
      escapeAt.push(out.length);
      out += replacement;
    } else {
      const sequence = next === undefined ? '\\' : `\\${String.fromCodePoint(template.codePointAt(at + 1) ?? 0)}`;
      const { line, column } = lineColumn(template, at);
      errors.push({
        offset: at,
        line,
        column,
        sequence,
        message:
          next === undefined
            ? `the template ends with a lone backslash (line ${line}, column ${column}); Marketo rejects it. Write \\\\ for a literal backslash`
            : `'${sequence}' at line ${line}, column ${column} is not one of Marketo's 8 escapes (\\b \\t \\n \\f \\r \\\\ \\" \\'); Marketo rejects the template. Write \\${sequence} to send '${sequence}'`,
      });
      out += sequence;
    }
    from = next === undefined ? at + 1 : at + 1 + ((template.codePointAt(at + 1) ?? 0) > 0xffff ? 2 : 1);
  }
  out += template.slice(from);
  return { text: out, errors, escapeAt };
}

/** Maps an offset in the pre-parsed template back to the template as written. */
export function sourceOffset(pre: Preparsed, outOffset: number): number {
  let shift = 0;
  for (const at of pre.escapeAt) {
    if (at < outOffset) shift++;
    else break;
  }
  return outOffset + shift;
}
