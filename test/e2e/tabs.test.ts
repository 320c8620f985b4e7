import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeSerious, openStudio, pageProblems, poll, screenshot, type Studio } from './studio-harness';
import { focusInfoScript } from './page-scripts';
import { setEditor } from './page-actions';

/** Issue 14, "a daily driver": tabs for the open webhooks and contexts, kept across a reload with their drafts. */

const ENRICH_FILE = 'webhooks/enrichment/enrich-lead.webhook.yaml';

const strip = (page: Page) => page.getByRole('tablist', { name: 'Open webhooks and contexts' });
const tabNames = async (page: Page) =>
  (await strip(page).getByRole('tab').allTextContents()).map((t) => t.replace(/×$/, '').trim());
const shownTab = (page: Page) => strip(page).locator('[aria-selected="true"]').textContent();
const unsavedTabs = async (page: Page) =>
  (
    await strip(page)
      .getByRole('tab', { name: /unsaved edits/ })
      .allTextContents()
  ).map((t) => t.replace(/×$/, '').trim());
const focused = async (page: Page) => (await page.evaluate<{ label: string; visible: boolean }>(focusInfoScript)).label;

/** The strip's widths, and whether the shown tab is inside what the strip shows. */
const stripFitScript = `(() => {
  const el = document.querySelector('[role="tablist"][aria-label="Open webhooks and contexts"]');
  const tab = el.querySelector('[aria-selected="true"]').getBoundingClientRect();
  const box = el.getBoundingClientRect();
  return { scroll: el.scrollWidth, client: el.clientWidth, inSight: tab.left >= box.left - 1 && tab.right <= box.right + 1 };
})()`;

