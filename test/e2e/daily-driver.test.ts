import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, poll, type Studio } from './studio-harness';
import { setEditor } from './page-actions';

/** Issue 14, items 1–4: an edit is never changed without the user; sessions and drafts survive. */

function crlfWebhook(url: string): string {
  return ['name: CRLF header', `url: ${url}`, 'method: POST', 'encoding: json', 'responseType: json', "template: '{}'", 'headers:', '  - name: X-Probe', '    value: "ok\\r\\nInjected"', 'mappings: []', ''].join('\n');
}

const unsaved = (page: Page) => page.getByRole('region', { name: 'Webhook editor' }).getByText('Unsaved', { exact: true });

describe('daily driver: editing and sessions', () => {
  let studio: Studio;
  let page: Page;
  let file: string;

  beforeAll(async () => {
    studio = await openStudio();
    page = studio.page;
    mkdirSync(path.join(studio.collectionDir, 'webhooks', 'zz'), { recursive: true });
    file = path.join(studio.collectionDir, 'webhooks', 'zz', 'crlf.webhook.yaml');
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('shows the history of the webhook opened on load (item 4)', async () => {
    const history = page.getByRole('list', { name: 'History of this webhook' });
    const name = await page.getByLabel('Webhook name').inputValue();
    await page.getByLabel('Send to').selectOption('catcher');
    await page.getByRole('button', { name: /^Send/ }).click();
    await page.getByTestId('response-status').waitFor({ timeout: 30_000 });
    await history.getByRole('button').first().waitFor();
    await page.reload();
    await page.getByRole('navigation', { name: 'Collection' }).waitFor();
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe(name);
    // Without selecting anything: the history of the open webhook is there.
    await poll(() => history.getByRole('button').count()).toBeGreaterThan(0);
  });

  it('a header value with CR/LF from the file is never rewritten by opening a tab or following a diagnostic (item 1)', async () => {
    const text = crlfWebhook('http://127.0.0.1:9/first');
    writeFileSync(file, text);
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: /CRLF header/ }).click();
    const diag = page.locator('button.diag', { hasText: 'header-injection' });
    await diag.waitFor();
    await page.getByRole('tab', { name: /Template/ }).click();
    await diag.click();
    await poll(() => page.getByRole('tab', { name: /Headers/ }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: /Template/ }).click();
    await page.getByRole('tab', { name: /Headers/ }).click();
    // The value is shown with its line break made visible, not silently cleaned.
    await poll(() => page.locator('#panel-headers').textContent()).toContain('ok\\r\\nInjected');
    await page.waitForTimeout(500);
    expect(await unsaved(page).count()).toBe(0);
    expect(await diag.count()).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(text);

    // Outside edits still refresh the open webhook.
    writeFileSync(file, crlfWebhook('http://127.0.0.1:9/second'));
    await poll(() => page.getByTestId('wire-target').textContent()).toContain('/second');
    expect(await page.getByRole('alert').filter({ hasText: 'changed on disk' }).count()).toBe(0);

    // Removing the line break is the user's own choice.
    await page.getByRole('button', { name: /Remove the line break/ }).click();
    await poll(() => unsaved(page).count()).toBe(1);
    await poll(() => diag.count()).toBe(0);
  });

  it('"Load from disk" on a conflict really loads the file (item 1)', async () => {
    // Still unsaved from the line break removed above; the file changes underneath.
    await poll(() => unsaved(page).count()).toBe(1);
    await setEditor(page, 'URL', 'http://127.0.0.1:9/mine');
    writeFileSync(file, crlfWebhook('http://127.0.0.1:9/fourth'));
    const banner = page.getByRole('alert').filter({ hasText: 'changed on disk' });
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Load from disk' }).click();
    await poll(() => banner.count()).toBe(0);
    await poll(() => page.getByTestId('wire-target').textContent()).toContain('/fourth');
    await poll(() => unsaved(page).count()).toBe(0);
    await poll(() => page.locator('button.diag', { hasText: 'header-injection' }).count()).toBe(1);
  });
});
