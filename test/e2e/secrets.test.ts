import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setEditor } from './page-actions';
import { openStudio, poll, screenshot } from './studio-harness';

const SECRET = 'typed-in-BROWSER-42';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('secrets in the browser host', () => {
  it('a secret typed in the page is stored without a restart, shown as set, sent on the wire, masked in the preview and the history', async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      received.push(String(req.headers['x-api-key'] ?? ''));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const studio = await openStudio();
    try {
      const page = studio.page;
      await setEditor(page, 'URL', `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
      await page.getByRole('tab', { name: /Headers/ }).click();
      await page.getByRole('button', { name: '+ Add header' }).click();
      const names = page.getByRole('textbox', { name: /^Header \d+ name$/ });
      const n = await names.count();
      await names.nth(n - 1).fill('X-Api-Key');
      await setEditor(page, `Header ${n} value`, SECRET);
      // Ticking Secret moves the value typed into the store: it is not thrown away.
      // (A click, not check(): the box ticks once the store has the value.)
      const box = page.getByRole('checkbox', { name: 'Header X-Api-Key is a secret' });
      await box.click();
      await poll(() => box.isChecked()).toBe(true);
      const status = page.getByLabel('Secret X-Api-Key: •••••• set, from the store (a private file, not encrypted)');
      await status.first().waitFor({ timeout: 20_000 });
      // The preview shows the mask and that the secret is set; never the value.
      await poll(() => page.getByTestId('preview-head').textContent()).toContain('X-Api-Key: ••••••');
      await poll(() => page.getByTestId('preview-secrets').textContent()).toContain('•••••• set, from the store');
      await screenshot(page, '30-secret-set');
      await page.getByRole('button', { name: /^Send/ }).click();
      await poll(() => received.length).toBe(1);
      expect(received[0]).toBe(SECRET);
      await page.getByTestId('outcome-banner').waitFor({ timeout: 20_000 });
      expect(await page.content()).not.toContain(SECRET);
      // The history of the send holds the mask, not the value.
      await poll(() =>
        filesUnder(path.join(studio.collectionDir, '.studio')).some((f) => f.includes(`${path.sep}history${path.sep}`)),
      ).toBe(true);
      const written = [...filesUnder(studio.collectionDir), ...filesUnder(path.join(studio.root, 'user-data'))];
      const holding = written.filter((f) => readFileSync(f, 'utf8').includes(SECRET));
      // Only the per-user store holds it.
      expect(holding).toEqual([path.join(studio.root, 'user-data', 'secrets.json')]);
      const history = written.filter((f) => f.includes(`${path.sep}history${path.sep}`));
      expect(history.some((f) => readFileSync(f, 'utf8').includes('X-Api-Key: ••••••'))).toBe(true);
      // The webhook as it was sent (for "open as it was") is among the files searched above: no value in it.
      expect(history.some((f) => f.endsWith('.sent-from.json'))).toBe(true);
    } finally {
      await studio.close();
      await new Promise((r) => server.close(r));
    }
  });
});
