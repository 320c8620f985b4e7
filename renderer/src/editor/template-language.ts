import { Language, LanguageSupport } from '@codemirror/language';
import { jsonLanguage } from '@codemirror/lang-json';
import { Parser, TreeFragment, type Input, type PartialParse } from '@lezer/common';
import { scanTokens } from '@shared/engine/tokens';

// Speed: docs/performance.md#keystroke-to-preview
// A JSON template holds Marketo tokens where values go (`"email": {{lead.Email Address}}`). To a JSON
// parser each is an error, and CodeMirror reparses on every keystroke: error recovery at every token
// made that parse the largest part of a keystroke in a template of many tokens, and a region with
// errors is not reused by the next parse. The parser here sees each token as a number of the same
// length (`1111…`), which is a value outside a string and plain characters inside one, so the tree
// has no errors, positions are unchanged, and an edit reparses only around itself.

/** The template as the JSON parser reads it: every token replaced by as many `1`s. */
export function maskTokens(text: string): string {
  const tokens = scanTokens(text);
  if (tokens.length === 0) return text;
  let out = '';
  let at = 0;
  for (const t of tokens) {
    out += text.slice(at, t.start) + '1'.repeat(t.end - t.start);
    at = t.end;
  }
  return out + text.slice(at);
}

/** A string as a parser's input. */
class TextInput implements Input {
  readonly lineChunks = false;
  constructor(private readonly text: string) {}
  get length(): number {
    return this.text.length;
  }
  chunk(from: number): string {
    return this.text.slice(from);
  }
  read(from: number, to: number): string {
    return this.text.slice(from, to);
  }
}

/**
 * The old tree is reused only on lines no edit touched. Masking works line by line (a token never spans
 * lines), but an edit can make or unmake a token that starts before it on the same line; the parser's
 * own margin around an edit is shorter than a token can be.
 */
function wholeLines(fragments: readonly TreeFragment[], text: string): TreeFragment[] {
  const kept: TreeFragment[] = [];
  for (const f of fragments) {
    const from = f.openStart ? lineEndAfter(text, f.from) : f.from;
    const to = f.openEnd ? text.lastIndexOf('\n', f.to - 1) + 1 : f.to;
    if (from < to) kept.push(new TreeFragment(from, to, f.tree, f.offset, f.openStart, f.openEnd));
  }
  return kept;
}

function lineEndAfter(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl;
}

/** The JSON parser reading the masked template. */
class TokenTolerantParser extends Parser {
  constructor(private readonly inner: Parser) {
    super();
  }
  createParse(
    input: Input,
    fragments: readonly TreeFragment[],
    ranges: readonly { from: number; to: number }[],
  ): PartialParse {
    const text = input.read(0, input.length);
    return this.inner.createParse(new TextInput(maskTokens(text)), wholeLines(fragments, text), ranges);
  }
}

/** JSON for templates: highlighting, folding and indentation as JSON, tokens read as values. */
const templateJsonLanguage = new Language(jsonLanguage.data, new TokenTolerantParser(jsonLanguage.parser), [], 'json');

export function templateJson(): LanguageSupport {
  return new LanguageSupport(templateJsonLanguage);
}
