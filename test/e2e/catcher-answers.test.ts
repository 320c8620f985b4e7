import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkView } from './layout-check';
import { openStudio, pageProblems, poll, screenshot } from './studio-harness';

const readRules = (dir: string): string => {
  try {
    return readFileSync(path.join(dir, 'catcher.yaml'), 'utf8');
  } catch {
    return '';
  }
};

describe('Catcher answers', () => {
  it('adds the 404 preset, saves catcher.yaml, and the catcher answers 404 by that rule', async () => {
    const studio = await openStudio({ width: 1024, height: 700 });
    try {
      const page = studio.page;
      await page.getByRole('button', { name: 'Catcher answers…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Catcher answers' });
      await dialog.getByTestId('catcher-no-rules').waitFor();
      await dialog.getByRole('button', { name: '404 Not Found' }).click();
      await dialog.getByRole('button', { name: '500 error' }).click();
      const rows = dialog.getByTestId('catcher-rule-row');
      await poll(() => rows.count()).toBe(2);
      // Reorder from the keyboard: rule 2 (500) up, then back down; the focus stays on the moved row.
      await dialog.getByRole('button', { name: 'Move rule 2 up' }).focus();
      await page.keyboard.press('Enter');
      await poll(() => rows.nth(0).textContent()).toContain('500');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await poll(() => rows.nth(0).textContent()).toContain('404');
      await dialog.getByRole('button', { name: 'Remove rule 2' }).click();
      await poll(() => rows.count()).toBe(1);
      expect(await dialog.getByLabel('Status').inputValue()).toBe('404');
      await screenshot(page, 'catcher-answers-dialog');
      // At 1024×700 nothing of the dialog leaves the window, and axe finds nothing serious.
      const report = await checkView(page, 'dialog-catcher-answers', {
        Save: dialog.getByRole('button', { name: 'Save' }),
        'Remove rule 1': dialog.getByRole('button', { name: 'Remove rule 1' }),
        Body: dialog.getByLabel('Body'),
      });
      expect(report).toMatchObject({ htmlWidth: 1024, bodyWidth: 1024, clipped: [], axe: [] });
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await poll(() => readRules(studio.collectionDir)).toContain('status: 404');
      expect(readRules(studio.collectionDir)).toContain('body: \'{"error":"not found"}\'');

      // The sample's Enrich lead goes to the built-in catcher: it now answers 404, by rule 1.
      await page
        .getByRole('navigation', { name: 'Collection' })
        .getByRole('button', { name: /Enrich lead/ })
        .click();
      await page.getByRole('button', { name: /^Send/ }).click();
      await page.getByTestId('response-status').waitFor({ timeout: 30_000 });
      await poll(() => page.getByTestId('response-status').textContent()).toBe('404 Not Found');
      expect(await page.getByTestId('catcher-rule').textContent()).toBe('Catcher rule 1');
      await screenshot(page, 'catcher-answers-response');
      await page.getByRole('tab', { name: 'Lead mapping' }).click();
      const table = page.getByTestId('lead-table');
      await table.waitFor();
      const mapped = table.locator('tbody tr:has(.badge)');
      expect(await mapped.count()).toBeGreaterThan(0);
      for (const row of await mapped.all()) {
        expect(await row.textContent()).toContain('not written');
        expect(await row.textContent()).toContain('HTTP 404: Marketo updates lead fields only on a 2xx response');
      }

      // From the palette: an invalid status is said at the field, and nothing is saved.
      await page.keyboard.press('ControlOrMeta+K');
      await page.keyboard.insertText('Catcher answers');
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Edit rule 1' }).click();
      await dialog.getByLabel('Status').fill('42');
      expect(await dialog.getByTestId('problem-catcher-status').textContent()).toBe('a status is from 100 to 599');
      expect(await dialog.getByLabel('Status').getAttribute('aria-invalid')).toBe('true');
      await dialog.getByRole('button', { name: 'Save' }).click();
      expect(await dialog.getByTestId('catcher-refusal').textContent()).toContain('rule 1 has a problem');
      await screenshot(page, 'catcher-answers-invalid');
      expect(readRules(studio.collectionDir)).toContain('status: 404');
      expect(readRules(studio.collectionDir)).not.toContain('42');
      expect(pageProblems(page)).toEqual([]);
    } finally {
      await studio.close();
    }
  });
});
