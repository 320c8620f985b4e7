import { afterEach } from 'vitest';

// The studio store writes its session (drafts, tabs) after a pause in typing, and at once when the page is left.
// Each renderer test ends by leaving the page (so no write is left pending into the next test) and with a browser
// that kept nothing (what that last write stored is this test's, not the next one's).
afterEach(() => {
  globalThis.dispatchEvent(new Event('pagehide'));
  globalThis.localStorage.clear();
});
