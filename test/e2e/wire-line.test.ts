import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setEditor } from './page-actions';
import { openStudio, pageProblems, poll, screenshot, type Studio } from './studio-harness';

/**
 * Item 6 of the daily-driver issue: "On the wire / As written / A browser would send" took three wrapped rows and
 * squeezed the template editor at 1024×700. Now they are one line, with a toggle that opens the differences.
 */
describe('the request target line', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await openStudio({ width: 1024, height: 700 });
  }, 60_000);
  afterAll(async () => {
    await studio.close();
  });

  it('is one line however long the target, and the toggle opens what a browser would send instead', async () => {
    const { page } = studio;
    // A quote a browser would escape, a long query, and a path `..` a browser would resolve: all three rows differ.
    const long = 'x'.repeat(300);
    await setEditor(page, 'URL', `https://api.example.com/a/../b"c?q=${long}&email={{lead.Email Address}}`);
    const line = page.getByLabel('Request target');
    await poll(() => page.getByTestId('wire-target').textContent()).toContain('"c?q=');
    const toggle = line.getByRole('button', { name: /A browser would differ/ });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    const collapsed = await line.boundingBox();
    expect(collapsed?.height).toBeLessThan(32);
    expect(await line.textContent()).not.toContain('A browser would send');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);

    await toggle.click();
    await poll(() => line.textContent()).toContain('A browser would send');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'wire-line-expanded-1024');
    // The choice is kept across a reload.
    await page.reload();
    await poll(() => page.getByLabel('Request target').textContent()).toContain('A browser would send');
    await page
      .getByLabel('Request target')
      .getByRole('button', { name: /A browser would differ/ })
      .click();
    await poll(() => page.getByLabel('Request target').textContent()).not.toContain('A browser would send');
    expect(pageProblems(page)).toEqual([]);
  });
});
