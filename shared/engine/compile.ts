import { preparseTemplate, type Preparsed } from './preparse';
import { scanTokens, type ScannedToken } from './tokens';
import { utf8Length } from './text';

/** A part of the webhook (URL, template, a header name or value) split into literal text and tokens once. */
export interface CompiledText {
  /** The text tokens were scanned in (for the template: after the pre-parse). */
  text: string;
  tokens: ScannedToken[];
  /** literals[i] precedes tokens[i]; one more literal than tokens. */
  literals: string[];
  /** UTF-8 byte length of all literals together, so Content-Length only measures token values. */
  literalBytes: number;
}

export interface CompiledTemplate extends CompiledText {
  pre: Preparsed;
}

function compileText(text: string): CompiledText {
  const tokens = scanTokens(text);
  const literals: string[] = [];
  let from = 0;
  for (const t of tokens) {
    literals.push(text.slice(from, t.start));
    from = t.end;
  }
  literals.push(text.slice(from));
  let literalBytes = 0;
  for (const l of literals) literalBytes += utf8Length(l);
  return { text, tokens, literals, literalBytes };
}

// Speed: docs/performance.md#engine (each distinct text is scanned once).
const CACHE_LIMIT = 256;
const textCache = new Map<string, CompiledText>();
const templateCache = new Map<string, CompiledTemplate>();

function store<T>(cache: Map<string, T>, key: string, v: T): T {
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, v);
  return v;
}

// A hit is one lookup, with no closure made per call (a run compiles the same texts for every lead).
export function compile(text: string): CompiledText {
  return textCache.get(text) ?? store(textCache, text, compileText(text));
}

export function compileTemplate(template: string): CompiledTemplate {
  const known = templateCache.get(template);
  if (known !== undefined) return known;
  const pre = preparseTemplate(template);
  return store(templateCache, template, { ...compileText(pre.text), pre });
}

/** A text taken as written (a secret header's value): no tokens, not cached. */
export function literalText(text: string): CompiledText {
  return { text, tokens: [], literals: [text], literalBytes: utf8Length(text) };
}
