import { useEffect } from 'react';

/**
 * When the user last pressed a key or a pointer button (the event's own time). A focus request made before
 * that moment is dropped: the user has moved on (opened the palette, clicked elsewhere) and the cursor is
 * theirs. Without it, a request still waiting for its element (a new tab's editor mounting on a slow
 * machine) took focus from the palette the user had opened meanwhile, and their typing went into the URL.
 */
let lastUserAct = 0;
let watching = false;

function watchUserActs(): void {
  if (watching) return;
  watching = true;
  const note = (e: Event): void => {
    lastUserAct = Math.max(lastUserAct, e.timeStamp);
  };
  // Capture, on window: seen before any handler can stop it.
  window.addEventListener('keydown', note, true);
  window.addEventListener('pointerdown', note, true);
}

/**
 * Focus goes to the new thing: an action asks for the element it creates (a row, an editor) by selector,
 * and it is focused as soon as the render the action caused puts it on the page. Waits a few frames at
 * most, so a request for something that never appears is dropped rather than stealing focus later; a key
 * or pointer press after the request drops it too.
 */
export function focusSoon(selector: string, frames = 30): void {
  watchUserActs();
  // The press that made this request happened before now; only a later one cancels it.
  const asked = performance.now();
  const attempt = (left: number): void => {
    if (lastUserAct > asked) return;
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
