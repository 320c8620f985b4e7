import type { Locator, Page } from 'playwright-core';
import { axeSerious, screenshot } from './studio-harness';

/** Issue 14, item 6: what one view looks like at the small window, measured. */

export const small = { width: 1024, height: 700 };
export const large = { width: 1440, height: 900 };

export type ViewReport = {
  view: string;
  /** document.documentElement.scrollWidth and document.body.scrollWidth at 1024 px. */
  htmlWidth: number;
  bodyWidth: number;
  /** Key controls whose box leaves the window sideways (or that are not there). */
  clipped: string[];
  /** When the page is too wide: the deepest elements reaching past the window, to say what to fix. */
  widest: string[];
  axe: string[];
};

const widestScript = `(() => {
  const w = window.innerWidth;
  const out = [...document.querySelectorAll('body *')].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > w + 0.5 && ![...e.children].some((c) => c.getBoundingClientRect().right > w + 0.5);
  });
  return out.slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right));
})()`;

const widthsScript = '({ html: document.documentElement.scrollWidth, body: document.body.scrollWidth })';

/** A control is fully inside the window sideways: left ≥ 0 and right ≤ the window's width. */
async function outside(name: string, locator: Locator, width: number): Promise<string | undefined> {
  const box = await locator.boundingBox();
  if (!box) return `${name} (not shown)`;
  const right = Math.round(box.x + box.width);
  if (box.x < 0 || right > width) return `${name} (${Math.round(box.x)}…${right})`;
  return undefined;
}

/**
 * Measures the view at 1024×700 (page widths, key controls, axe), then screenshots it at 1024×700 and 1440×900.
 * The page is left at 1024×700.
 */
export async function checkView(page: Page, view: string, controls: Record<string, Locator>): Promise<ViewReport> {
  await page.setViewportSize(small);
  await page.waitForTimeout(150);
  const { html, body } = await page.evaluate<{ html: number; body: number }>(widthsScript);
  const widest = html > small.width || body > small.width ? await page.evaluate<string[]>(widestScript) : [];
  const clipped: string[] = [];
  for (const [name, locator] of Object.entries(controls)) {
    const problem = await outside(name, locator.first(), small.width);
    if (problem) clipped.push(problem);
  }
  const axe = (await axeSerious(page)).map(
    (v) => `${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  await screenshot(page, `layout-${view}-1024x700`);
  await page.setViewportSize(large);
  await page.waitForTimeout(150);
  await screenshot(page, `layout-${view}-1440x900`);
  await page.setViewportSize(small);
  await page.waitForTimeout(100);
  return { view, htmlWidth: html, bodyWidth: body, clipped, widest, axe };
}

/** The controls every studio view must keep reachable: the toolbar's ends and the status bar. */
export function shellControls(page: Page): Record<string, Locator> {
  return {
    Commands: page.getByRole('button', { name: /^Commands/ }),
    Runner: page.getByRole('button', { name: 'Runner', exact: true }),
    'status bar': page.locator('footer.statusbar'),
  };
}

/** The studio's editor views add the send button and the right pane. */
export function editorControls(page: Page): Record<string, Locator> {
  return {
    ...shellControls(page),
    Send: page.getByRole('button', { name: /^Send/ }),
    'right pane': page.getByRole('region', { name: 'Preview and response' }),
  };
}
