/** The limits and checks every document (YAML or JSON) passes before and after it is parsed. */

import type { FileProblem } from '../model';

/** Bounds that keep a hostile or mistaken file from exhausting memory or the stack. */
export const documentLimits = { maxBytes: 5 * 1024 * 1024, maxAliasCount: 100, maxDepth: 64 } as const;

/** Rough UTF-8 size without encoding the text (each UTF-16 unit is at most 3 bytes). */
function byteSize(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 || (c >= 0xdc00 && c <= 0xdfff) ? 2 : 3;
  }
  return n;
}

/**
 * The deepest `[`/`{` nesting outside quoted strings, checked before parsing: the YAML composer recurses
 * per level, so a file of 100 000 `[` would exhaust the stack before any other check could run.
 */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 92 && quote === 34) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 34 || (c === 39 && i > 0 && /[\s[{,:]/.test(text[i - 1] ?? ''))) quote = c;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
  return max;
}

/** Nesting depth of a plain value, without recursion. */
export function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: unknown; d: number };
    if (d > max) max = d;
    if (v !== null && typeof v === 'object')
      for (const child of Object.values(v as Record<string, unknown>)) stack.push({ v: child, d: d + 1 });
  }
  return max;
}

/** A document nested deeper than the limit, however that was found. */
export const tooDeep = {
  code: 'too-deep',
  message: `the file nests deeper than ${documentLimits.maxDepth} levels`,
} as const;

/** Why a document is refused before it is parsed (size, content, text, nesting), or undefined. */
export function refusalOf(body: string): { code: string; message: string } | undefined {
  if (byteSize(body) > documentLimits.maxBytes)
    return { code: 'file-too-large', message: `the file is larger than ${documentLimits.maxBytes / 1024 / 1024} MiB` };
  if (body.trim() === '') return { code: 'empty-file', message: 'the file is empty' };
  const nul = body.indexOf('\u0000');
  // Counting C0 control characters is how a binary file is told from text.
  // eslint-disable-next-line no-control-regex -- the control characters are what is being counted
  const controls = body.match(/[\u0000-\u0008\u000e-\u001f]/g)?.length ?? 0;
  if (nul >= 0 || controls > 8) return { code: 'binary-file', message: 'the file is binary, not YAML or JSON text' };
  if (flowDepth(body) > documentLimits.maxDepth) return tooDeep;
  return undefined;
}

/** `file:line:column: message` for one problem, as the CLI and logs print it. */
export function formatFileProblem(p: FileProblem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return `${where}: ${p.message}`;
}
