import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, pageProblems, poll, screenshot, type Studio } from './studio-harness';

/** Issue 14, "a daily driver": the collection behaves as a Bruno user expects (rename, unique names, order, drag and drop). */

function webhookFile(name: string): string {
  return [
    `name: ${name}`,
    'url: https://api.example.com/hook',
    'method: POST',
    'encoding: json',
    "template: '{}'",
    '',
  ].join('\n');
}

/** The names a sidebar list shows, in order. */
async function namesIn(page: Page, list: string): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Collection' });
  return nav.getByRole('list', { name: list, exact: true }).locator('.name').allInnerTexts();
}

describe('collection moves, renames and names', () => {
  let studio: Studio;
  let page: Page;
  const file = (rel: string) => path.join(studio.collectionDir, ...rel.split('/'));

  beforeAll(async () => {
    studio = await openStudio();
    page = studio.page;
    writeFileSync(file('webhooks/webhook-10.webhook.yaml'), webhookFile('Webhook 10'));
    writeFileSync(file('webhooks/webhook-2.webhook.yaml'), webhookFile('webhook 2'));
    writeFileSync(file('webhooks/zeta.webhook.yaml'), webhookFile('Alpha hook'));
    await page.reload();
    await page.getByRole('list', { name: 'Webhooks', exact: true }).waitFor();
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('orders the sidebar by display name, naturally and in any case, folders first', async () => {
    expect(await namesIn(page, 'Webhooks')).toEqual(['Alpha hook', 'webhook 2', 'Webhook 10']);
    const lists = await page
      .getByRole('navigation', { name: 'Collection' })
      .locator('.webhook-tree ul')
      .evaluateAll((uls) => uls.map((u) => u.getAttribute('aria-label')));
    expect(lists).toEqual(['Folder enrichment', 'Folder lookup', 'Folder messaging', 'Webhooks']);
  });

  it('drags a webhook onto a folder: the folder is outlined, the file moves on disk, the sidebar shows it there', async () => {
    const nav = page.getByRole('navigation', { name: 'Collection' });
    const source = nav.getByRole('button', { name: /Alpha hook/ });
    const folder = nav.getByRole('list', { name: 'Folder enrichment' });
    // Mid-drag, by events, to look at the drop highlight.
    const dataTransfer = await page.evaluateHandle('new DataTransfer()');
    await source.dispatchEvent('dragstart', { dataTransfer });
    await folder.dispatchEvent('dragover', { dataTransfer });
    await page.locator('.folder-group[data-drop-target="true"]').waitFor();
    expect(await page.locator('[data-drop-target="true"]').count()).toBe(1);
    await screenshot(page, 'collection-moves-mid-drag');
    await folder.dispatchEvent('drop', { dataTransfer });
    await source.dispatchEvent('dragend', { dataTransfer });
    await poll(() => existsSync(file('webhooks/enrichment/zeta.webhook.yaml'))).toBe(true);
    expect(existsSync(file('webhooks/zeta.webhook.yaml'))).toBe(false);
    await poll(() => namesIn(page, 'Folder enrichment')).toEqual(['Alpha hook', 'Enrich lead (JSON)']);
    expect(await page.locator('[data-drop-target="true"]').count()).toBe(0);

    // With the mouse, as a user drags: onto another folder.
    await nav.getByRole('button', { name: /Webhook 10/ }).dragTo(nav.getByRole('list', { name: 'Folder messaging' }));
    await poll(() => existsSync(file('webhooks/messaging/webhook-10.webhook.yaml'))).toBe(true);
    expect(existsSync(file('webhooks/webhook-10.webhook.yaml'))).toBe(false);
    await poll(() => namesIn(page, 'Folder messaging')).toEqual(['Send SMS (Form/Url)', 'Webhook 10']);
  });

  it('a drop onto the folder a webhook is in already does nothing', async () => {
    const nav = page.getByRole('navigation', { name: 'Collection' });
    const before = readFileSync(file('webhooks/webhook-2.webhook.yaml'), 'utf8');
    await nav
      .getByRole('button', { name: /webhook 2/ })
      .dragTo(nav.getByRole('list', { name: 'Webhooks', exact: true }));
    await page.waitForTimeout(300);
    expect(readFileSync(file('webhooks/webhook-2.webhook.yaml'), 'utf8')).toBe(before);
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /Not moved/ })
        .count(),
    ).toBe(0);
  });

  it('rename renames the file; a name the folder has is said in the dialog before Rename', async () => {
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: /Webhook 10/ }).click();
    await nav.getByRole('button', { name: 'Rename', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename webhook' });
    await dialog.getByLabel('New name').fill('send sms (form/url)');
    await dialog.getByText(/already a webhook named “Send SMS \(Form\/Url\)” in folder messaging/).waitFor();
    expect(await dialog.getByRole('button', { name: 'Rename' }).isDisabled()).toBe(true);
    await dialog.getByLabel('New name').fill('Text lead');
    await page.keyboard.press('Enter');
    await poll(() => existsSync(file('webhooks/messaging/text-lead.webhook.yaml'))).toBe(true);
    expect(existsSync(file('webhooks/messaging/webhook-10.webhook.yaml'))).toBe(false);
    expect(readFileSync(file('webhooks/messaging/text-lead.webhook.yaml'), 'utf8')).toContain('name: Text lead');
    await poll(() => namesIn(page, 'Folder messaging')).toEqual(['Send SMS (Form/Url)', 'Text lead']);
    // The editor follows the renamed file.
    expect(await page.getByLabel('Webhook name').inputValue()).toBe('Text lead');
  });

  it('creating two new webhooks gives two names', async () => {
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: /webhook 2/ }).click();
    await nav.getByRole('button', { name: 'New webhook', exact: true }).click();
    await nav.getByRole('button', { name: 'New webhook', exact: true }).click();
    await poll(() => namesIn(page, 'Webhooks')).toEqual(['webhook 2', 'New webhook', 'New webhook 2']);
    expect(pageProblems(page)).toEqual([]);
  });
});
