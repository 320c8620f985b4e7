import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectProxy, type ConnectProxy } from '../electron/services/sender/connect-proxy';
import { setEditor } from './page-actions';
import { axeSerious, openStudio, pageProblems, poll, screenshot, type Studio } from './studio-harness';

const PASSWORD = 'proxy-PASS-typed-in-browser';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

let studio: Studio;
let proxy: ConnectProxy;
const service = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end('{"ok":true}');
});

beforeAll(async () => {
  await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
  proxy = await startConnectProxy({
    requireAuth: `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`,
  });
  studio = await openStudio({ width: 1024, height: 700 });
});
afterAll(async () => {
  await studio.close();
  await proxy.close();
  await new Promise<void>((r) => service.close(() => r()));
});

describe('Collection settings: network', () => {
  it('a bad proxy URL is refused inline, naming it; nothing is written', async () => {
    const page = studio.page;
    await page.keyboard.press('ControlOrMeta+K');
    await page.keyboard.type('collection settings');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Collection settings' });
    await dialog.waitFor();
    await dialog.getByLabel('Proxy URL').fill('proxy.example:99999');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const error = dialog.locator('#network-proxy-error');
    await poll(() => error.textContent()).toContain("'proxy.example:99999' has port 99999");
    expect(await dialog.getByLabel('Proxy URL').getAttribute('aria-invalid')).toBe('true');
    expect(readFileSync(path.join(studio.collectionDir, 'collection.yaml'), 'utf8')).not.toContain('network');
    await dialog.getByLabel('Proxy URL').fill('socks5://proxy.example:1080');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await poll(() => error.textContent()).toContain('only http:// and https:// proxies are supported');
    // An https:// proxy is a proxy URL like any: only its port is wrong here.
    await dialog.getByLabel('Proxy URL').fill('https://proxy.example:99999');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await poll(() => error.textContent()).toContain("'https://proxy.example:99999' has port 99999");
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
  });

  it('sets the proxy from the toolbar button, saves it to collection.yaml, and a send goes through it', async () => {
    const page = studio.page;
    await page.getByRole('button', { name: 'Collection settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Collection settings' });
    await dialog.getByLabel('Proxy URL').fill(proxy.url);
    await dialog.getByLabel('Proxy user').fill('alice');
    await dialog.getByLabel('Proxy password secret').fill('proxy password');
    await dialog.getByLabel('Proxy password', { exact: true }).fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Store' }).click();
    await dialog.getByLabel(/^Secret proxy password: •+ set/).waitFor({ timeout: 20_000 });
    // A path is checked as typed: found, or not readable.
    await dialog.getByLabel('Extra CA certificate').fill('certs/missing.pem');
    await poll(() => dialog.getByTestId('file-status').textContent()).toBe('not readable');
    await dialog.getByLabel('Extra CA certificate').fill('collection.yaml');
    await poll(() => dialog.getByTestId('file-status').textContent()).toBe('not readable');
    await dialog.getByLabel('Extra CA certificate').fill('');
    await dialog.getByLabel('Verify TLS certificates').uncheck();
    await dialog.getByText('TLS verification is off:').waitFor();
    await dialog.getByLabel('Verify TLS certificates').check();
    await dialog.getByLabel('Proxy URL').focus();
    await screenshot(page, '60-collection-settings');
    expect(await axeSerious(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await poll(() => dialog.count()).toBe(0);
    const yaml = readFileSync(path.join(studio.collectionDir, 'collection.yaml'), 'utf8');
    expect(yaml).toContain(`proxy: ${proxy.url}`);
    expect(yaml).toContain('proxyPasswordSecret: proxy password');

    await setEditor(page, 'URL', `http://127.0.0.1:${(service.address() as AddressInfo).port}/hook`);
    const before = proxy.connects.length;
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.getByTestId('response-status').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('response-status').textContent()).toBe('200 OK');
    expect(proxy.connects.length).toBe(before + 1);
    expect(await page.getByTestId('via-proxy').textContent()).toBe(`via proxy ${proxy.url}`);
    await screenshot(page, '61-response-via-proxy');

    expect(await page.content()).not.toContain(PASSWORD);
    const holding = filesUnder(studio.collectionDir).filter((f) => readFileSync(f, 'latin1').includes(PASSWORD));
    expect(holding).toEqual([]);
    expect(pageProblems(page)).toEqual([]);
  });
});
