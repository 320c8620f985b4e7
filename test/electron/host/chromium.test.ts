import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../../electron/host/serve';
import { createStudio, type Studio } from '@services/studio/index';
import { ensureRendererBuilt, rendererDir } from '../ensure-renderer';

let tmp: string;
let studio: Studio;
let host: Host;
let browser: Browser;
let evil: Server;
let evilOrigin: string;

beforeAll(async () => {
  await ensureRendererBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-chromium-'));
  studio = createStudio({ shell: 'browser', userDataDir: path.join(tmp, 'user'), env: {} });
  const sample = path.join(tmp, 'sample');
  await studio.handle('collection:init', { dir: sample });
  host = await startHost({ rendererDir, studio, collectionDir: sample });
  // Another origin on the same machine (same site: cookies ride along), trying to fire a webhook.
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><form id="f" method="POST" action="${host.origin}/api/webhook/send" enctype="text/plain"><input name='{"sendId":"x","webhook":{"name":"x","url":"http://catcher.local/pwned"},"context":{"name":"c"},"a":"' value='"}'></form>
<script>
fetch('${host.origin}/api/webhook/send', { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json', 'X-Studio-Request': '1' }, body: '{}' })
  .then((r) => { document.title = 'fetch:' + r.status; }, () => { document.title = 'fetch:blocked'; })
  .finally(() => document.getElementById('f').submit());
</script>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await studio?.close();
  await new Promise<void>((r) => (evil ? evil.close(() => r()) : r()));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('browser host in Chromium', () => {
  it('serves the studio, which reaches the contract under its CSP without a violation', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const apiCalls: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => {
      if (r.url().includes('/api/') && r.request().method() === 'POST')
        apiCalls.push(`${new URL(r.url()).pathname} ${r.status()}`);
    });
    await page.goto(host.url);
    expect(page.url()).toBe(`${host.origin}/`);
    await expect
      .poll(() => apiCalls.some((c) => c.startsWith('/api/collection/open 200')), { timeout: 15_000 })
      .toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lets no other origin fire a webhook, by fetch or by form, even with the cookie', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(host.url);
    const before = (await studio.handle('catcher:requests', { since: 0 })).requests.length;
    const sends: string[] = [];
    page.on('response', (r) => {
      if (r.url() === `${host.origin}/api/webhook/send`) sends.push(`${r.request().method()} ${r.status()}`);
    });
    await page.goto(evilOrigin);
    // The form posts last, navigating the page to the host's answer.
    await page.waitForURL(`${host.origin}/api/webhook/send`, { timeout: 15_000 });
    expect(await page.title()).not.toBe('fetch:200');
    expect(sends.length).toBeGreaterThan(0);
    expect(sends.filter((s) => !/ 40[13]$/.test(s))).toEqual([]);
    expect(sends).toContain('POST 403');
    expect((await studio.handle('catcher:requests', { since: 0 })).requests.length).toBe(before);
    await context.close();
  });
});
