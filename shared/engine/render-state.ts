import type { Diagnostic, Location, ProfileOption, TokenUse } from '../model';
import type { UseOption } from './encode';
import type { ProfileUse } from './profile-use';
import type { Resolver } from './resolve';
import { lineColumn } from './text';

/** Which part of the webhook is being rendered: the URL, the template, or one header's name or value. */
export type PartRef =
  { part: 'url' } | { part: 'template' } | { part: 'header'; index: number; field: 'name' | 'value' };
export const URL_REF: PartRef = { part: 'url' };
export const TEMPLATE_REF: PartRef = { part: 'template' };
/** The uses of every part of a render without token uses; never added to. */
export const NO_USES: TokenUse[] = [];

/** What rendering one part produced, with the spans needed to map output positions back to the source. */
export interface RenderedPart {
  output: string;
  uses: TokenUse[];
  /** UTF-8 byte length of the output. */
  bytes: number;
}

/** Where a secret My Token landed in one rendered part (UTF-16 offsets in that part's output). */
export interface TokenSecretSpan {
  ref: PartRef;
  start: number;
  end: number;
  name: string;
}

/** What one render carries from part to part. */
export interface RenderState {
  profile: ProfileUse;
  resolver: Resolver;
  diagnostics: Diagnostic[];
  /** Records an option for the whole render and for the token being rendered. */
  useForToken: UseOption;
  /** The options the current token's output rests on. */
  tokenAssumed: ProfileOption[] | undefined;
  /** Build the TokenUse of each token (see EngineOptions.tokenUses). */
  keepUses: boolean;
  /** Bytes the rest of the request may still take (profile maxRenderedBytes), shared by every part. */
  budget: number;
  /** The part that went over the budget; its rendering stopped there. */
  tooLarge: PartRef | undefined;
  /** Where secret My Tokens landed, per part; undefined until the first one. */
  secretSpans: TokenSecretSpan[] | undefined;
}

/** Where a span of a part's source is; in the template also as line and column. */
export function locationFor(ref: PartRef, source: string, offset: number, length: number): Location {
  const loc: Location = { part: ref.part, offset, length };
  if (ref.part === 'header') {
    loc.index = ref.index;
    loc.field = ref.field;
  }
  if (ref.part === 'template') {
    const { line, column } = lineColumn(source, offset);
    loc.line = line;
    loc.column = column;
  }
  return loc;
}

export function describePart(ref: PartRef): string {
  if (ref.part === 'header') return `header ${ref.index + 1} ${ref.field}`;
  return ref.part === 'url' ? 'the URL' : 'the template';
}
