import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openStudio, screenshot } from './studio-harness';

describe('Send and Cancel', () => {
  it('cancels a send that is waiting for its answer, and says so in the response pane', async () => {
    const waiting: ServerResponse[] = [];
    const server = createServer((_req, res) => {
      // Never answers on its own: the only way out is Cancel.
      waiting.push(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const studio = await openStudio();
    try {
      const page = studio.page;
      await page.getByRole('button', { name: 'New webhook' }).click();
      const url = page.getByRole('textbox', { name: 'URL', exact: true });
      await url.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.insertText(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow?id={{lead.Id}}`);
      await page.getByRole('button', { name: /^Send/ }).click();
      const cancel = page.getByRole('button', { name: 'Cancel', exact: true });
      await cancel.waitFor();
      await page.getByRole('tab', { name: /Response/ }).click();
      await page.getByText('Sending…').waitFor();
      await screenshot(page, '19-sending');
      await cancel.click();
      const banner = page.getByTestId('outcome-banner');
      await banner.waitFor({ timeout: 20_000 });
      expect(await banner.textContent()).toContain('Cancelled');
      await page.getByRole('button', { name: /^Send/ }).waitFor();
    } finally {
      for (const res of waiting) res.destroy();
      await studio.close();
      await new Promise((r) => server.close(r));
    }
  });
});
