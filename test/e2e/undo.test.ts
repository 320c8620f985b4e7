import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, pageProblems, poll, type Studio } from './studio-harness';

/** Undo in the toast: a deleted webhook comes back from the trash, a removed header row comes back in place. */
describe('undo', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await openStudio();
  }, 60_000);
  afterAll(async () => {
    await studio.close();
  });

  it('deletes a webhook, then Undo brings it back to the sidebar and to disk, byte for byte, and opens it', async () => {
    const { page, collectionDir } = studio;
    const rel = 'webhooks/lookup/account-lookup.webhook.yaml';
    const file = path.join(collectionDir, ...rel.split('/'));
    const bytes = readFileSync(file);
    const nav = page.getByRole('navigation', { name: 'Collection' });
    const item = nav.getByRole('button', { name: /Account lookup \(SOAP XML\)/ });
    await item.click();
    await nav.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await poll(() => item.count()).toBe(0);
    expect(existsSync(file)).toBe(false);
    const toast = page.locator('.notice', { hasText: 'Deleted Account lookup (SOAP XML)' });
    await toast.getByRole('button', { name: 'Undo' }).click();
    await poll(() => item.count()).toBe(1);
    expect(readFileSync(file)).toEqual(bytes);
    await poll(() => toast.count()).toBe(0);
    // Reopened: the editor shows it again.
    await poll(() => page.getByRole('textbox', { name: 'Webhook name' }).inputValue()).toBe(
      'Account lookup (SOAP XML)',
    );
    expect(pageProblems(page)).toEqual([]);
  });

  it('removes a header row, then Undo puts it back at its place (an unsaved edit, like the removal)', async () => {
    const { page } = studio;
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: /Account lookup \(SOAP XML\)/ }).click();
    await page.getByRole('tab', { name: /Headers/ }).click();
    const names = page.getByRole('textbox', { name: /^Header \d+ name$/ });
    await poll(() => names.count()).toBe(2);
    await page.getByRole('button', { name: 'Remove header Content-Type' }).click();
    await poll(() => names.count()).toBe(1);
    expect(await names.first().inputValue()).toBe('SOAPAction');
    const toast = page.locator('.notice', { hasText: 'Removed row 1 “Content-Type”' });
    await toast.getByRole('button', { name: 'Undo' }).click();
    await poll(() => names.count()).toBe(2);
    expect(await names.nth(0).inputValue()).toBe('Content-Type');
    expect(await names.nth(1).inputValue()).toBe('SOAPAction');
    expect(pageProblems(page)).toEqual([]);
  });
  it('removes a lead token row, then Undo puts it back between its neighbours', async () => {
    const { page } = studio;
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav
      .getByRole('button', { name: /Plain lead/ })
      .first()
      .click();
    const first = page.getByRole('textbox', { name: 'Lead First Name: value', exact: true });
    await first.waitFor();
    await page.getByRole('button', { name: 'Remove Lead First Name', exact: true }).click();
    await poll(() => first.count()).toBe(0);
    await page
      .locator('.notice', { hasText: 'Removed row “First Name”' })
      .getByRole('button', { name: 'Undo' })
      .click();
    await poll(() => first.count()).toBe(1);
    expect(await first.inputValue()).toBe('Ada');
    const labels = await page
      .getByRole('textbox', { name: /^Lead .*: value$/ })
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(labels.indexOf('Lead First Name: value')).toBe(labels.indexOf('Lead Email Address: value') + 1);
    expect(pageProblems(page)).toEqual([]);
  });
});
