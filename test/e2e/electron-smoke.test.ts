// The real desktop app, end to end: Electron starts the built main bundle (out/main/index.cjs, the
// package's `main`), the sandboxed preload puts the contract on `window.studio`, and the sample
// collection's webhook goes to the built-in catcher and its answer shows in the UI. Where no Electron
// runtime is installed (the binary is downloaded separately from the npm package), the test says why
// in one line and skips. Nothing here requires `electron`: from v42 on that tries a download.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The Electron binary, found the way the electron package finds it (path.txt + dist/), or why there is none. */
function electronRuntime(): { binary: string } | { missing: string } {
  let pkg: string;
  try {
    pkg = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = path.join(pkg, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!existsSync(pathFile) && !override) return { missing: `${path.relative(root, pathFile)} does not exist` };
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const binary = override ? path.join(override, relative) : path.join(pkg, 'dist', relative);
  if (!existsSync(binary)) return { missing: `${path.relative(root, binary)} does not exist` };
  // Electron on Linux draws on a display server; without one it cannot open a window.
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { missing: 'no display: DISPLAY and WAYLAND_DISPLAY are unset' };
  return { binary };
}

const runtime = electronRuntime();
if ('missing' in runtime) console.log(`skipped: no Electron runtime (${runtime.missing})`);

describe.skipIf('missing' in runtime)('the desktop app in Electron', () => {
  let app: ElectronApplication;
  let page: Page;
  let tmp: string;

  beforeAll(async () => {
    const main = path.join(root, 'out', 'main', 'index.cjs');
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`node scripts/build.mjs\` first`);
    tmp = mkdtempSync(path.join(tmpdir(), 'studio-electron-'));
    app = await _electron.launch({
      executablePath: 'binary' in runtime ? runtime.binary : '',
      // The folder, as `npm start` passes it: Electron reads package.json and starts its `main`.
      args: [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      cwd: root,
      // userData (recent collections, secrets) goes under a fresh folder, not the user's own.
      env: { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'config') },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('gives the page the contract on window.studio, and nothing generic', async () => {
    const keys = await page.evaluate<string[]>('Object.keys(window.studio ?? {}).sort()');
    expect(keys).toEqual(expect.arrayContaining(['app', 'collection', 'webhook', 'catcher', 'on']));
    expect(keys).not.toContain('invoke');
    const info = await page.evaluate<{ shell: string }>('window.studio.app.info({})');
    expect(info.shell).toBe('electron');
  });

  it('sends the sample webhook to the built-in catcher and shows the answer', async () => {
    // The sample collection `npm start` opens on a first run, made here through the preload's API; the
    // window follows the `collection:opened` event.
    const dir = path.join(tmp, 'sample');
    await page.evaluate(`window.studio.collection.init({ dir: ${JSON.stringify(dir)} }).then(() => undefined)`);
    const enrich = page.getByRole('navigation', { name: 'Collection' }).getByRole('button', { name: /Enrich lead/ });
    await enrich.waitFor({ timeout: 30_000 });
    await enrich.click();
    await page.getByRole('button', { name: /^Send/ }).click();
    await page.getByTestId('response-status').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('response-status').textContent()).toBe('200 OK');
    await expect
      .poll(() => page.getByTestId('response').textContent(), { timeout: 20_000 })
      .toContain('Analytical Engines Ltd');
  });
});
