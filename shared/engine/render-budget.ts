import type { Location } from '../model';
import { describePart, type PartRef, type RenderedPart, type RenderState } from './render-state';

/**
 * Takes a rendered part's bytes from the request's budget (profile maxRenderedBytes). A part over it is
 * left empty and reported once, as an error, so the request is not sent (and `render` does not print
 * hundreds of megabytes).
 */
export function spend(state: RenderState, ref: PartRef, part: RenderedPart): RenderedPart {
  if (part.bytes <= state.budget) {
    state.budget -= part.bytes;
    return part;
  }
  if (state.tooLarge === undefined) {
    state.tooLarge = ref;
    reportTooLarge(state, ref, part.bytes);
  }
  state.budget = 0;
  return { output: '', uses: part.uses, bytes: 0 };
}

function reportTooLarge(state: RenderState, ref: PartRef, bytes: number): void {
  const pu = state.profile;
  pu.use('maxRenderedBytes');
  const limit = pu.profile.maxRenderedBytes;
  const location: Location = { part: ref.part };
  if (ref.part === 'header') {
    location.index = ref.index;
    location.field = ref.field;
  }
  state.diagnostics.push({
    severity: 'error',
    code: 'rendered-too-large',
    message: `the request would be larger than ${limit} bytes (profile maxRenderedBytes): ${describePart(ref)} passed the limit at ${bytes} bytes and was not built further, so nothing is sent`,
    location,
    assumed: pu.isAssumed('maxRenderedBytes') ? ['maxRenderedBytes'] : undefined,
  });
}
