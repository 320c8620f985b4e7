import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, poll, type Studio } from './studio-harness';
import { checkView, editorControls, shellControls, small, type ViewReport } from './layout-check';

/**
 * Issue 14, item 6: at 1024×700 no view is wider than the window, the key controls are inside it, and axe finds
 * nothing serious. Every view is also screenshot at 1024×700 and 1440×900 (test-results/screenshots/layout-*.png).
 */

const leadsCsv = [
  'Email Address,First Name,Last Name',
  'ada@example.com,Ada,Lovelace',
  'grace@example.com,Grace,Hopper',
]
  .join('\n')
  .concat('\n');

describe('layout at 1024×700', () => {
  let studio: Studio;
  let page: Page;
  const reports: ViewReport[] = [];
  const record = async (view: string, controls: Parameters<typeof checkView>[2]) => {
    reports.push(await checkView(page, view, controls));
  };

  beforeAll(async () => {
    studio = await openStudio(small);
    page = studio.page;
    await page.getByTestId('preview-body').waitFor();
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('the webhook editor with each of its tabs', async () => {
    for (const tab of ['Template', 'Headers', 'Settings', 'Mappings']) {
      await page
        .getByRole('region', { name: 'Webhook editor' })
        .getByRole('tab', { name: new RegExp(`^${tab}`) })
        .click();
      await record(`editor-${tab.toLowerCase()}`, editorControls(page));
    }
    await page.getByRole('tab', { name: /^Template/ }).click();
  });

  it('the context editor', async () => {
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: /Plain lead/ }).click();
    await page.getByLabel('Lead First Name: value').waitFor();
    await record('context-editor', {
      ...shellControls(page),
      'right pane': page.getByRole('region', { name: 'Preview and response' }),
    });
    await nav.getByRole('button', { name: /Enrich lead/ }).click();
  });

  it('the response pane after a send to the built-in catcher, its tabs, the lead mapping and the history', async () => {
    await page.getByLabel('Send to').selectOption('catcher');
    await page.getByRole('button', { name: /^Send/ }).click();
    await page.getByTestId('response-status').waitFor({ timeout: 30_000 });
    await record('response-body', editorControls(page));
    for (const tab of ['Headers', 'Timing & cost', 'Compare']) {
      await page
        .getByTestId('response')
        .getByRole('tab', { name: new RegExp(`^${tab}`) })
        .click();
      await record(`response-${tab.split(' ')[0]?.toLowerCase() ?? tab}`, editorControls(page));
    }
    await page.getByRole('tab', { name: 'Lead mapping' }).click();
    await page.getByTestId('lead-table').waitFor();
    await record('lead-mapping', editorControls(page));
    await page.getByRole('list', { name: 'History of this webhook' }).getByRole('button').first().waitFor();
    await page
      .getByRole('tablist', { name: 'Result' })
      .getByRole('tab', { name: /^Response/ })
      .click();
    await record('history', {
      ...editorControls(page),
      history: page.getByRole('list', { name: 'History of this webhook' }),
    });
  });

  it('the triggers panel and its form', async () => {
    await page
      .getByRole('tablist', { name: 'Result' })
      .getByRole('tab', { name: /^Response/ })
      .click();
    const panel = page.getByTestId('triggers-panel');
    await panel.waitFor({ timeout: 20_000 });
    await panel.scrollIntoViewIfNeeded();
    await record('triggers', { ...editorControls(page), triggers: panel });
    await panel.getByRole('button', { name: 'Add trigger…' }).click();
    await page.getByLabel('Trigger name').waitFor();
    await record('trigger-form', { ...editorControls(page), 'trigger name': page.getByLabel('Trigger name') });
    await panel.getByRole('button', { name: 'Cancel', exact: true }).click();
    await poll(() => page.getByLabel('Trigger name').count()).toBe(0);
  });

  it('the command palette', async () => {
    await page.keyboard.press('ControlOrMeta+K');
    const input = page.getByRole('combobox', { name: 'Type a command' });
    await input.waitFor();
    await record('palette', { ...shellControls(page), palette: input });
    await page.keyboard.press('Escape');
    await poll(() => input.count()).toBe(0);
  });

  it('the dialogs: open, import, export, rename, move, delete, catcher answers, collection settings', async () => {
    const dialog = page.getByRole('dialog');
    const open = async (name: string, click: () => Promise<void>) => {
      await click();
      await dialog.first().waitFor();
      await record(`dialog-${name}`, { ...shellControls(page), dialog: dialog.first() });
      await page.keyboard.press('Escape');
      await poll(() => dialog.count()).toBe(0);
    };
    await open('open', () => page.locator('.toolbar .collection-name').click());
    await open('import', () => page.getByRole('button', { name: 'Import', exact: true }).click());
    await open('export', () => page.getByRole('button', { name: 'Export', exact: true }).click());
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await open('rename', () => nav.getByRole('button', { name: 'Rename', exact: true }).click());
    await open('move', () => nav.getByRole('button', { name: 'Move', exact: true }).click());
    await open('delete', () => nav.getByRole('button', { name: 'Delete', exact: true }).click());
    await open('catcher-answers', () => page.getByRole('button', { name: 'Catcher answers…' }).click());
    await open('collection-settings', () => page.getByRole('button', { name: 'Collection settings' }).click());
  });

  it('the palette searching the collection, and the tab strip with several documents open', async () => {
    await page.keyboard.press('ControlOrMeta+Shift+F');
    const input = page.getByRole('combobox', { name: 'Search the collection' });
    await input.waitFor();
    await page.keyboard.type('email');
    const hits = page.getByRole('listbox', { name: 'In the collection' }).getByRole('option');
    await poll(() => hits.count()).toBeGreaterThan(0);
    await record('palette-search', { ...shellControls(page), palette: input });
    await page.keyboard.press('Escape');
    await poll(() => input.count()).toBe(0);
    const nav = page.getByRole('navigation', { name: 'Collection' });
    // A context and two webhooks, then back to the webhook the later views use (its response is the one mapped).
    for (const name of [/Tricky lead/, /Account lookup/, /Send SMS/, /Enrich lead/])
      await nav.getByRole('button', { name }).first().click();
    const strip = page.getByRole('tablist', { name: /open/i });
    await poll(() => strip.getByRole('tab').count()).toBeGreaterThan(2);
    await record('tabs', { ...editorControls(page), tabs: strip });
    // The shown tab (the first one, scrolled away while the others opened) is back in sight inside the strip.
    const shown = await strip.getByRole('tab', { selected: true }).boundingBox();
    const box = await strip.boundingBox();
    expect(shown && box && shown.x >= box.x - 1 && shown.x + shown.width <= box.x + box.width + 1).toBe(true);
  });

  it('the map-to-lead-field dialog', async () => {
    await page.getByRole('tab', { name: 'Lead mapping' }).click();
    await page.getByTestId('mapping-view').waitFor();
    const tree = page.getByLabel(/^Response tree: arrow keys/);
    await tree.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Map to lead field' });
    await dialog.waitFor();
    await record('dialog-map', { ...shellControls(page), dialog });
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
  });

  it('the runner: empty, after a run, and with a lead opened', async () => {
    await page.getByRole('button', { name: 'Runner', exact: true }).click();
    const region = page.getByRole('region', { name: 'Runner' });
    await region.waitFor();
    const run = region.getByRole('button', { name: 'Run', exact: true });
    await run.waitFor();
    const runner = {
      ...shellControls(page),
      'runner pane': region,
      'Back to the editor': page.getByRole('button', { name: 'Back to the editor' }),
      Run: run,
    };
    await record('runner-empty', runner);

    await region.getByLabel('Leads file', { exact: true }).setInputFiles({
      name: 'leads.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(leadsCsv),
    });
    await region.getByLabel('Send each lead to').selectOption('catcher');
    await run.click();
    const cancel = region.getByRole('button', { name: 'Cancel', exact: true });
    await cancel.waitFor({ timeout: 30_000 });
    await poll(() => page.getByTestId('count-succeeded').textContent(), 60_000).toBe('2');
    const afterRun = { ...runner, Pause: region.getByRole('button', { name: 'Pause' }), Cancel: cancel };
    await record('runner-done', afterRun);

    await region.locator('.runner-row:not(.runner-head)').first().click();
    await page.waitForTimeout(500);
    await record('runner-detail', { ...afterRun, leads: region.getByRole('table', { name: 'Leads' }) });
    await page.getByRole('button', { name: 'Back to the editor' }).click();
  });

  it('no view is wider than 1024 px, every key control is inside the window, axe finds nothing serious', () => {
    console.table(
      reports.map((r) => ({
        view: r.view,
        html: r.htmlWidth,
        body: r.bodyWidth,
        clipped: r.clipped.join('; '),
        widest: r.widest.join('; '),
      })),
    );
    const problems = reports.flatMap((r) => [
      ...(r.htmlWidth > small.width
        ? [`${r.view}: documentElement.scrollWidth ${r.htmlWidth} (${r.widest.join('; ')})`]
        : []),
      ...(r.bodyWidth > small.width ? [`${r.view}: body.scrollWidth ${r.bodyWidth}`] : []),
      ...r.clipped.map((c) => `${r.view}: clipped ${c}`),
      ...r.axe.map((a) => `${r.view}: axe ${a}`),
    ]);
    expect(reports.length).toBeGreaterThanOrEqual(24);
    expect(problems).toEqual([]);
  });
});
