import { useEffect } from 'react';

/**
 * Focus goes to the new thing: an action asks for the element it creates (a row, an editor) by selector,
 * and it is focused as soon as the render the action caused puts it on the page. Waits a few frames at
 * most, so a request for something that never appears is dropped rather than stealing focus later.
 */
export function focusSoon(selector: string, frames = 30): void {
  const attempt = (left: number): void => {
    const el = findDeep(selector);
    if (el) {
      el.focus();
      if (el instanceof HTMLInputElement) el.select();
      return;
    }
    if (left > 0) requestAnimationFrame(() => attempt(left - 1));
  };
  // After this frame: a dialog closing first hands focus back where it was, then this request wins.
  requestAnimationFrame(() => attempt(frames));
}

/** The first element matching `selector` on the page or inside an editor (editors live in shadow roots). */
function findDeep(selector: string): HTMLElement | null {
  const el = document.querySelector<HTMLElement>(selector);
  if (el) return el;
  for (const host of document.querySelectorAll('.token-editor')) {
    const inside = host.shadowRoot?.querySelector<HTMLElement>(selector);
    if (inside) return inside;
  }
  return null;
}

/** A selector for the element named `label` (its aria-label). */
export function byLabel(label: string): string {
  return `[aria-label="${label.replace(/["\\]/g, '\\$&')}"]`;
}

/** Where new webhooks and contexts put the cursor: the URL, the context's name. */
export const focusTargets = {
  url: '#url-editor',
  contextName: byLabel('Context name'),
  editorTab: (tab: string) => `#tab-${tab}`,
} as const;

/** The nonce of the last jump an editor has followed: a jump moves focus once, not on every later mount. */
let followedNonce = 0;

/**
 * Follows a jump (from a diagnostic, the lead table) into a row: `selector` names the element to focus,
 * or null when the jump is not for this table.
 */
export function useFocusOnJump(jump: { nonce: number } | null, selector: string | null): void {
  const nonce = jump?.nonce ?? 0;
  useEffect(() => {
    if (!selector || nonce <= followedNonce) return;
    followedNonce = nonce;
    focusSoon(selector);
  }, [nonce, selector]);
}
