import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { useStudio, useStudioStore } from '../store/context';
import { sameTab, shownDoc } from '../store/tabs';
import type { DocTab } from '../store/types';
import { MOD } from '../lib/keys';
import { Modal } from './Modal';
import { rovingMove, useRovingList, type RovingItemProps } from './use-roving-list';
import { useStudioPick } from './use-studio-pick';

const tabId = (t: DocTab) => `${t.kind}:${t.key}`;

/** The arrow keys of a row: Left and Right move like Up and Down in a list. */
const rowKey: Record<string, string | undefined> = {
  ArrowLeft: 'ArrowUp',
  ArrowRight: 'ArrowDown',
  Home: 'Home',
  End: 'End',
};

/** Keeps the shown tab in sight inside the strip (without scrolling the page around it). */
function useShownInSight(strip: React.RefObject<HTMLDivElement | null>, shown: string | undefined): void {
  useEffect(() => {
    const box = strip.current;
    const el = [...(box?.querySelectorAll<HTMLElement>('[data-roving]') ?? [])].find((e) => e.dataset.roving === shown);
    if (!box || !el) return;
    if (el.offsetLeft < box.scrollLeft) box.scrollLeft = el.offsetLeft;
    else if (el.offsetLeft + el.offsetWidth > box.scrollLeft + box.clientWidth)
      box.scrollLeft = el.offsetLeft + el.offsetWidth - box.clientWidth;
  }, [strip, shown]);
}

/** One tab: the document's name, its unsaved mark and a close mark; a middle click or Delete closes it too. */
function DocTabButton({ tab, shown, roving }: { tab: DocTab; shown: boolean; roving: RovingItemProps }) {
  const store = useStudioStore();
  const doc = useStudio((s) => (tab.kind === 'webhook' ? s.webhooks[tab.key] : s.contexts[tab.key]));
  const method = useStudio((s) => (tab.kind === 'webhook' ? s.webhooks[tab.key]?.value.method : undefined));
  if (!doc) return null;
  const close = (e: MouseEvent) => {
    e.stopPropagation();
    store.getState().closeTab(tab);
  };
  const where = doc.path ?? 'not saved yet';
  return (
    <button
      type="button"
      role="tab"
      className="doc-tab"
      aria-selected={shown}
      title={`${doc.value.name} — ${where}. ${MOD}+W or Delete closes it.`}
      onClick={() => store.getState().select(tab.kind, tab.key)}
      // A middle click closes, as in a browser (and must not start the page's auto-scroll).
      onMouseDown={(e) => {
        if (e.button === 1) e.preventDefault();
      }}
      onAuxClick={(e) => {
        if (e.button === 1) close(e);
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Delete') return;
        e.preventDefault();
        store.getState().closeTab(tab);
      }}
      {...roving}
    >
      <span className={method ? `method ${method}` : 'doc-tab-kind'}>{method ?? 'context'}</span>
      <span className="doc-tab-name">{doc.value.name}</span>
      {doc.dirty && <span className="dirty-dot" role="img" aria-label="unsaved edits" />}
      {/* The close mark is for the mouse; the keyboard closes with Delete or Mod+W (a tab may hold no button). */}
      <span className="doc-tab-close" aria-hidden="true" onClick={close}>
        ×
      </span>
    </button>
  );
}

/** The strip of open webhooks and contexts above the editor: one Tab stop, the arrows move, Enter opens. */
export function DocTabs() {
  const { tabs, selected, currentWebhook } = useStudioPick('tabs', 'selected', 'currentWebhook');
  const shown = shownDoc({ selected, currentWebhook });
  const keys = tabs.map(tabId);
  const roving = useRovingList(keys, shown && tabId(shown));
  const strip = useRef<HTMLDivElement>(null);
  useShownInSight(strip, shown && tabId(shown));
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const key = rowKey[e.key];
    if (!key || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const at = keys.indexOf((document.activeElement as HTMLElement | null)?.dataset.roving ?? '');
    const next = keys[rovingMove(key, Math.max(at, 0), keys.length) ?? -1];
    if (next === undefined) return;
    e.preventDefault();
    [...e.currentTarget.querySelectorAll<HTMLElement>('[data-roving]')]
      .find((el) => el.dataset.roving === next)
      ?.focus();
  };
  return (
    <div className="doc-tabs" role="tablist" aria-label="Open webhooks and contexts" ref={strip} onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <DocTabButton key={tabId(t)} tab={t} shown={sameTab(t, shown)} roving={roving.item(tabId(t))} />
      ))}
    </div>
  );
}

/** Closing a tab with unsaved edits asks first: Save (the default), Discard (Undo brings them back) or Cancel. */
export function CloseTabAsk() {
  const store = useStudioStore();
  const closing = useStudio((s) => s.closingTab);
  const name = useStudio((s) =>
    closing ? (closing.kind === 'webhook' ? s.webhooks : s.contexts)[closing.key]?.value.name : undefined,
  );
  if (!closing) return null;
  const answer = (a: 'save' | 'discard' | 'cancel') => void store.getState().answerClose(a);
  return (
    <Modal title="Close a tab with unsaved edits" onClose={() => answer('cancel')}>
      <p>
        “{name ?? closing.key}” has unsaved edits. Save them before closing its tab? Discarded edits come back with Undo
        or Reopen closed tab ({MOD}+Shift+T).
      </p>
      <div className="actions">
        <button type="button" className="btn" onClick={() => answer('cancel')}>
          Cancel
        </button>
        <button type="button" className="btn danger" onClick={() => answer('discard')}>
          Discard
        </button>
        <button type="button" className="btn primary" data-autofocus onClick={() => answer('save')}>
          Save
        </button>
      </div>
    </Modal>
  );
}
