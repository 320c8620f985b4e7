import { describe, expect, it } from 'vitest';
import { Links } from '@services/sender/links';

describe('Links', () => {
  it('keeps values in the order they joined, whichever leaves', () => {
    const list = new Links<string>();
    const a = list.push('a');
    const b = list.push('b');
    const c = list.push('c');
    list.remove(b);
    expect(list.values()).toEqual(['a', 'c']);
    list.remove(a);
    expect(list.first()).toBe('c');
    list.remove(c);
    expect(list.values()).toEqual([]);
    expect(list.first()).toBeUndefined();
    list.push('d');
    expect(list.values()).toEqual(['d']);
  });

  it('ignores a link that already left, so a value leaves once however often it is asked to', () => {
    const list = new Links<number>();
    const one = list.push(1);
    list.push(2);
    list.remove(one);
    list.remove(one);
    expect(list.values()).toEqual([2]);
  });

  it('lets the link being visited leave during a walk', () => {
    const list = new Links<number>();
    for (let i = 0; i < 5; i++) list.push(i);
    const seen: number[] = [];
    for (const link of list.links()) {
      seen.push(link.value);
      if (link.value % 2 === 0) list.remove(link);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(list.values()).toEqual([1, 3]);
  });

  it('clear empties it and unlinks every link', () => {
    const list = new Links<string>();
    const a = list.push('a');
    list.push('b');
    list.clear();
    expect(list.values()).toEqual([]);
    list.remove(a);
    list.push('c');
    expect(list.values()).toEqual(['c']);
  });
});
