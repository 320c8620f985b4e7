import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { setEditor } from './page-actions';
import { openStudio, pageProblems, poll, screenshot } from './studio-harness';

describe('history: open as it was, and compare Now with a past send', () => {
  it('after an edit, the first send opens with its old URL and Compare marks the URL against Now', async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      received.push(req.url ?? '');
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const studio = await openStudio();
    try {
      const page = studio.page;
      const history = page.getByRole('list', { name: 'History of this webhook' });
      const sendTo = async (url: string, n: number) => {
        await setEditor(page, 'URL', url);
        await page.getByRole('button', { name: /^Send/ }).click();
        await poll(() => received.length).toBe(n);
        await poll(() => history.getByRole('listitem').count()).toBe(n);
      };
      await sendTo(`${base}/first-version`, 1);
      await sendTo(`${base}/second-version`, 2);

      // Compare "Now" (the editor, rendered by the engine) with the first send: the request line differs.
      await page.getByRole('tab', { name: /Response/ }).click();
      await page.getByRole('tab', { name: 'Compare' }).click();
      await page.getByLabel('Compare left').selectOption({ label: 'Now (what the editor would send)' });
      await page.getByLabel('Compare right').selectOption({ index: 3 });
      await page.getByTestId('compare-now-note').waitFor();
      const changed = (side: string) =>
        page.locator(`[data-testid="compare-${side}"] [data-changed="true"]`).allTextContents();
      await poll(async () => (await changed('left')).join('\n')).toContain('/second-version');
      expect((await changed('right')).join('\n')).toContain('/first-version');
      await screenshot(page, '40-compare-now');

      // Open the first send as it was: a new draft with the old URL, named for the time it shows.
      await history.getByRole('button').last().click();
      await poll(() => page.getByTestId('response-url').textContent()).toContain('/first-version');
      await page.getByRole('button', { name: 'Open as it was' }).click();
      const url = page.getByRole('textbox', { name: 'URL', exact: true });
      await poll(() => url.textContent()).toContain('/first-version');
      expect(await url.textContent()).not.toContain('/second-version');
      await page
        .getByText(/as it was sent .*, as a new draft/)
        .first()
        .waitFor();
      await screenshot(page, '41-open-as-it-was');
      expect(pageProblems(page)).toEqual([]);
    } finally {
      await studio.close();
      await new Promise((r) => server.close(r));
    }
  });
});
