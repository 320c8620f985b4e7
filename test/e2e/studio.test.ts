import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeSerious, openStudio, poll, pageProblems, screenshot, type Studio } from './studio-harness';
import { templateSelectionScript } from './page-scripts';
import { setEditor } from './page-actions';

/** Every file under a folder, for checking what a save wrote. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

const axeFindings: string[] = [];

async function checkScreen(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  for (const v of await axeSerious(page))
    axeFindings.push(
      `${name}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

describe('studio in Chromium against the browser host', () => {
  let studio: Studio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio();
    page = studio.page;
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('opens the sample collection with its webhooks, contexts and a rendered preview', async () => {
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await expect(nav.getByRole('button', { name: /Enrich lead/ }).count()).resolves.toBe(1);
    await expect(nav.getByRole('button', { name: /Plain lead/ }).count()).resolves.toBe(1);
    await page.getByTestId('preview-body').waitFor();
    expect(await page.getByTestId('preview-body').textContent()).toContain('"ada@example.com"');
    await checkScreen(page, '01-editor-preview');
  });

  it('composes a webhook from scratch, edits the context, sends, and shows the lead before → after', async () => {
    await page.getByRole('button', { name: 'New webhook' }).click();
    await page.getByLabel('Webhook name').fill('Compose test');
    await setEditor(page, 'URL', 'http://catcher.local/enrich?email={{lead.Email Address}}');
    await setEditor(page, 'Template', '{"email": {{lead.Email Address}}, "first": {{lead.First Name:default=Friend}}}');

    // The live preview follows every edit, rendered by the engine in the page.
    await poll(() => page.getByTestId('wire-target').textContent()).toContain(
      'POST /enrich?email=ada@example.com HTTP/1.1',
    );
    await poll(() => page.getByTestId('preview-body').textContent()).toBe(
      '{"email": "ada@example.com", "first": "Ada"}',
    );

    await page.getByRole('tab', { name: /Headers/ }).click();
    await page.getByRole('button', { name: '+ Content-Type: application/json' }).click();
    await checkScreen(page, '02-headers');

    await page.getByRole('tab', { name: /Mappings/ }).click();
    await page.getByRole('button', { name: '+ Add mapping' }).click();
    await page.getByLabel('Mapping 1 response attribute').fill('company.industry');
    await page.getByLabel('Mapping 1 lead field').fill('Industry');
    await page.getByLabel('Mapping 1 lead field').press('Enter');
    await checkScreen(page, '03-mappings');

    await page.getByRole('tab', { name: 'Settings' }).click();
    await checkScreen(page, '04-settings');
    await page.getByRole('tab', { name: 'Template' }).click();

    await page.keyboard.press('ControlOrMeta+S');
    await poll(() => page.getByText('Unsaved', { exact: true }).count()).toBe(0);
    const saved = filesUnder(studio.collectionDir).filter((f) => readFileSync(f, 'utf8').includes('Compose test'));
    expect(saved).toHaveLength(1);

    // Edit the active context: the preview changes with it.
    await page
      .getByRole('navigation', { name: 'Collection' })
      .getByRole('button', { name: /Plain lead/ })
      .click();
    const first = page.getByLabel('Lead First Name: value');
    await first.fill('Grace');
    await checkScreen(page, '05-context-editor');
    await poll(() => page.getByTestId('preview-body').textContent()).toBe(
      '{"email": "ada@example.com", "first": "Grace"}',
    );

    // Back to the webhook and send it to the catcher.
    await page
      .getByRole('navigation', { name: 'Collection' })
      .getByRole('button', { name: /Compose test/ })
      .click();
    await page.getByRole('button', { name: /^Send/ }).click();
    await page.getByTestId('response-status').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('response-status').textContent()).toBe('200 OK');
    expect(await page.getByTestId('outcome-banner').textContent()).toContain('Marketo applies the response mappings');
    await checkScreen(page, '06-response');

    await page.getByRole('tab', { name: 'Timing & cost' }).click();
    expect(await page.getByTestId('campaign-cost').textContent()).toMatch(/× 10,000 leads/);
    await checkScreen(page, '07-timing-cost');

    await page.getByRole('tab', { name: 'Lead mapping' }).click();
    const row = page.getByTestId('lead-table').getByRole('row', { name: /Industry/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Industry.*Computing.*written/);
    await checkScreen(page, '08-lead-mapping');

    // The send is in the webhook's history; opening the entry shows that exchange again.
    const history = page.getByRole('list', { name: 'History of this webhook' });
    await history.getByRole('button').first().waitFor();
    await page.getByRole('tab', { name: 'Preview' }).click();
    await history.getByRole('button').first().click();
    await page.getByTestId('response-status').waitFor();
    expect(await page.getByTestId('response-status').textContent()).toBe('200 OK');
  });

  it('offers token completions from the field catalog as you type', async () => {
    await page.getByRole('tab', { name: 'Preview' }).click();
    const editor = page.getByRole('textbox', { name: 'Template', exact: true });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' {{lead.Job');
    const option = page.getByRole('option', { name: /Job Title/ });
    await option.waitFor();
    await checkScreen(page, '09-autocomplete');
    await page.keyboard.press('Enter');
    await poll(() => editor.textContent()).toContain('{{lead.Job Title}}');
  });

  it('runs commands from the palette', async () => {
    await page.keyboard.press('ControlOrMeta+K');
    const input = page.getByRole('combobox', { name: 'Type a command' });
    await input.waitFor();
    await input.fill('open webhook sms');
    await checkScreen(page, '10-command-palette');
    await page.keyboard.press('Enter');
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Send SMS (Form/Url)');
  });

  it('imports a curl command as a new webhook', async () => {
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'order.sh',
      mimeType: 'text/plain',
      buffer: Buffer.from(
        "curl -X POST 'https://api.example.com/orders?src=mkto' -H 'Content-Type: application/json' -d '{\"id\": 1}'\n",
      ),
    });
    await page.getByRole('dialog').getByRole('button', { name: 'Import', exact: true }).click();
    const report = page.getByRole('dialog').getByRole('status');
    await report.waitFor();
    expect(await report.textContent()).toMatch(/1 created/);
    await checkScreen(page, '11-import');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await poll(() =>
      page.getByRole('navigation', { name: 'Collection' }).getByRole('button', { name: /POST/ }).count(),
    ).toBe(5);
  });

  it('sends to the built-in catcher instead of the URL when asked', async () => {
    await page
      .getByRole('navigation', { name: 'Collection' })
      .getByRole('button', { name: /api\.example\.com/ })
      .click();
    await page.getByLabel('Send to').selectOption('catcher');
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.getByTestId('response-status').waitFor({ timeout: 30_000 });
    // The webhook's URL is what the user wrote; where the request really went is a separate fact.
    expect(await page.getByTestId('response-url').textContent()).toContain('api.example.com');
    expect(await page.getByTestId('response-went-to').textContent()).toMatch(
      /went to http:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d+ \(the built-in catcher\)/,
    );
    await page.getByLabel('Send to').selectOption('url');
  });

  it('exports the open webhook as a download', async () => {
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByLabel('Format').selectOption('curl');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export and download' }).click(),
    ]);
    const file = await download.path();
    expect(readFileSync(file, 'utf8')).toContain('curl');
    await page.keyboard.press('Escape');
  });

  it('jumps from a diagnostic to its place in the template', async () => {
    await page
      .getByRole('navigation', { name: 'Collection' })
      .getByRole('button', { name: /Enrich lead/ })
      .click();
    await page.getByRole('tab', { name: 'Preview' }).click();
    await setEditor(page, 'Template', '{"pattern": "a\\s+b"}');
    const diag = page.locator('button.diag.error').first();
    await diag.waitFor();
    expect(await diag.textContent()).toMatch(/\\s/);
    await checkScreen(page, '16-diagnostics');
    await diag.click();
    const selected = await page.evaluate<{ focused: boolean; text: string }>(templateSelectionScript);
    expect(selected.focused).toBe(true);
    expect(selected.text).toContain('\\');
  });

  it('keeps unsaved edits when the file changes on disk, and overwrites only when asked', async () => {
    await page
      .getByRole('navigation', { name: 'Collection' })
      .getByRole('button', { name: /Account lookup/ })
      .click();
    await page.getByLabel('Webhook name').fill('Account lookup (mine)');
    const file = filesUnder(studio.collectionDir).find((f) => readFileSync(f, 'utf8').includes('Account lookup'));
    expect(file).toBeDefined();
    writeFileSync(
      file as string,
      readFileSync(file as string, 'utf8').replace('Account lookup', 'Account lookup (theirs)'),
    );
    const alert = page.getByRole('alert').filter({ hasText: 'changed on disk' });
    await alert.waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Webhook name').inputValue()).toBe('Account lookup (mine)');
    await checkScreen(page, '17-conflict');
    await alert.getByRole('button', { name: 'Overwrite with mine' }).click();
    await poll(() => readFileSync(file as string, 'utf8')).toContain('Account lookup (mine)');
  });

  it('duplicates, renames, moves and deletes a webhook from the sidebar', async () => {
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: /Send SMS/ }).click();
    await nav.getByRole('button', { name: 'Duplicate', exact: true }).click();
    await nav.getByRole('button', { name: /Send SMS \(Form\/Url\) copy/ }).waitFor();
    await poll(
      () =>
        filesUnder(studio.collectionDir).filter((f) => readFileSync(f, 'utf8').includes('Send SMS (Form/Url) copy'))
          .length,
    ).toBe(1);

    await nav.getByRole('button', { name: 'Rename', exact: true }).click();
    const rename = page.getByRole('dialog', { name: 'Rename webhook' });
    await rename.getByLabel('New name').fill('SMS copy');
    await checkScreen(page, '20-rename-dialog');
    await page.keyboard.press('Enter');
    await nav.getByRole('button', { name: /SMS copy/ }).waitFor();

    await nav.getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByRole('dialog', { name: 'Move webhook to folder' }).getByRole('textbox').fill('archive');
    await page.keyboard.press('Enter');
    await nav
      .getByRole('list', { name: 'Folder archive' })
      .getByRole('button', { name: /SMS copy/ })
      .waitFor();
    await poll(() =>
      filesUnder(studio.collectionDir).some(
        (f) => f.includes(`${path.sep}archive${path.sep}`) && readFileSync(f, 'utf8').includes('SMS copy'),
      ),
    ).toBe(true);

    await nav.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Delete webhook' }).getByRole('button', { name: 'Delete' }).click();
    await poll(() => nav.getByRole('button', { name: /SMS copy/ }).count()).toBe(0);
    // The deleted file waits in the trash (.studio/trash, git-ignored) for Undo: gone from the collection itself.
    const trash = `${path.sep}.studio${path.sep}`;
    await poll(() =>
      filesUnder(studio.collectionDir).some((f) => !f.includes(trash) && readFileSync(f, 'utf8').includes('SMS copy')),
    ).toBe(false);
  });

  it('shows no serious or critical accessibility violation on any main screen, and the page logged no errors', () => {
    expect(axeFindings).toEqual([]);
    expect(pageProblems(page)).toEqual([]);
  });
});

describe('studio in the dark', () => {
  it('follows the system colour scheme', async () => {
    const studio = await openStudio({ colorScheme: 'dark' });
    try {
      const bg = await studio.page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
      expect(bg).toBe('rgb(23, 23, 27)');
      await studio.page.getByTestId('preview-body').waitFor();
      const before = axeFindings.length;
      await checkScreen(studio.page, '12-dark');
      await studio.page.getByRole('button', { name: /^Send/ }).click();
      await studio.page.getByTestId('outcome-banner').waitFor({ timeout: 30_000 });
      await checkScreen(studio.page, '12b-dark-response');
      await studio.page.getByRole('tab', { name: 'Lead mapping' }).click();
      await studio.page.getByTestId('lead-table').waitFor();
      await checkScreen(studio.page, '12c-dark-mapping');
      await studio.page
        .getByRole('navigation', { name: 'Collection' })
        .getByRole('button', { name: /Plain lead/ })
        .click();
      await checkScreen(studio.page, '12d-dark-context');
      expect(axeFindings.slice(before)).toEqual([]);
    } finally {
      await studio.close();
    }
  });
});

describe('the runner entry point', () => {
  it('mounts the runner view for the open webhook', async () => {
    const studio = await openStudio();
    try {
      await studio.page.getByRole('button', { name: 'Runner', exact: true }).click();
      await studio.page.getByRole('region', { name: 'Runner' }).waitFor();
      await studio.page.waitForTimeout(300);
      await screenshot(studio.page, '18-runner');
      expect(await studio.page.getByRole('button', { name: 'Runner', exact: true }).getAttribute('aria-pressed')).toBe(
        'true',
      );
    } finally {
      await studio.close();
    }
  });

  it('lists only the leads that did not succeed when asked: here the two bad rows', async () => {
    const studio = await openStudio();
    try {
      const page = studio.page;
      await page.getByRole('button', { name: 'Runner', exact: true }).click();
      const region = page.getByRole('region', { name: 'Runner' });
      const leads = [
        'Email Address,First Name,Last Name',
        'ada@example.com,Ada,Lovelace',
        'grace@example.com,Grace',
        'alan@example.com,Alan,Turing',
        'edsger@example.com,Edsger,Dijkstra',
        'barbara@example.com',
        'donald@example.com,Donald,Knuth',
      ].join('\n');
      await region.getByLabel('Leads file', { exact: true }).setInputFiles({
        name: 'leads.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`${leads}\n`),
      });
      await region.getByLabel('Send each lead to').selectOption('catcher');
      await region.getByRole('button', { name: 'Run', exact: true }).click();
      await poll(() => page.getByTestId('count-succeeded').textContent(), 60_000).toBe('4');
      await poll(() => page.getByTestId('count-skipped').textContent()).toBe('2');

      const shown = region.getByRole('group', { name: 'Leads shown' });
      await poll(() => shown.getByRole('button').allTextContents()).toEqual(['All leads (6)', 'Did not succeed (2)']);
      const rows = (name: string) =>
        region.getByRole('table', { name, exact: true }).locator('.runner-row:not(.runner-head):not(.loading)');
      await poll(() => rows('Leads').count()).toBe(6);

      await shown.getByRole('button', { name: 'Did not succeed (2)' }).click();
      await poll(() =>
        rows('Leads that did not succeed').evaluateAll((els) =>
          els.map((el) => [...el.querySelectorAll('[role="cell"]')].slice(0, 3).map((c) => c.textContent)),
        ),
      ).toEqual([
        ['3', 'line 3', 'not-sent'],
        ['6', 'line 6', 'not-sent'],
      ]);
      expect(await shown.getByRole('button', { name: 'Did not succeed (2)' }).getAttribute('aria-pressed')).toBe(
        'true',
      );
      await expect(region.getByText(/^Outcomes:/).textContent()).resolves.toMatch(/not sent 2/);
      await screenshot(page, '18b-runner-not-succeeded');

      // The open lead's exchange is by line, whichever list it was opened from.
      await rows('Leads that did not succeed').first().click();
      await poll(() => region.getByRole('alert').textContent()).toMatch(
        /^Line 3: a bad row, not sent: missing columns/,
      );
      // The row said why it has no exchange: nothing was asked that could only be refused (a 404 in the console).
      expect(pageProblems(page)).toEqual([]);
    } finally {
      await studio.close();
    }
  });
});
