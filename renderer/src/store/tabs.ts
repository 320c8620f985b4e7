import type { DocTab, DocumentsState, StudioStore } from './types';

// The tab strip's model: which documents have a tab, and which one the editor shows. Pure functions over the
// documents state, plus the one rule the store keeps by itself: what the editor shows always has a tab.

export const sameTab = (a: DocTab | undefined, b: DocTab | undefined): boolean =>
  !!a && !!b && a.kind === b.kind && a.key === b.key;

/** The document the editor shows: the selected context, else the current webhook (as the workspace renders it). */
export function shownDoc(s: Pick<DocumentsState, 'selected' | 'currentWebhook'>): DocTab | undefined {
  if (s.selected?.kind === 'context') return s.selected;
  return s.currentWebhook ? { kind: 'webhook', key: s.currentWebhook } : undefined;
}

/** Whether the document a tab names is still open in the store. */
export function tabExists(s: Pick<DocumentsState, 'webhooks' | 'contexts'>, tab: DocTab): boolean {
  return !!(tab.kind === 'webhook' ? s.webhooks[tab.key] : s.contexts[tab.key]);
}

/** The tabs with `tab` added at the end, unless it has one already. */
export function withTab(tabs: DocTab[], tab: DocTab | undefined): DocTab[] {
  if (!tab || tabs.some((t) => sameTab(t, tab))) return tabs;
  return [...tabs, { kind: tab.kind, key: tab.key }];
}

/** The tabs without duplicates and without those whose document is gone (its file went away and it held no edits). */
export function liveTabs(s: Pick<DocumentsState, 'webhooks' | 'contexts'>, tabs: DocTab[]): DocTab[] {
  return tabs.reduce<DocTab[]>((out, t) => (tabExists(s, t) ? withTab(out, t) : out), []);
}

/** The tabs after a document moved to a new key (saved under a new path, moved): its tab follows it in place. */
export function rekeyedTabs(tabs: DocTab[], from: DocTab, to: string): DocTab[] {
  return tabs.map((t) => (sameTab(t, from) ? { kind: t.kind, key: to } : t));
}

/**
 * The state after closing a tab: the tab is gone; when the editor showed it, its neighbour (right, else left) is
 * shown instead, or nothing; a closed webhook no longer is the one Send acts on.
 */
export function afterClose(
  s: DocumentsState,
  tab: DocTab,
): Pick<DocumentsState, 'tabs' | 'selected' | 'currentWebhook'> {
  const at = s.tabs.findIndex((t) => sameTab(t, tab));
  const tabs = s.tabs.filter((t) => !sameTab(t, tab));
  const next = sameTab(shownDoc(s), tab) ? (tabs[at] ?? tabs[at - 1]) : undefined;
  const selected = next ?? (sameTab(s.selected, tab) ? undefined : s.selected);
  const lastWebhook = tabs.filter((t) => t.kind === 'webhook').pop();
  const currentWebhook =
    next?.kind === 'webhook'
      ? next.key
      : tab.kind === 'webhook' && s.currentWebhook === tab.key
        ? lastWebhook?.key
        : s.currentWebhook;
  return { tabs, selected, currentWebhook };
}

/** The tabs once the store changed: gone documents lose their tab, the document shown gets one. */
export function followedTabs(s: DocumentsState): DocTab[] {
  const live = liveTabs(s, s.tabs);
  const shown = shownDoc(s);
  const tabs = shown && tabExists(s, shown) ? withTab(live, shown) : live;
  const same = tabs.length === s.tabs.length && tabs.every((t, i) => sameTab(t, s.tabs[i]));
  return same ? s.tabs : tabs;
}

/**
 * Keeps the tabs in step with the documents whatever opened or removed one (the sidebar, the palette, a new
 * webhook, an import, a restore, a refresh from disk), so no entry point has to remember the tab strip.
 */
export function followTabs(store: StudioStore): void {
  store.subscribe((st, prev) => {
    const same =
      st.tabs === prev.tabs &&
      st.selected === prev.selected &&
      st.currentWebhook === prev.currentWebhook &&
      st.webhooks === prev.webhooks &&
      st.contexts === prev.contexts;
    if (same) return;
    const tabs = followedTabs(st);
    if (tabs !== st.tabs) store.setState({ tabs });
  });
}
