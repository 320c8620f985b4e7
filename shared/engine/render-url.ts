import type { TokenUse, Webhook } from '../model';
import { compile } from './compile';
import type { ProfileUse } from './profile-use';
import { identity, outputToSource, renderPart, usesOf, type PartSource } from './render-part';
import { URL_REF, type RenderedPart, type RenderState } from './render-state';
import { splitUrl, type SplitUrl, type SplitUrlDiagnostic } from './url';

/** The URL after its tokens, and what splitting it into origin and request target gave. */
export interface RenderedUrl {
  part: RenderedPart;
  split: SplitUrl;
}

/** Renders the URL (its tokens encoded as the profile's encodingScope says) and splits off the request target. */
export function renderUrl(webhook: Webhook, state: RenderState): RenderedUrl {
  const pu = state.profile;
  const profile = pu.profile;
  const encoding = webhook.encoding;
  const part: PartSource = {
    compiled: compile(webhook.url),
    ref: URL_REF,
    source: webhook.url,
    encoding: profile.encodingScope === 'body' ? 'none' : encoding,
    toSource: identity,
    scoped: encoding !== 'none',
  };
  const rendered = renderPart(part, state);
  const split = splitUrl(rendered.output, profile, pu);
  // A lean render finds the URL's token uses again only when a diagnostic needs positions from them.
  const uses = state.keepUses || split.diagnostics.length === 0 ? rendered.uses : usesOf(part, state);
  // Indexed loops on the per-lead path: a for-of costs an iterator before the code is optimised.
  const found = split.diagnostics;
  for (let i = 0; i < found.length; i++)
    state.diagnostics.push(urlDiagnostic(found[i] as SplitUrlDiagnostic, uses, pu));
  return { part: rendered, split };
}

/** A diagnostic of the rendered URL, placed in the URL as written and keeping only the options really assumed. */
function urlDiagnostic(d: SplitUrlDiagnostic, uses: TokenUse[], pu: ProfileUse): SplitUrlDiagnostic['diagnostic'] {
  const diagnostic = { ...d.diagnostic };
  const assumed = diagnostic.assumed?.filter((o) => pu.isAssumed(o));
  if (assumed && assumed.length > 0) diagnostic.assumed = assumed;
  else delete diagnostic.assumed;
  if (d.at) {
    const start = outputToSource(uses, d.at.offset);
    const end = outputToSource(uses, d.at.offset + d.at.length, true);
    diagnostic.location = { part: 'url', offset: start, length: Math.max(0, end - start) };
  }
  return diagnostic;
}
