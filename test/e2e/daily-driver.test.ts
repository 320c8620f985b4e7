import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, poll, type Studio } from './studio-harness';
import { startHost, type Host } from '../../electron/host/serve';
import { initCollection } from '../../electron/services/collection/index';
import { setEditor } from './page-actions';

/** Issue 14, items 1–4: an edit is never changed without the user; sessions and drafts survive. */

function crlfWebhook(url: string): string {
  return [
    'name: CRLF header',
    `url: ${url}`,
    'method: POST',
    'encoding: json',
    'responseType: json',
    "template: '{}'",
    'headers:',
    '  - name: X-Probe',
    '    value: "ok\\r\\nInjected"',
    'mappings: []',
    '',
  ].join('\n');
}

const unsaved = (page: Page) =>
  page.getByRole('region', { name: 'Webhook editor' }).getByText('Unsaved', { exact: true });

describe('daily driver: editing and sessions', () => {
  let studio: Studio;
  let page: Page;
  let file: string;
  const extra: { host?: Host; restarted?: Host; dirs: string[] } = { dirs: [] };

  beforeAll(async () => {
    studio = await openStudio();
    page = studio.page;
    mkdirSync(path.join(studio.collectionDir, 'webhooks', 'zz'), { recursive: true });
    file = path.join(studio.collectionDir, 'webhooks', 'zz', 'crlf.webhook.yaml');
  });

  afterAll(async () => {
    await extra.host?.close();
    await extra.restarted?.close();
    await studio?.close();
    for (const d of extra.dirs) rmSync(d, { recursive: true, force: true });
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

  it('two hosts on two ports in one browser keep their own sessions (item 3)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'studio-e2e-second-'));
    extra.dirs.push(root);
    await initCollection(path.join(root, 'collection'));
    extra.host = await startHost({
      collectionDir: path.join(root, 'collection'),
      port: 0,
      rendererDir: 'out/renderer',
      userDataDir: root,
    });
    const second = await page.context().newPage();
    await second.goto(extra.host.url);
    await second.getByRole('navigation', { name: 'Collection' }).waitFor();
    // The first page, opened before the second host's cookie was set, still talks to its own host.
    await page.reload();
    await page.getByRole('navigation', { name: 'Collection' }).waitFor();
    await second.reload();
    await second.getByRole('navigation', { name: 'Collection' }).waitFor();
    await second.close();
  });

  it('keeps unsaved edits and the open webhook across a reload (item 2)', async () => {
    page.on('dialog', (d) => void d.accept());
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: /Send SMS/ }).click();
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Send SMS (Form/Url)');
    await setEditor(page, 'URL', 'http://127.0.0.1:9/draft-kept');
    await poll(() => unsaved(page).count()).toBe(1);
    await page.reload();
    await nav.waitFor();
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Send SMS (Form/Url)');
    await poll(() => page.getByRole('textbox', { name: 'URL', exact: true }).textContent()).toBe(
      'http://127.0.0.1:9/draft-kept',
    );
    await poll(() => unsaved(page).count()).toBe(1);

    // A webhook never saved comes back too, and is the one that opens.
    await page.getByRole('button', { name: 'New webhook' }).first().click();
    await page.getByLabel('Webhook name').fill('Draft across reload');
    await page.reload();
    await nav.waitFor();
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Draft across reload');
    await poll(() => unsaved(page).count()).toBe(1);
    await nav.getByRole('button', { name: /Send SMS/ }).click();
    await poll(() => page.getByRole('textbox', { name: 'URL', exact: true }).textContent()).toBe(
      'http://127.0.0.1:9/draft-kept',
    );
  });

  it('after a host restart: says how to reconnect, marks the old response stale, and the drafts survive reconnecting (item 3)', async () => {
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: /Enrich lead/ }).click();
    await page.getByLabel('Send to').selectOption('catcher');
    await page.getByRole('button', { name: /^Send/ }).click();
    await poll(() => page.getByTestId('response-status').textContent()).toBe('200 OK');

    const port = Number(new URL(studio.host.origin).port);
    await studio.host.close();
    extra.restarted = await startHost({
      collectionDir: studio.collectionDir,
      port,
      rendererDir: 'out/renderer',
      userDataDir: path.join(studio.root, 'user-data'),
    });

    await page.getByLabel('Webhook name').fill('Enrich lead (kept)');
    await page.getByRole('button', { name: /^Send/ }).click();
    await page
      .getByText(/To reconnect, open in this tab the address/)
      .first()
      .waitFor();
    await page.getByRole('tab', { name: 'Response' }).click();
    await poll(() => page.getByTestId('stale-response').textContent()).toContain('from an earlier send');

    await page.goto(extra.restarted.url);
    await nav.waitFor();
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('Enrich lead (kept)');
    await poll(() => unsaved(page).count()).toBe(1);
  });
});
