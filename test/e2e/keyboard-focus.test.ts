import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, poll, type Studio } from './studio-harness';
import { focusInfoScript } from './page-scripts';

/** Issue 14, item 7: focus goes to the new thing, one Tab stop per list, a safe default in destructive dialogs. */

const focused = async (page: Page): Promise<string> =>
  (await page.evaluate<{ label: string; visible: boolean }>(focusInfoScript)).label;

/** A webhook whose sixth mapping names a field the catalog does not know (a diagnostic on row 6). */
function sixMappings(): string {
  const rows = ['Email', 'FirstName', 'LastName', 'Company', 'City', 'NoSuchField'];
  return [
    'name: Six mappings',
    'url: http://catcher.local/six',
    'method: POST',
    'encoding: json',
    'responseType: json',
    "template: '{}'",
    'headers: []',
    'mappings:',
    ...rows.flatMap((field, i) => [`  - attribute: a${i}`, `    field: ${field}`]),
    '',
  ].join('\n');
}

/** How many Tab stops the sidebar's webhooks (all folders), contexts and history lists hold. */
const tabStopsPerList = `(() => {
  const nav = document.querySelector('nav[aria-label="Collection"]');
  const stops = (lists) => lists.flatMap((ul) => [...ul.querySelectorAll('button')]).filter((b) => b.tabIndex >= 0).length;
  const lists = (sel) => [...nav.querySelectorAll(sel)];
  return [
    stops(lists('ul[aria-label="Webhooks"], ul[aria-label^="Folder "]')),
    stops(lists('ul[aria-label="Contexts"]')),
    stops(lists('ul[aria-label="History of this webhook"]')),
  ];
})()`;

/** Counts what the user presses: each key, each letter of a palette query, each typed field value as one. */
function keyCounter(page: Page) {
  const counter = {
    presses: 0,
    async press(key: string) {
      counter.presses++;
      await page.keyboard.press(key);
    },
    async query(letters: string) {
      counter.presses += letters.length;
      await page.keyboard.type(letters);
    },
    async text(value: string) {
      counter.presses++;
      await page.keyboard.insertText(value);
    },
  };
  return counter;
}

const palette = async (page: Page, query: string) => {
  await page.keyboard.press('ControlOrMeta+K');
  await page.keyboard.type(query);
  await page.keyboard.press('Enter');
};

/** A studio on a fresh sample collection for one describe block, open once its webhook shows. */
function freshStudio(): { studio: () => Studio } {
  let studio: Studio | undefined;
  beforeAll(async () => {
    studio = await openStudio();
    await studio.page.getByLabel('Webhook name').waitFor();
  });
  afterAll(async () => {
    await studio?.close();
  });
  return {
    studio: () => {
      if (!studio) throw new Error('the studio did not open');
      return studio;
    },
  };
}

