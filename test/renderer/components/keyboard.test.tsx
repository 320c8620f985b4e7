import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { matchScore, rankByMatch, subsequenceScore } from '@renderer/features/palette/fuzzy';
import { rovingMove, useRovingList } from '@renderer/components/use-roving-list';
import { DialogActions } from '@renderer/components/Modal';

afterEach(cleanup);

describe('palette matching', () => {
  const titles = [
    'Send webhook',
    'Save',
    'New webhook',
    'New context',
    'Add header',
    'Add mapping',
    'Show lead mapping',
    'Edit template',
    'Edit mappings',
    'Open webhook: Send SMS (Form/Url)',
    'Use context: Tricky lead',
  ];
  const rank = (q: string) => rankByMatch(titles, q, (t) => t);

  it('ranks titles holding the typed words first, as before', () => {
    expect(rank('send')).toEqual(['Send webhook', 'Open webhook: Send SMS (Form/Url)']);
    expect(rank('show lead mapping')[0]).toBe('Show lead mapping');
    expect(rank('open webhook sms')[0]).toBe('Open webhook: Send SMS (Form/Url)');
  });

  it('finds a title by its initials and word prefixes', () => {
    expect(rank('nw')[0]).toBe('New webhook');
    expect(rank('ah')[0]).toBe('Add header');
    expect(rank('am')[0]).toBe('Add mapping');
    expect(rank('lm')[0]).toBe('Show lead mapping');
    expect(rank('edmap')[0]).toBe('Edit mappings');
  });

  it('prefers word starts and unbroken runs, and drops letters strewn through a title', () => {
    expect(subsequenceScore('nw', 'new webhook')).toBeGreaterThan(subsequenceScore('nw', 'open webhook') ?? 0);
    expect(subsequenceScore('web', 'new webhook')).toBeGreaterThan(subsequenceScore('wbk', 'new webhook') ?? 0);
    expect(subsequenceScore('xyz', 'new webhook')).toBeNull();
    expect(matchScore('send', 'use context: tricky lead')).toBeNull();
    expect(rank('')).toEqual(titles);
  });
});

describe('roving lists', () => {
  it('moves with the arrows, Home and End, and stays inside the list', () => {
    expect(rovingMove('ArrowDown', 0, 3)).toBe(1);
    expect(rovingMove('ArrowDown', 2, 3)).toBe(2);
    expect(rovingMove('ArrowUp', 0, 3)).toBe(0);
    expect(rovingMove('Home', 2, 3)).toBe(0);
    expect(rovingMove('End', 0, 3)).toBe(2);
    expect(rovingMove('Tab', 0, 3)).toBeUndefined();
    expect(rovingMove('ArrowDown', 0, 0)).toBeUndefined();
  });

  function List({ keys, current }: { keys: string[]; current?: string }) {
    const roving = useRovingList(keys, current);
    return (
      <ul aria-label="Things" onKeyDown={roving.onKeyDown}>
        {keys.map((k) => (
          <li key={k}>
            <button type="button" {...roving.item(k)}>
              {k}
            </button>
          </li>
        ))}
      </ul>
    );
  }

  it('has one Tab stop, the current item, which follows the arrows', () => {
    render(<List keys={['a', 'b', 'c']} current="b" />);
    const stops = () => screen.getAllByRole('button').filter((b) => b.tabIndex === 0);
    expect(stops().map((b) => b.textContent)).toEqual(['b']);
    screen.getByText('b').focus();
    fireEvent.keyDown(screen.getByText('b'), { key: 'End' });
    expect(document.activeElement?.textContent).toBe('c');
    expect(stops().map((b) => b.textContent)).toEqual(['c']);
  });
});

describe('destructive dialogs', () => {
  it('start on Cancel, the safe default', () => {
    render(<DialogActions onCancel={() => undefined} submitLabel="Delete" onSubmit={() => undefined} destructive />);
    expect(screen.getByText('Cancel').hasAttribute('data-autofocus')).toBe(true);
    expect(screen.getByText('Delete').hasAttribute('data-autofocus')).toBe(false);
  });
});
