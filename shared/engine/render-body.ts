import type { TokenUse, Webhook } from '../model';
import { compileTemplate, type CompiledTemplate } from './compile';
import { sourceOffset } from './preparse';
import { identity, renderPart } from './render-part';
import { TEMPLATE_REF, type RenderedPart, type RenderState } from './render-state';

/** The payload template after the pre-parse, its tokens and the encoding; the body is what is sent of it. */
export interface RenderedBody {
  template: CompiledTemplate;
  /** The template rendered, before GET dropped it. */
  output: RenderedPart;
  body: string | null;
  uses: TokenUse[];
}

export function renderBody(webhook: Webhook, state: RenderState): RenderedBody {
  const template = compileTemplate(webhook.template);
  // Speed: docs/performance.md#engine (no iterator for the usual empty list before the code is optimised).
  if (template.pre.errors.length > 0) reportEscapes(template, state);
  const toSource = template.pre.escapeAt.length === 0 ? identity : (o: number): number => sourceOffset(template.pre, o);
  const output = renderPart(
    {
      compiled: template,
      ref: TEMPLATE_REF,
      source: webhook.template,
      encoding: webhook.encoding,
      toSource,
      scoped: false,
    },
    state,
  );
  const rendered: RenderedBody = {
    template,
    output,
    body: output.output === '' ? null : output.output,
    uses: output.uses,
  };
  if (webhook.method === 'GET' && webhook.template !== '' && templateOnGet(state) === 'drop') {
    rendered.body = null;
    rendered.uses = [];
  }
  return rendered;
}

/** The template's invalid escape sequences, as the pre-parse found them. */
function reportEscapes(template: CompiledTemplate, state: RenderState): void {
  for (const e of template.pre.errors) {
    state.diagnostics.push({
      severity: 'error',
      code: 'invalid-escape',
      message: e.message,
      location: { part: 'template', line: e.line, column: e.column, offset: e.offset, length: e.sequence.length },
    });
  }
}

/** Marketo permits a template only with POST, PUT, PATCH and DELETE: what the profile does with one on a GET. */
function templateOnGet(state: RenderState): 'drop' | 'send' {
  const pu = state.profile;
  pu.use('templateOnGet');
  const drop = pu.profile.templateOnGet === 'drop';
  state.diagnostics.push({
    severity: 'warning',
    code: 'template-on-get',
    message: drop
      ? 'a GET sends no body: Marketo permits templates only for POST, PUT, PATCH and DELETE, so the template is dropped'
      : 'a GET with a body: Marketo permits templates only for POST, PUT, PATCH and DELETE; the profile sends it anyway',
    location: { part: 'template' },
    assumed: pu.isAssumed('templateOnGet') ? ['templateOnGet'] : undefined,
  });
  return drop ? 'drop' : 'send';
}
