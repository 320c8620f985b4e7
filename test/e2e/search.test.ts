import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeSerious, longTasks, openStudio, poll, screenshot, watchLongTasks, type Studio } from './studio-harness';
import { focusInfoScript, keyProbeScript, keyTimesScript, templateSelectionScript } from './page-scripts';
import { setEditor } from './page-actions';

/** Issue 14: search across the collection from the palette, and jump to where it matched. */

const focused = async (page: Page): Promise<string> =>
  (await page.evaluate<{ label: string; visible: boolean }>(focusInfoScript)).label;

function webhookYaml(name: string, lines: string[]): string {
  return [
    `name: ${name}`,
    'url: http://catcher.local/search',
    'method: POST',
    'encoding: json',
    'responseType: json',
    ...lines,
    '',
  ].join('\n');
}

/** Alpha maps a lead field nothing else names; Bravo holds a header value and a template word no one else has. */
const files = {
  'alpha.webhook.yaml': webhookYaml('Alpha search hook', [
    "template: '{}'",
    'headers: []',
    'mappings:',
    '  - attribute: id',
    '    field: Id',
    '  - attribute: data.platypus',
    '    field: Platypus_Score__c',
  ]),
  'bravo.webhook.yaml': webhookYaml('Bravo search hook', [
    'template: |',
    '  {',
    '    "email": {{lead.Email Address}},',
    '    "animal": "quokkaword"',
    '  }',
    'headers:',
    '  - name: Content-Type',
    '    value: application/json',
    '  - name: X-Tenant',
    '    value: wombat-tenant-7',
    'mappings: []',
  ]),
};

const listbox = (page: Page) => page.locator('#palette-list');
const options = (page: Page) => listbox(page).getByRole('option');

/** Opens the palette, types `query` and waits until an option shows `expected`. */
async function searchFor(page: Page, query: string, expected: RegExp): Promise<void> {
  await page.keyboard.press('ControlOrMeta+K');
  await listbox(page).waitFor();
  await page.keyboard.type(query);
  await poll(() => options(page).allTextContents()).toContainEqual(expect.stringMatching(expected));
}