describe('tabs for the open webhooks and contexts', () => {
  let studio: Studio;
  let page: Page;
  let first: string;

  beforeAll(async () => {
    studio = await openStudio({ width: 1024, height: 700 });
    page = studio.page;
    await page.getByLabel('Webhook name').waitFor();
    first = await page.getByLabel('Webhook name').inputValue();
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('gives each opened document a tab, keeps the tabs, their drafts and the shown one across a reload', async () => {
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await poll(() => tabNames(page)).toEqual([`POST${first}`]);
    await nav.getByRole('button', { name: /Send SMS/ }).click();
    await nav.getByRole('button', { name: /Plain lead/ }).click();
    await poll(() => tabNames(page)).toEqual([`POST${first}`, 'POSTSend SMS (Form/Url)', 'contextPlain lead']);
    expect(await shownTab(page)).toContain('Plain lead');

    // Two edits left unsaved: the context's name, and the first webhook's URL.
    await page.getByLabel('Context name').fill('Plain lead (edited)');
    await strip(page)
      .getByRole('tab', { name: new RegExp(first.replace(/[()]/g, '.')) })
      .click();
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe(first);
    await setEditor(page, 'URL', 'http://127.0.0.1:9/kept-in-a-tab');
    await strip(page)
      .getByRole('tab', { name: /Send SMS/ })
      .click();
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Send SMS (Form/Url)');
    await poll(() => unsavedTabs(page)).toEqual([`POST${first}`, 'contextPlain lead (edited)']);

    await page.reload();
    await poll(() => tabNames(page)).toEqual([`POST${first}`, 'POSTSend SMS (Form/Url)', 'contextPlain lead (edited)']);
    await poll(() => unsavedTabs(page)).toEqual([`POST${first}`, 'contextPlain lead (edited)']);
    expect(await shownTab(page)).toContain('Send SMS');
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Send SMS (Form/Url)');
    await strip(page)
      .getByRole('tab', { name: /Plain lead/ })
      .click();
    await poll(() => page.getByLabel('Context name').inputValue()).toBe('Plain lead (edited)');
    await strip(page)
      .getByRole('tab', { name: /Enrich/ })
      .click();
    await poll(() => page.getByRole('textbox', { name: 'URL', exact: true }).textContent()).toBe(
      'http://127.0.0.1:9/kept-in-a-tab',
    );
  });

  it('closes the shown tab with Ctrl+W and reopens it with Ctrl+Shift+T', async () => {
    await strip(page)
      .getByRole('tab', { name: /Send SMS/ })
      .click();
    await page.keyboard.press('ControlOrMeta+W');
    await poll(() => tabNames(page)).toEqual([`POST${first}`, 'contextPlain lead (edited)']);
    // Its right-hand neighbour is shown in its place.
    expect(await shownTab(page)).toContain('Plain lead');
    await page.keyboard.press('ControlOrMeta+Shift+T');
    await poll(() => tabNames(page)).toEqual([`POST${first}`, 'contextPlain lead (edited)', 'POSTSend SMS (Form/Url)']);
    expect(await shownTab(page)).toContain('Send SMS');
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Send SMS (Form/Url)');
  });

  it('closes a tab with a middle click or its close mark', async () => {
    const sms = strip(page).getByRole('tab', { name: /Send SMS/ });
    await sms.click({ button: 'middle' });
    await poll(() => tabNames(page)).toEqual([`POST${first}`, 'contextPlain lead (edited)']);
    await page.keyboard.press('ControlOrMeta+Shift+T');
    await sms.locator('.doc-tab-close').click();
    await poll(() => tabNames(page)).toEqual([`POST${first}`, 'contextPlain lead (edited)']);
  });

  it('asks before closing a tab with unsaved edits, and never loses them', async () => {
    const enrich = strip(page).getByRole('tab', { name: /Enrich/ });
    const ask = page.getByRole('dialog', { name: 'Close a tab with unsaved edits' });
    await enrich.click();
    await page.keyboard.press('ControlOrMeta+W');
    await ask.waitFor();
    // Save is the default: Enter keeps the work.
    expect(await focused(page)).toBe('Save');
    await screenshot(page, 'tabs-close-ask');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(await unsavedTabs(page)).toContain(`POST${first}`);

    // Discard closes it; Ctrl+Shift+T brings the tab back with the discarded edits.
    await page.keyboard.press('ControlOrMeta+W');
    await ask.getByRole('button', { name: 'Discard' }).click();
    await poll(() => tabNames(page)).toEqual(['contextPlain lead (edited)']);
    await page.keyboard.press('ControlOrMeta+Shift+T');
    await poll(() => unsavedTabs(page)).toContain(`POST${first}`);
    await poll(() => page.getByRole('textbox', { name: 'URL', exact: true }).textContent()).toBe(
      'http://127.0.0.1:9/kept-in-a-tab',
    );

    // Save (pressed with Enter, the default) writes the file, then closes the tab.
    await page.keyboard.press('ControlOrMeta+W');
    await ask.waitFor();
    await page.keyboard.press('Enter');
    await poll(() => tabNames(page)).toEqual(['contextPlain lead (edited)']);
    expect(readFileSync(path.join(studio.collectionDir, ENRICH_FILE), 'utf8')).toContain('kept-in-a-tab');
  });

  it('is one Tab stop: the arrows move between tabs, Enter opens one', async () => {
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: /Send SMS/ }).click();
    await nav.getByRole('button', { name: /Account lookup/ }).click();
    expect(await strip(page).locator('[tabindex="0"]').count()).toBe(1);
    await strip(page).locator('[tabindex="0"]').focus();
    expect(await focused(page)).toContain('Account lookup');
    await page.keyboard.press('Home');
    expect(await focused(page)).toContain('Plain lead');
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toContain('Send SMS');
    await page.keyboard.press('Enter');
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Send SMS (Form/Url)');
    expect(await strip(page).locator('[tabindex="0"]').count()).toBe(1);
  });

  it('fits many tabs at 1024×700: the strip scrolls, the page does not; axe finds nothing serious', async () => {
    const nav = page.getByRole('navigation', { name: 'Collection' });
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('ControlOrMeta+K');
      await page.keyboard.type('nw');
      await page.keyboard.press('Enter');
      await poll(() => strip(page).getByRole('tab').count()).toBe(4 + i);
    }
    await nav.getByRole('button', { name: /Tricky lead/ }).click();
    await poll(() => strip(page).getByRole('tab').count()).toBe(10);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
    const fit = await page.evaluate<{ scroll: number; client: number; inSight: boolean }>(stripFitScript);
    expect(fit.scroll).toBeGreaterThan(fit.client);
    // The shown tab (the last opened) is scrolled into sight.
    expect(fit.inSight).toBe(true);
    await screenshot(page, 'tabs-1024x700');
    expect(await axeSerious(page)).toEqual([]);
    expect(pageProblems(page)).toEqual([]);
  });
});
