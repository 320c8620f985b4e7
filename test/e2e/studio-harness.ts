import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startHost, type Host } from '../../electron/host/serve';
import { initCollection } from '../../electron/services/collection/index';
import { axeLoadedScript, axeRunScript, longTasksScript, watchLongTasksScript } from './page-scripts';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const screenshotDir = path.resolve('test-results/screenshots');

export type Studio = {
  host: Host;
  browser: Browser;
  page: Page;
  collectionDir: string;
  root: string;
  close(): Promise<void>;
};

/** A real browser host on a fresh sample collection, and Chromium showing the built studio. */
export async function openStudio(
  opts: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {},
): Promise<Studio> {
  const root = mkdtempSync(path.join(tmpdir(), 'studio-e2e-'));
  const collectionDir = path.join(root, 'collection');
  const userDataDir = path.join(root, 'user-data');
  mkdirSync(userDataDir);
  await initCollection(collectionDir);
  const host = await startHost({ collectionDir, port: 0, rendererDir: 'out/renderer', userDataDir });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 },
    colorScheme: opts.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  (page as Page & { problems?: string[] }).problems = problems;
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Collection' }).waitFor();
  return {
    host,
    browser,
    page,
    collectionDir,
    root,
    async close() {
      await browser.close();
      await host.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export function pageProblems(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>(axeLoadedScript)))
    await page.evaluate(readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate<AxeViolation[]>(axeRunScript);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Starts recording main-thread long tasks (> 50 ms) in the page. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(watchLongTasksScript);
}

export async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate<number[]>(longTasksScript);
}

/** expect.poll with room for a loaded machine (its default gives up after one second). */
export function poll<T>(fn: () => T | Promise<T>, timeout = 20_000) {
  return expect.poll(fn, { timeout, interval: 100 });
}