describe('keyboard focus', () => {
  const fresh = freshStudio();
  let page: Page;
  beforeAll(() => {
    page = fresh.studio().page;
  });

  it('reaches the URL from load in a few Tabs: each sidebar list is one Tab stop', async () => {
    // Two sends give the open webhook a history list too.
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press('ControlOrMeta+Enter');
      await poll(() => page.getByRole('list', { name: 'History of this webhook' }).getByRole('button').count()).toBe(
        i + 1,
      );
    }
    expect(await page.evaluate<number[]>(tabStopsPerList)).toEqual([1, 1, 1]);
    await page.locator('body').focus();
    let tabs = 0;
    while ((await focused(page)) !== 'URL' && tabs < 60) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    console.log(`Tabs from load to the URL: ${tabs}`);
    expect(tabs).toBeLessThan(15);
  });

  it('moves within a list with the arrows, Home and End, and leaves it with Tab', async () => {
    const list = page.getByRole('navigation', { name: 'Collection' }).getByRole('list', { name: 'Contexts' });
    const names = (await list.getByRole('button').allTextContents()).map((t) => t.replace(/active$/, ''));
    expect(names.length).toBeGreaterThan(1);
    await list.getByRole('button').first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toContain(names[1]);
    await page.keyboard.press('End');
    expect(await focused(page)).toContain(names[names.length - 1]);
    await page.keyboard.press('Home');
    expect(await focused(page)).toContain(names[0]);
    await page.keyboard.press('Tab');
    const inList = `document.querySelector('nav ul[aria-label="Contexts"]').contains(document.activeElement)`;
    expect(await page.evaluate<boolean>(inList)).toBe(false);
    expect(await list.locator('[tabindex="0"]').count()).toBe(1);
  });

  it('puts the cursor in the URL after New webhook from the palette', async () => {
    await palette(page, 'new webhook');
    await poll(() => focused(page)).toBe('URL');
  });

  it('puts the cursor in the new row after + Add header and + Add mapping', async () => {
    await palette(page, 'edit headers');
    await poll(() => focused(page)).toMatch(/^Headers/);
    await page.getByRole('button', { name: '+ Add header' }).press('Enter');
    await poll(() => focused(page)).toBe('Header 1 name');
    await palette(page, 'edit mappings');
    await poll(() => focused(page)).toMatch(/^Mappings/);
    await page.getByRole('button', { name: '+ Add mapping' }).press('Enter');
    await poll(() => focused(page)).toBe('Mapping 1 response attribute');
  });

  it('focuses row 6 when a diagnostic says "go to mapping · row 6"', async () => {
    mkdirSync(path.join(fresh.studio().collectionDir, 'webhooks'), { recursive: true });
    writeFileSync(path.join(fresh.studio().collectionDir, 'webhooks', 'six.webhook.yaml'), sixMappings());
    await page.reload();
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: /Six mappings/ }).click();
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Six mappings');
    await palette(page, 'show preview');
    await page
      .getByRole('button', { name: /go to mapping · row 6/ })
      .first()
      .press('Enter');
    await poll(() => focused(page)).toMatch(/^Mapping 6 /);
  });

  it('starts the Delete dialog on Cancel, so Enter deletes nothing', async () => {
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: 'Delete' }).press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete webhook' });
    await dialog.waitFor();
    expect(await focused(page)).toBe('Cancel');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await nav.getByRole('button', { name: /Six mappings/ }).count()).toBe(1);
  });

  it('finds commands by their initials in the palette', async () => {
    await page.keyboard.press('ControlOrMeta+K');
    await page.keyboard.type('nw');
    const first = page.getByRole('listbox', { name: 'Commands' }).getByRole('option').first();
    expect(await first.textContent()).toBe('New webhook');
    await page.keyboard.press('Escape');
  });
});

describe('the whole flow from the keyboard', () => {
  const fresh = freshStudio();
  let page: Page;
  beforeAll(() => {
    page = fresh.studio().page;
  });

  it('creates a webhook, types its URL, adds a header and a mapping, sends and reads the mapping in < 25 presses', async () => {
    const keys = keyCounter(page);
    await keys.press('ControlOrMeta+K');
    await keys.query('nw');
    await keys.press('Enter');
    await poll(() => focused(page)).toBe('URL');
    await keys.text('http://catcher.local/keyboard');

    await keys.press('ControlOrMeta+K');
    await keys.query('ah');
    await keys.press('Enter');
    await poll(() => focused(page)).toBe('Header 1 name');
    await keys.text('X-Keyboard');
    await keys.press('Tab');
    expect(await focused(page)).toBe('Header 1 value');
    await keys.text('yes');

    await keys.press('ControlOrMeta+K');
    await keys.query('am');
    await keys.press('Enter');
    await poll(() => focused(page)).toBe('Mapping 1 response attribute');
    await keys.text('status');
    await keys.press('Tab');
    await keys.press('ArrowDown');
    const field = await page.getByLabel('Mapping 1 lead field').inputValue();
    expect(field).not.toBe('');

    await keys.press('ControlOrMeta+Enter');
    await page.getByTestId('response-status').waitFor({ timeout: 30_000 });
    await keys.press('ControlOrMeta+K');
    await keys.query('lm');
    await keys.press('Enter');
    await page.getByTestId('mapping-view').waitFor();
    const row = page.getByTestId('lead-table').getByRole('row', { name: new RegExp(field) });
    await row.waitFor();
    console.log(`keyboard flow: ${keys.presses} presses`);
    expect(keys.presses).toBeLessThan(25);
  });
});
