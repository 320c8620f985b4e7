import { describe, expect, it } from 'vitest';
import { computePreview } from '@renderer/lib/use-preview';
import { defaultFieldCatalog } from '@shared/catalog';
import { context, webhook } from '../fixtures';

describe('the live preview diagnostics (issue 15)', () => {
  it('says each problem once, errors before warnings', () => {
    const w = webhook('W', {
      template: 'x={{program.Name}}',
      encoding: 'form-url',
      mappings: [{ attribute: 'a..b', field: 'Title' }],
    });
    const p = computePreview(w, context('C'), defaultFieldCatalog, {});
    const atToken = p.diagnostics.filter(
      (d) => d.location?.part === 'template' && d.location.offset === 2 && d.severity === 'warning',
    );
    expect(atToken.map((d) => d.code)).toEqual(['token-out-of-scope']);
    const ranks = p.diagnostics.map((d) => ({ error: 0, warning: 1, info: 2 })[d.severity]);
    expect(ranks[0]).toBe(0);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(p.rendered?.body).toBe('x=');
  });
});
