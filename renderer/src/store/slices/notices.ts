import type { NoticesActions, NoticesState, SliceContext } from '../types';

/** How long a notice that is not an error stays: errors stay until dismissed. */
export const NOTICE_MS = 6000;
/** A notice that offers an action (Undo) stays longer, so there is time to reach its button. */
export const ACTION_NOTICE_MS = 10_000;

let noticeSeq = 0;

/**
 * The messages shown to the user: the last five, errors until dismissed, the rest for a few seconds.
 * A notice may carry one action; using it dismisses the notice.
 */
export function noticesSlice({ set }: SliceContext): NoticesState & NoticesActions {
  const dismiss = (id: number) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  return {
    notices: [],
    notify: (kind, text, action) => {
      const id = ++noticeSeq;
      set((s) => ({ notices: [...s.notices.slice(-4), { id, kind, text, ...(action ? { action } : {}) }] }));
      if (kind !== 'error') setTimeout(() => dismiss(id), action ? ACTION_NOTICE_MS : NOTICE_MS);
    },
    dismiss,
  };
}
