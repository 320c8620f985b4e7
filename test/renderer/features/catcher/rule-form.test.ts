import { describe, expect, it } from 'vitest';
import { checkForm, formOf, ruleSummary } from '@renderer/features/catcher/rule-form';
import { catcherPresets } from '@renderer/features/catcher/presets';
import { catcherRuleSchema } from '@shared/model';

describe('the catcher rule form', () => {
  it('gives back the rule it was made from, for every preset', () => {
    for (const { label, rule } of catcherPresets) {
      expect(catcherRuleSchema.safeParse(rule).success, label).toBe(true);
      expect(checkForm(formOf(rule)), label).toEqual({ ok: true, rule });
    }
  });

  it('leaves blank fields out, upper-cases the method and reads typed numbers', () => {
    const form = { ...formOf({}), method: 'post', path: ' /leads* ', status: '429', delayMs: '31000' };
    expect(checkForm({ ...form, rateRequests: '2', rateWindowMs: '60000' })).toEqual({
      ok: true,
      rule: {
        method: 'POST',
        path: '/leads*',
        status: 429,
        delayMs: 31000,
        rateLimit: { requests: 2, windowMs: 60000 },
      },
    });
  });

  it("says the schema's message at each wrong field", () => {
    const form = {
      ...formOf({}),
      status: '42',
      path: 'leads',
      delayMs: 'soon',
      headers: [{ name: 'Bad Name', value: 'v' }],
      rateWindowMs: '60000',
    };
    expect(checkForm(form)).toEqual({
      ok: false,
      problems: {
        path: 'a path starts with /',
        status: 'a status is from 100 to 599',
        'headers.0.name': "a header name is letters, digits and !#$%&'*+-.^_`|~",
        delayMs: 'a delay is a whole number of milliseconds',
        rateRequests: 'a rate limit needs a number of requests (1 or more)',
      },
    });
  });

  it('sums a rule up in a line', () => {
    expect(ruleSummary(formOf(catcherPresets[0]!.rule))).toBe('Not Found · 1 header(s) · {"error":"not found"}');
    expect(ruleSummary(formOf({}))).toBe('empty body');
  });
});
