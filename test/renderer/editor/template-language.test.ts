import { describe, expect, it } from 'vitest';
import { EditorState } from '@codemirror/state';
import { ensureSyntaxTree, syntaxTree } from '@codemirror/language';
import type { Tree } from '@lezer/common';
import { maskTokens, templateJson } from '@renderer/editor/template-language';

const template = [
  '{',
  '  "email": {{lead.Email Address}},',
  '  "greeting": "Hello {{lead.First Name:default=Friend}}!",',
  '  "company": {{company.Company Name}},',
  '  "tags": [{{my.Tag}}, "b"]',
  '}',
].join('\n');

function stateOf(doc: string): EditorState {
  return EditorState.create({ doc, extensions: [templateJson()] });
}

function fullTree(state: EditorState): Tree {
  const tree = ensureSyntaxTree(state, state.doc.length, 5000);
  if (!tree) throw new Error('the template did not parse in time');
  return tree;
}

function errors(tree: Tree): number {
  let n = 0;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) n++;
    },
  });
  return n;
}

/** The tree as a string of node names and places, to compare an incremental parse with a fresh one. */
function shape(tree: Tree): string {
  const out: string[] = [];
  tree.iterate({ enter: (node) => void out.push(`${node.name}@${node.from}-${node.to}`) });
  return out.join(' ');
}

describe('template JSON language', () => {
  it('masks each Marketo token as a number of the same length and leaves the rest alone', () => {
    const masked = maskTokens(template);
    expect(masked).toHaveLength(template.length);
    const ones = (token: string) => '1'.repeat(token.length);
    expect(masked).toContain(`"email": ${ones('{{lead.Email Address}}')},`);
    expect(masked).toContain(`"greeting": "Hello ${ones('{{lead.First Name:default=Friend}}')}!"`);
    expect(maskTokens('{{leed.Email}} {{lead.Bad{x}}')).toBe('{{leed.Email}} {{lead.Bad{x}}');
  });

  it('parses a template with tokens as values, without error recovery', () => {
    const tree = fullTree(stateOf(template));
    expect(errors(tree)).toBe(0);
    // A token outside a string is a value of its property; inside a string it is part of the string.
    const at = template.indexOf('{{lead.Email Address}}');
    expect(tree.resolveInner(at + 3, 1).name).toBe('Number');
    const inString = template.indexOf('{{lead.First Name');
    expect(tree.resolveInner(inString + 3, 1).name).toBe('String');
  });

  it('an edit that makes or unmakes a token gives the same tree as parsing the new text afresh', () => {
    let state = stateOf(template);
    fullTree(state);
    const edits: { from: number; to?: number; insert: string }[] = [
      // Completes `{{company.Company Name}}` into a longer token from its far end.
      { from: template.indexOf('Company Name}}') + 'Company Name'.length, insert: ' And Division' },
      // Breaks the first token by deleting one closing brace, then types it back.
      { from: template.indexOf('Address}}') + 'Address'.length, to: template.indexOf('Address}}') + 8, insert: '' },
      { from: template.indexOf('Address}}') + 'Address'.length, insert: '}' },
      // A plain keystroke inside a string.
      { from: template.indexOf('Hello') + 5, insert: 'a' },
    ];
    for (const e of edits) {
      state = state.update({ changes: { from: e.from, to: e.to ?? e.from, insert: e.insert } }).state;
      expect(shape(fullTree(state))).toBe(shape(fullTree(stateOf(state.doc.toString()))));
    }
    expect(errors(syntaxTree(state))).toBe(0);
  });
});
