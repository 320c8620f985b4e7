import type { Page } from 'playwright-core';

/** Page actions shared by the e2e tests and the UI bench (no test runner here, so the bench can import it). */

/** Replaces the text of a CodeMirror editor (found by its accessible name) as a person would: select all, type. */
export async function setEditor(page: Page, name: string, text: string): Promise<void> {
  await page.getByRole('textbox', { name, exact: true }).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** About `bytes` of JSON: an object holding an array of small records, as a bulk API would answer. */
export function bigJson(bytes: number): string {
  const parts: string[] = [];
  let size = 12;
  for (let i = 0; size < bytes; i++) {
    const item = JSON.stringify({
      id: i,
      email: `lead${i}@example.com`,
      score: i % 100,
      tags: ['a', 'b'],
      note: 'x'.repeat(40),
    });
    parts.push(item);
    size += item.length + 1;
  }
  return `{"items":[${parts.join(',')}]}`;
}
