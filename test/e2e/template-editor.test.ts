import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { setEditor } from './page-actions';
import { openStudio, pageProblems, poll, screenshot, type Studio } from './studio-harness';

// The template editor on the keystroke path (docs/performance.md#keystroke-to-preview): the preview
// follows each key at once; the problem marks in the editor follow when typing pauses.

const template = '{\n  "email": {{lead.Email Address}},\n  "who": {{lead.Nope Field}},\n  "n": 1\n}';

/** The text under each warning mark in the template editor. */
async function warningMarks(page: Page): Promise<string[]> {
  return page.getByTestId('template-editor').locator('.cm-lintRange-warning').allTextContents();
}

/** In the page (as text: the node typecheck has no DOM): the colour of the innermost editor span holding `text`. */
function colourScript(text: string): string {
  return `(() => {
    const root = document.querySelector('[data-testid="template-editor"]').shadowRoot;
    const span = [...root.querySelectorAll('.cm-line span')].find(
      (e) => e.textContent === ${JSON.stringify(text)} && e.children.length === 0,
    );
    return span ? getComputedStyle(span).color : 'none';
  })()`;
}

describe('the template editor', () => {
  let studio: Studio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio();
    page = studio.page;
    await page.getByTestId('preview-body').waitFor();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('marks an unresolved token once typing pauses, and keeps the mark on it while typing before it', async () => {
    await setEditor(page, 'Template', template);
    await poll(() => page.getByTestId('preview-body').textContent()).toContain('"n": 1');
    await poll(() => warningMarks(page)).toEqual(['{{lead.Nope Field}}']);

    // Typing before the token: the preview shows each key; the mark moves with the token meanwhile.
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.press('End');
    await page.keyboard.type(' ', { delay: 10 });
    await poll(() => page.getByTestId('preview-body').textContent()).toMatch(/^\{ \n/);
    expect(await warningMarks(page)).toEqual(['{{lead.Nope Field}}']);
    await screenshot(page, 'template-editor-marks');
    expect(pageProblems(page)).toEqual([]);
  });

  it('highlights a JSON template with tokens as JSON: property names as names, tokens as tokens', async () => {
    // The colour a piece of text shows in: that of the innermost span holding exactly it.
    const colourOf = (text: string): Promise<string> => page.evaluate<string>(colourScript(text));
    const names = await Promise.all(['"email"', '"who"', '"n"'].map(colourOf));
    // Error recovery at the tokens used to read some names as plain strings.
    expect(new Set(names).size, names.join(' ')).toBe(1);
    expect(await colourOf('"email"')).not.toBe(await colourOf('1'));
    // A token keeps the token colour, not the number colour the parser gives it.
    expect(await colourOf('{{lead.Email Address}}')).not.toBe(await colourOf('1'));
    expect(await colourOf('{{lead.Nope Field}}')).toBe(await colourOf('{{lead.Email Address}}'));
  });
});
