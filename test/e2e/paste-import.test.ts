import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openStudio, pageProblems, poll, screenshot, type Studio } from './studio-harness';

/** Installs in the page how a paste is fired: as the browser would, a ClipboardEvent holding the text (composed, so it crosses the editors' shadow roots), and how an editor's lines are read. */
const pageHelpersScript = `(() => {
  window.__firePaste = (el, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
  };
  window.__editorLines = (el) => [...el.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\\n');
})()`;

type PageHelpers = { __firePaste: (el: unknown, text: string) => void; __editorLines: (el: unknown) => string };

/** A paste on `on`, or on the page with nothing focused. */
async function paste(page: Page, text: string, on?: Locator): Promise<void> {
  await page.evaluate(pageHelpersScript);
  if (!on) await page.evaluate(`document.activeElement && document.activeElement.blur()`);
  await (on ?? page.locator('body')).evaluate(
    (el, t) => (globalThis as unknown as PageHelpers).__firePaste(el, t),
    text,
  );
}

/** The text of a CodeMirror editor, its lines joined by line breaks. */
async function editorText(page: Page, name: string): Promise<string> {
  await page.evaluate(pageHelpersScript);
  return page
    .getByRole('textbox', { name, exact: true })
    .evaluate((el) => (globalThis as unknown as PageHelpers).__editorLines(el));
}

/** The open webhook as the editor shows it: name, method, URL, headers, body. */
async function shown(page: Page) {
  await page.getByRole('tab', { name: /Headers/ }).click();
  const names = page.getByRole('textbox', { name: /^Header \d+ name$/ });
  const headers: string[] = [];
  for (let i = 0; i < (await names.count()); i++)
    headers.push(`${await names.nth(i).inputValue()}: ${await editorText(page, `Header ${i + 1} value`)}`);
  await page.getByRole('tab', { name: /Template/ }).click();
  return {
    name: await page.getByLabel('Webhook name').inputValue(),
    method: await page.getByLabel('Request type').inputValue(),
    url: await editorText(page, 'URL'),
    headers,
    body: await editorText(page, 'Template'),
  };
}