describe('search across the collection', () => {
  let studio: Studio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ width: 1024, height: 700 });
    page = studio.page;
    const dir = path.join(studio.collectionDir, 'webhooks', 'search');
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    await page.reload();
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: /Alpha search hook/ }).click();
    await page.getByLabel('Webhook name').and(page.locator('[value="Alpha search hook"]')).waitFor();
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('finds a header value of another webhook and opens it on Headers with that row focused', async () => {
    await searchFor(page, 'wombat', /Header · X-Tenant/);
    const group = listbox(page).getByRole('group', { name: 'Webhook Bravo search hook' });
    const first = group.getByRole('option').first();
    expect(await first.textContent()).toBe('Header · X-Tenantwombat-tenant-7');
    await poll(() => first.locator('mark').allTextContents()).toEqual(['wombat']);
    await page.keyboard.press('Enter');
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Bravo search hook');
    expect(await page.getByRole('tab', { name: /Headers/ }).getAttribute('aria-selected')).toBe('true');
    await poll(() => focused(page)).toBe('Header 2 value');
  });

  it('puts the template selection on a word found in the template', async () => {
    await page
      .getByRole('navigation', { name: 'Collection' })
      .getByRole('button', { name: /Alpha search hook/ })
      .click();
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Alpha search hook');
    await searchFor(page, 'quokka', /Template · line 3/);
    await page.keyboard.press('Enter');
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Bravo search hook');
    await poll(() => page.evaluate<{ focused: boolean; text: string }>(templateSelectionScript)).toEqual({
      focused: true,
      text: 'quokka',
    });
  });

  it("focuses the mapping row of a lead field, from the search command's prefix", async () => {
    await page.keyboard.press('ControlOrMeta+Shift+F');
    const input = page.getByRole('combobox', { name: 'Search the collection' });
    await input.waitFor();
    expect(await input.inputValue()).toBe('#');
    await page.keyboard.type('platypus_score');
    await poll(() => options(page).first().textContent()).toMatch(/^Mapping · row 2 · lead field/);
    await screenshot(page, 'palette-search-1024x700');
    expect(await axeSerious(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Alpha search hook');
    await poll(() => focused(page)).toBe('Mapping 2 lead field');
  });

  it('finds "Email Address" from "emladr", and lists commands before the collection', async () => {
    await searchFor(page, 'emladr', /Email Address/);
    const texts = await listbox(page).getByRole('option').allTextContents();
    const hit = options(page).filter({ hasText: 'Email Address' }).first();
    // The hits follow the typing a step behind: wait for the whole query's marks.
    await poll(async () => (await hit.locator('mark').allTextContents()).join('')).toBe('EmlAdr');
    expect(texts.length).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await searchFor(page, 'new webhook', /New webhook/);
    expect(await options(page).first().textContent()).toBe('New webhook');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ControlOrMeta+Shift+F');
    await page.keyboard.type('email');
    await poll(() => listbox(page).getByRole('group').count()).toBeGreaterThan(2);
    await screenshot(page, 'palette-search-groups-1024x700');
    await page.keyboard.press('Escape');
  });

  it('switches the open palette to the search with its command', async () => {
    await searchFor(page, 'search the coll', /Search the collection…/);
    await page.keyboard.press('Enter');
    const input = page.getByRole('combobox', { name: 'Search the collection' });
    await poll(() => input.inputValue()).toBe('#');
    await page.keyboard.type('wombat');
    await poll(() => options(page).first().textContent()).toMatch(/^Header · X-Tenant/);
    await page.keyboard.press('Escape');
    await page.keyboard.press('ControlOrMeta+K');
    expect(await page.getByRole('combobox', { name: 'Type a command' }).inputValue()).toBe('');
    await page.keyboard.press('Escape');
  });

  it('opens a context on the token whose value matched', async () => {
    await page.keyboard.press('ControlOrMeta+Shift+F');
    await page.keyboard.type('jack+jill@');
    await poll(() => options(page).first().textContent()).toMatch(/^Lead · Email Address/);
    await page.keyboard.press('Enter');
    await poll(() => focused(page)).toBe('Lead Email Address: value');
    expect(await page.getByLabel('Context name').inputValue()).toBe('Tricky lead');
    await page
      .getByRole('navigation', { name: 'Collection' })
      .getByRole('button', { name: /Bravo search hook/ })
      .click();
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Bravo search hook');
  });

  it('searches unsaved edits as they are, not the file', async () => {
    await page.getByRole('tab', { name: /Template/ }).click();
    await setEditor(page, 'Template', '{"unsavedmarmot": 1}');
    await page.keyboard.press('ControlOrMeta+Shift+F');
    await page.keyboard.type('marmot');
    await poll(() => options(page).first().textContent()).toMatch(/^Template · line 1/);
    await page.keyboard.press('Escape');
  });
});

describe('search across 2,000 webhooks', () => {
  let studio: Studio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ width: 1024, height: 700 });
    page = studio.page;
    const dir = path.join(studio.collectionDir, 'webhooks', 'many');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 2000; i++) {
      const template = Array.from({ length: 10 }, (_, l) => `    "field${l}": {{lead.Field ${l}}},`);
      const lines = [
        'template: |',
        '  {',
        ...template,
        `    "n": ${i}`,
        '  }',
        'headers:',
        '  - name: X-Trace',
        `    value: trace-${i}`,
      ];
      writeFileSync(path.join(dir, `hook-${i}.webhook.yaml`), webhookYaml(`Hook ${i}`, [...lines, 'mappings: []']));
    }
    await page.reload();
    await page.getByRole('navigation', { name: 'Collection' }).getByText('Hook 1999').waitFor({ timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
  });

  it('keeps the palette responsive while it searches', async () => {
    await page.keyboard.press('ControlOrMeta+Shift+F');
    await listbox(page).waitFor();
    await page.evaluate(keyProbeScript('.palette'));
    await watchLongTasks(page);
    await page.keyboard.type('trace-1999', { delay: 30 });
    await poll(() => options(page).first().textContent()).toMatch(/^Header · X-Tracetrace-1999/);
    const keys = await page.evaluate<number[]>(keyTimesScript);
    const tasks = await longTasks(page);
    console.log(
      `2,000 webhooks: key to list ${keys.map((k) => k.toFixed(0)).join(', ')} ms; long tasks ${tasks.map((t) => t.toFixed(0)).join(', ')} ms`,
    );
    expect(Math.max(...keys)).toBeLessThan(400);
    await page.keyboard.press('Enter');
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Hook 1999');
  });
});
