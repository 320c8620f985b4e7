import { describe, expect, it } from 'vitest';
import { EditorState } from '@codemirror/state';
import { CompletionContext } from '@codemirror/autocomplete';
import { tokenCompletionSource, tokenNames } from '@renderer/editor/token-completions';
import { defaultFieldCatalog } from '@shared/catalog';
import { context } from '../fixtures';

const ctx = { ...context('c'), my: { 'API Region': { type: 'text' as const, value: 'eu' }, Discount: 10 } };

describe('token names', () => {
  it('offers catalog fields with their types for lead tokens, and the context’s My Tokens with theirs', () => {
    const lead = tokenNames('lead', defaultFieldCatalog, ctx);
    expect(lead).toContainEqual({ name: 'Email Address', detail: 'email' });
    expect(tokenNames('my', defaultFieldCatalog, ctx)).toEqual([
      { name: 'API Region', detail: 'My Token · text' },
      { name: 'Discount', detail: 'My Token · number' },
    ]);
    expect(tokenNames('system', defaultFieldCatalog, ctx).map((t) => t.name)).toEqual(['date', 'time', 'dateTime']);
  });
});

describe('completion in the editor', () => {
  function complete(doc: string) {
    const state = EditorState.create({ doc });
    const source = tokenCompletionSource(() => ({ fields: defaultFieldCatalog, context: ctx }));
    return source(new CompletionContext(state, doc.length, false));
  }

  it('completes namespaces after {{ and names after the dot, closing the token', () => {
    expect(complete('x {{le')?.options.map((o) => o.label)).toContain('lead.');
    const r = complete('{"a": {{my.API');
    expect(r?.from).toBe('{"a": {{my.'.length);
    expect(r?.options.find((o) => o.label === 'API Region')?.apply).toBe('API Region}}');
  });

  it('stays quiet outside a token', () => {
    expect(complete('{"a": 1')).toBeNull();
  });
});
