import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeSerious, openStudio, poll, screenshot, type Studio } from './studio-harness';
import { focusInfoScript } from './page-scripts';

async function focusInfo(page: Page): Promise<{ label: string; visible: boolean }> {
  return page.evaluate<{ label: string; visible: boolean }>(focusInfoScript);
}

/** Presses Tab until the focused element's name matches, checking every stop shows its focus. */
async function tabTo(page: Page, name: RegExp, seen: string[]): Promise<void> {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const f = await focusInfo(page);
    if (!f.visible) seen.push(f.label);
    if (name.test(f.label)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

describe('the main flow from the keyboard alone', () => {
  let studio: Studio;
  let page: Page;
  const invisibleFocus: string[] = [];

  beforeAll(async () => {
    studio = await openStudio();
    page = studio.page;
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('opens a webhook from the palette, sends it and maps a response node to a lead field', async () => {
    await page.keyboard.press('ControlOrMeta+K');
    await page.keyboard.type('open webhook sms');
    await page.keyboard.press('Enter');
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Send SMS (Form/Url)');

    await page.keyboard.press('ControlOrMeta+Enter');
    await page.getByTestId('response-status').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('response-status').textContent()).toBe('201 Created');

    await page.keyboard.press('ControlOrMeta+K');
    await page.keyboard.type('show lead mapping');
    await page.keyboard.press('Enter');
    await page.getByTestId('mapping-view').waitFor();

    await tabTo(page, /^Response tree/, invisibleFocus);
    // Rows: the document, sid, status, segments.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await screenshot(page, '13-keyboard-tree');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Map to lead field' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Response attribute').inputValue()).toBe('status');
    await page.keyboard.type('Lead Status');
    await page.keyboard.press('ArrowDown');
    expect(await dialog.getByRole('combobox', { name: 'Lead field (SOAP name)' }).inputValue()).toBe('LeadStatus');
    await screenshot(page, '14-keyboard-map-dialog');
    for (const v of await axeSerious(page)) throw new Error(`axe: ${v.id} ${v.help}`);
    await tabTo(page, /^Add mapping$/, invisibleFocus);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('lead-table').getByRole('row', { name: /LeadStatus/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/LeadStatus.*queued.*written/);

    await page.keyboard.press('ControlOrMeta+S');
    await poll(() => page.getByText('Unsaved', { exact: true }).count()).toBe(0);
    expect(invisibleFocus).toEqual([]);
  });

  it('switches the active context and edits the template without leaving the keyboard', async () => {
    await page.keyboard.press('ControlOrMeta+K');
    await page.keyboard.type('use context tricky');
    await page.keyboard.press('Enter');
    await poll(async () => {
      const value = await page.getByLabel('Active context').inputValue();
      return page.getByLabel('Active context').locator(`option[value="${value}"]`).textContent();
    }).toBe('Tricky lead');

    await page.keyboard.press('ControlOrMeta+K');
    await page.keyboard.type('edit template');
    await page.keyboard.press('Enter');
    await tabTo(page, /^Template$/, invisibleFocus);
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.insertText('&note=typed');
    await page.keyboard.press('Tab');
    const after = await focusInfo(page);
    expect(after.label).not.toBe('Template');
    expect(invisibleFocus).toEqual([]);
  });
});
