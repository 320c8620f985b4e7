import type { NoticesActions, NoticesState, SliceContext } from '../types';

/** How long a notice that is not an error stays: errors stay until dismissed. */
export const NOTICE_MS = 6000;

let noticeSeq = 0;

/** The messages shown to the user: the last five, errors until dismissed, the rest for a few seconds. */
export function noticesSlice({ set }: SliceContext): NoticesState & NoticesActions {
  const dismiss = (id: number) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  return {
    notices: [],
    notify: (kind, text) => {
      const id = ++noticeSeq;
      set((s) => ({ notices: [...s.notices.slice(-4), { id, kind, text }] }));
      if (kind !== 'error') setTimeout(() => dismiss(id), NOTICE_MS);
    },
    dismiss,
  };
}
