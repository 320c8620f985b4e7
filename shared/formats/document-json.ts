/**
 * The JSON fast path of the document reader: a webhook, context or catalog saved as JSON is read with
 * JSON.parse instead of the YAML composer. It only answers where YAML (1.2, which contains JSON) would
 * read the same value; everything else is left to YAML, which reports problems at their line and column.
 */

import type { z } from 'zod';
import { depthOf, documentLimits, refusalOf } from './document-checks';

/** The end of the JSON string that opens at `start` (the index of its closing quote); the text is valid JSON. */
function stringEnd(text: string, start: number): { end: number; escaped: boolean } {
  let escaped = false;
  let i = start + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      escaped = true;
      i += 2;
    } else if (c === 34) return { end: i, escaped };
    else i++;
  }
}

/**
 * Whether a mapping of the (valid) JSON text names a key twice. JSON.parse keeps the last silently;
 * YAML reports 'a key appears twice' at the second one, so such a file goes through YAML.
 */
export function hasDuplicateKey(text: string): boolean {
  // One entry per open bracket: the keys seen so far in a mapping, undefined for a list.
  const open: Array<Set<string> | undefined> = [];
  let keyNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const { end, escaped } = stringEnd(text, i);
      const keys = open[open.length - 1];
      if (keyNext && keys) {
        const key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        if (keys.has(key)) return true;
        keys.add(key);
        keyNext = false;
      }
      i = end;
    } else if (c === 123) {
      open.push(new Set());
      keyNext = true;
    } else if (c === 91) {
      open.push(undefined);
      keyNext = false;
    } else if (c === 125 || c === 93) open.pop();
    else if (c === 44) keyNext = open[open.length - 1] !== undefined;
  }
  return false;
}

/** A carriage return not followed by a line feed: JSON whitespace, but a line break YAML reads differently. */
const LONE_CR = /\r(?!\n)/;

/**
 * The value of a text that is a JSON object or list, read exactly as YAML would read it; undefined for
 * any other text (YAML, JSON with a syntax error, a duplicate key, a lone carriage return).
 */
export function parsedJson(body: string): { value: unknown } | undefined {
  const first = body.trimStart().charCodeAt(0);
  if (first !== 123 && first !== 91) return undefined;
  if (LONE_CR.test(body)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (hasDuplicateKey(body)) return undefined;
  return { value };
}

/**
 * The value of a JSON document that is valid as it stands: a JSON object YAML would read the same, within
 * the document limits, that `schema` accepts. Undefined for anything else, which the full reader
 * (documents.ts) then reports, at its line and column. Reading a valid webhook file takes neither YAML
 * nor the code that places problems.
 */
export function validJsonDocument<S extends z.ZodType>(schema: S, text: string): z.output<S> | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (refusalOf(body)) return undefined;
  const json = parsedJson(body);
  if (!json) return undefined;
  const { value } = json;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (depthOf(value) > documentLimits.maxDepth) return undefined;
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}
