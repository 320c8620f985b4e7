import { describe, expect, it } from 'vitest';
import { markedSegments } from '@renderer/features/preview/PreviewPane';
import { filterCommands } from '@renderer/features/palette/CommandPalette';
import { coerceForType } from '@renderer/features/context/token-values';
import { templateLanguage, templateMarks } from '@renderer/features/webhook/WebhookEditor';
import { visibleWindow } from '@renderer/features/response/VirtualList';
import { byDisplayName, groupByFolder } from '@renderer/components/Sidebar';
import type { TokenUse } from '@shared/model';
import { webhook } from '../fixtures';

const use = (outputStart: number, outputEnd: number): TokenUse => ({
  part: 'template',
  text: '{{lead.X}}',
  namespace: 'lead',
  name: 'X',
  resolved: true,
  usedDefault: false,
  value: 'v',
  encoded: '"v"',
  sourceStart: 0,
  sourceEnd: 10,
  outputStart,
  outputEnd,
});

describe('preview marks', () => {
  it('cuts the body at each token value, skipping overlapping or out-of-range spans', () => {
    const segs = markedSegments('{"a": "v", "b": "w"}', [
      { start: 16, end: 19, use: use(16, 19) },
      { start: 6, end: 9, use: use(6, 9) },
      { start: 7, end: 8, use: use(7, 8) },
      { start: 30, end: 40, use: use(30, 40) },
    ]);
    expect(segs.map((s) => (typeof s === 'string' ? s : `[${s.text}]`)).join('')).toBe('{"a": ["v"], "b": ["w"]}');
  });
});

describe('command palette filter', () => {
  const cmds = ['Send webhook', 'Open webhook: Send SMS', 'Use context: Tricky lead'].map((title) => ({
    id: title,
    title,
    run: () => undefined,
  }));
  it('matches every word in any order, case-insensitively', () => {
    expect(filterCommands(cmds, 'sms OPEN').map((c) => c.title)).toEqual(['Open webhook: Send SMS']);
    expect(filterCommands(cmds, 'send').map((c) => c.title)).toEqual(['Send webhook', 'Open webhook: Send SMS']);
    expect(filterCommands(cmds, '')).toHaveLength(3);
  });
});

describe('context values', () => {
  it('keeps numbers and Booleans typed for their field type, text as typed', () => {
    expect(coerceForType('42', 'integer')).toBe(42);
    expect(coerceForType('4x', 'integer')).toBe('4x');
    expect(coerceForType('true', 'boolean')).toBe(true);
    expect(coerceForType('007', 'string')).toBe('007');
    expect(coerceForType('12.5', 'number')).toBe(12.5);
    expect(coerceForType('', 'integer')).toBe('');
  });
});

describe('webhook editor helpers', () => {
  it('picks the template language from Content-Type, else from its first character', () => {
    expect(
      templateLanguage(
        webhook('a', { template: '<x/>', headers: [{ name: 'content-type', value: 'application/json' }] }),
      ),
    ).toBe('json');
    expect(templateLanguage(webhook('a', { template: '  <x/>' }))).toBe('xml');
    expect(templateLanguage(webhook('a', { template: 'a=1&b={{lead.Id}}' }))).toBe('text');
  });

  it('marks template diagnostics at their offsets, at least one character wide', () => {
    expect(
      templateMarks([
        { severity: 'error', code: 'bad-escape', message: 'm', location: { part: 'template', offset: 4, length: 0 } },
        { severity: 'warning', code: 'u', message: 'n', location: { part: 'url', offset: 1 } },
      ]),
    ).toEqual([{ from: 4, to: 5, severity: 'error', message: 'm' }]);
  });
});

describe('virtual list window', () => {
  it('shows the rows in view', () => {
    expect(visibleWindow(200, 100, 1000, 20)).toMatchObject({ first: 10, last: 16, totalPx: 20000, offsetPx: 200 });
  });

  it('scales a list taller than a browser can draw', () => {
    const w = visibleWindow(8_000_000 - 400, 400, 3_000_000, 20);
    expect(w.totalPx).toBe(8_000_000);
    expect(w.last).toBe(2_999_999);
  });
});

describe('sidebar folders', () => {
  it('groups webhooks by folder, folders first in natural order, then the collection root', () => {
    const folder: Record<string, string> = { a: 'z', b: '', c: 'crm', d: 'z', e: 'Folder 10', f: 'folder 2' };
    expect(groupByFolder(['a', 'b', 'c', 'd', 'e', 'f'], (k) => folder[k] ?? '')).toEqual([
      ['crm', ['c']],
      ['folder 2', ['f']],
      ['Folder 10', ['e']],
      ['z', ['a', 'd']],
      ['', ['b']],
    ]);
  });

  it('orders by display name, naturally and in any case, drafts last', () => {
    const docs: Record<string, { name: string; saved: boolean }> = {
      a: { name: 'Webhook 10', saved: true },
      b: { name: 'webhook 2', saved: true },
      c: { name: 'New webhook', saved: false },
      d: { name: 'Alpha', saved: true },
      e: { name: 'Aardvark', saved: false },
    };
    expect(byDisplayName(['a', 'b', 'c', 'd', 'e'], (k) => docs[k])).toEqual(['d', 'b', 'a', 'c', 'e']);
  });
});
