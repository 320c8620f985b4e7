import { afterEach, describe, expect, it } from 'vitest';
import { focusSoon } from '../../../renderer/src/components/focus-request';

const frame = (): Promise<void> => new Promise((done) => requestAnimationFrame(() => done()));
const frames = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await frame();
};

function input(id: string): HTMLInputElement {
  const el = document.createElement('input');
  el.id = id;
  document.body.append(el);
  return el;
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('focusSoon', () => {
  it('focuses the element once a later render puts it on the page', async () => {
    focusSoon('#late');
    await frames(3);
    const late = input('late');
    await frames(3);
    expect(document.activeElement).toBe(late);
  });

  it('gives up when the user presses a key before the element appears (they opened the palette meanwhile)', async () => {
    const palette = input('palette');
    focusSoon('#url');
    await frames(2);
    // The user opens the palette and starts typing while the new tab is still mounting.
    palette.focus();
    palette.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', bubbles: true }));
    input('url');
    await frames(3);
    expect(document.activeElement).toBe(palette);
  });

  it('gives up after a pointer press too', async () => {
    const other = input('other');
    focusSoon('#url');
    other.focus();
    other.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    input('url');
    await frames(3);
    expect(document.activeElement).toBe(other);
  });
});
