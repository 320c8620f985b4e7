import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStudio, pageProblems, poll, screenshot } from './studio-harness';

describe('"Webhook is Called" triggers in the response pane', () => {
  it('defines a trigger on Error Type, sends, and sees it fire (and another not fire)', async () => {
    const server = createServer((req, res) => {
      req.resume();
      const limited = req.url?.startsWith('/busy');
      res.writeHead(limited ? 429 : 404, {
        'Content-Type': 'application/json',
        ...(limited ? { 'Retry-After': '30' } : {}),
      });
      res.end(limited ? '{"error":"slow down"}' : '{"error":"no such lead"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const studio = await openStudio();
    try {
      const page = studio.page;
      await page.getByRole('button', { name: 'New webhook' }).click();
      const url = page.getByRole('textbox', { name: 'URL', exact: true });
      await url.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.insertText(`${origin}/lookup?id={{lead.Id}}`);
      await page.getByRole('button', { name: /^Send/ }).click();
      await page.getByRole('tab', { name: /Response/ }).click();
      const panel = page.getByTestId('triggers-panel');
      await panel.waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('error-type').textContent()).toBe('Not Found');

      // Define: Error Type is "Not Found".
      await panel.getByRole('button', { name: 'Add trigger…' }).click();
      await page.getByLabel('Trigger name').fill('Lead not in CRM');
      await page.getByLabel('Constraint 1 values').fill('Not Found');
      await page.getByRole('button', { name: 'Save trigger' }).click();
      // And one that must not fire: Response contains "timeout".
      await panel.getByRole('button', { name: 'Add trigger…' }).click();
      await page.getByLabel('Trigger name').fill('Timed out');
      await page.getByLabel('Constraint 1 attribute').selectOption('response');
      await page.getByLabel('Constraint 1 operator').selectOption('contains');
      await page.getByLabel('Constraint 1 values').fill('timeout');
      await page.getByRole('button', { name: 'Save trigger' }).click();

      const results = page.getByTestId('trigger-result');
      await poll(() => results.count()).toBe(2);
      expect(await results.nth(0).getAttribute('data-fires')).toBe('true');
      expect(await results.nth(0).textContent()).toContain('Error Type is "Not Found" (it is "Not Found")');
      expect(await results.nth(1).getAttribute('data-fires')).toBe('false');
      expect(await results.nth(1).textContent()).toContain('Response contains "timeout" does not hold');
      await screenshot(page, '40-trigger-fires');

      // Saved to the collection as triggers.yaml.
      await poll(() => {
        try {
          return readFileSync(path.join(studio.collectionDir, 'triggers.yaml'), 'utf8');
        } catch {
          return '';
        }
      }).toContain('name: Lead not in CRM');

      // Send again to a rate-limited path: the trigger no longer fires, and the 429 rule speaks.
      await page
        .getByRole('tab', { name: /Request|Webhook/ })
        .first()
        .click()
        .catch(() => undefined);
      await url.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.insertText(`${origin}/busy?id={{lead.Id}}`);
      await page.getByRole('button', { name: /^Send/ }).click();
      await page.getByRole('tab', { name: /Response/ }).click();
      await poll(() => page.getByTestId('error-type').textContent()).toBe('Too Many Requests');
      expect(await results.nth(0).getAttribute('data-fires')).toBe('false');
      expect(await page.getByTestId('response-rule').getAttribute('data-code')).toBe('rate-limited-not-retried');
      expect(pageProblems(page)).toEqual([]);
    } finally {
      await studio.close();
      await new Promise((r) => server.close(r));
    }
  });
});