describe('paste a request to import it', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await openStudio();
  }, 60_000);
  afterAll(async () => {
    await studio.close();
  });

  it('a curl command pasted on the page opens as a new unsaved webhook, with Undo', async () => {
    const { page } = studio;
    const nav = page.getByRole('navigation', { name: 'Collection' });
    const before = await nav.getByRole('button').count();
    await paste(
      page,
      `curl -X PUT 'https://api.example.com/v1/leads?src=mkto&tag=a%26b&q=x y' \\\n  -H 'Content-Type: application/json' \\\n  -H 'X-Api-Key: k1' \\\n  --data-raw '{"email":"ada@example.com"}'`,
    );
    const notice = page.locator('.notice', {
      hasText: 'Imported PUT api.example.com/v1/leads from the pasted curl command',
    });
    await notice.waitFor();
    await poll(() => page.getByLabel('Webhook name').inputValue()).toBe('PUT api.example.com/v1/leads');
    expect(await shown(page)).toEqual({
      name: 'PUT api.example.com/v1/leads',
      method: 'PUT',
      url: 'https://api.example.com/v1/leads?src=mkto&tag=a%26b&q=x y',
      headers: ['Content-Type: application/json', 'X-Api-Key: k1'],
      body: '{"email":"ada@example.com"}',
    });
    expect(await page.locator('.statusbar').textContent()).toContain('1 unsaved');
    await notice.getByRole('button', { name: 'Undo' }).click();
    await poll(() => nav.getByRole('button', { name: /PUT api\.example\.com/ }).count()).toBe(0);
    expect(await nav.getByRole('button').count()).toBe(before);
    expect(pageProblems(page)).toEqual([]);
  });

  it('a raw HTTP request pasted on the page opens as a new webhook: origin from Host, target verbatim', async () => {
    const { page } = studio;
    await paste(
      page,
      'POST /hooks/lead?id=7&name=Jack%20%26%20Jill HTTP/1.1\r\nHost: hooks.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\na=1&b=%26',
    );
    await page.locator('.notice', { hasText: 'from the pasted HTTP request' }).waitFor();
    expect(await shown(page)).toEqual({
      name: 'POST hooks.example.com/hooks/lead',
      method: 'POST',
      url: 'https://hooks.example.com/hooks/lead?id=7&name=Jack%20%26%20Jill',
      headers: ['Content-Type: application/x-www-form-urlencoded'],
      body: 'a=1&b=%26',
    });
    expect(await page.locator('.template-bar').textContent()).toContain('Encoding Form/Url');
  });

  it('garbage, or a request its reader refuses, imports nothing and says why', async () => {
    const { page } = studio;
    const nav = page.getByRole('navigation', { name: 'Collection' });
    const before = await nav.getByRole('button').count();
    await paste(page, 'hello, this is not a request');
    await page.locator('.notice', { hasText: 'Nothing imported: the pasted text is neither a curl command' }).waitFor();
    await paste(page, 'HEAD /x HTTP/1.1\nHost: h\n');
    await page.locator('.notice.error', { hasText: 'line 1: request method HEAD is not one Marketo offers' }).waitFor();
    await paste(page, `curl 'https://x.example/open`);
    await page.locator('.notice.error', { hasText: 'unterminated single quote at line 1, column 6' }).waitFor();
    await paste(page, `POST /big HTTP/1.1\nHost: h\n\n${'a'.repeat(6 * 1024 * 1024)}`);
    await page.locator('.notice.error', { hasText: 'a pasted request may have at most 5242880 (5 MB)' }).waitFor();
    expect(await nav.getByRole('button').count()).toBe(before);
  });

  it('a curl command pasted into the URL field fills the webhook; into the template it is just text', async () => {
    const { page } = studio;
    const nav = page.getByRole('navigation', { name: 'Collection' });
    await nav.getByRole('button', { name: /Enrich lead/ }).click();
    const name = await page.getByLabel('Webhook name').inputValue();
    const count = await nav.getByRole('button').count();
    // In the template (a text field) a curl command is text like any other: the page does not import it.
    const template = page.getByRole('textbox', { name: 'Template', exact: true });
    await template.click();
    await page.keyboard.press('ControlOrMeta+End');
    await paste(page, ' curl https://in.template.example/', template);
    await poll(() => editorText(page, 'Template')).toMatch(/ curl https:\/\/in\.template\.example\/$/);
    expect(await nav.getByRole('button').count()).toBe(count);
    expect(await page.locator('.notice', { hasText: 'in.template' }).count()).toBe(0);
    await page.getByRole('textbox', { name: 'URL', exact: true }).click();
    await paste(
      page,
      `curl https://enrich.example.com/v2/p?a=%2F -H 'Authorization: Bearer t' --json '{"id":1}'`,
      page.getByRole('textbox', { name: 'URL', exact: true }),
    );
    await page.locator('.notice', { hasText: `Converted the pasted curl command into ${name}` }).waitFor();
    expect(await shown(page)).toEqual({
      name,
      method: 'POST',
      url: 'https://enrich.example.com/v2/p?a=%2F',
      headers: ['Authorization: Bearer t', 'Content-Type: application/json', 'Accept: application/json'],
      body: '{"id":1}',
    });
  });

  it('the Import dialog takes pasted text: a problem is named in place and the text kept; then it imports', async () => {
    const { page } = studio;
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const dialog = page.getByRole('dialog');
    const box = dialog.getByLabel('Or paste');
    expect(await box.getAttribute('placeholder')).toMatch(/^curl -X POST/);
    await screenshot(page, 'paste-import-dialog-empty');
    const broken = 'POST /v1/x HTTP/1.1\nHost: api.example.com\n{"a":1}';
    await box.fill(broken);
    // A paste inside the dialog is the dialog's: the page does not import it on its own.
    await paste(page, 'curl https://not.example/', box);
    await dialog.getByRole('button', { name: 'Import pasted text' }).click();
    const problem = dialog.getByRole('alert');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/^The pasted HTTP request: line 3: “\{"a":1\}” is not a header/);
    expect(await box.inputValue()).toBe(broken);
    // The caret waits at the line the problem names.
    expect(await box.evaluate((el) => (el as unknown as { selectionStart: number }).selectionStart)).toBe(
      broken.indexOf('{'),
    );
    await screenshot(page, 'paste-import-dialog-problem');
    await box.fill('POST /v1/x HTTP/1.1\nHost: api.example.com\nContent-Type: application/json\n\n{"a":1}');
    await dialog.getByRole('button', { name: 'Import pasted text' }).click();
    const report = dialog.getByRole('status');
    await report.waitFor();
    expect(await report.textContent()).toMatch(/Imported as http-request\. 1 created/);
    expect(await report.textContent()).toContain('webhooks/post-api-example-com-v1-x.webhook.yaml');
    await screenshot(page, 'paste-import-dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await poll(() =>
      page
        .getByRole('navigation', { name: 'Collection' })
        .getByRole('button', { name: /not\.example/ })
        .count(),
    ).toBe(0);
    expect(pageProblems(page)).toEqual([]);
  });
});
