import { useMemo } from 'react';
import type { Webhook } from '@shared/model';
import { useStudioStore } from '../../store/context';
import { useStudioPick } from '../../components/use-studio-pick';
import { useUi, type EditorTab } from '../../store/ui-store';
import { MOD } from '../../lib/keys';
import { byLabel, focusSoon, focusTargets } from '../../components/focus-request';
import { headerNameLabel } from '../webhook/HeadersTab';
import { openCollectionSearch } from './palette-query';
import { attributeLabel } from '../webhook/MappingsTab';

export type Command = { id: string; title: string; hint?: string; run: () => void };

type Store = ReturnType<typeof useStudioStore>;
type Ui = ReturnType<typeof useUi.getState>;

/** Adds a row to the open webhook's headers or mappings, shows that tab and puts the cursor in the new row. */
function addRow(store: Store, ui: Ui, part: 'headers' | 'mappings'): void {
  const s = store.getState();
  const key = s.currentWebhook;
  const w = key ? s.webhooks[key]?.value : undefined;
  if (!key || !w) return;
  const change: Partial<Webhook> =
    part === 'headers'
      ? { headers: [...w.headers, { name: '', value: '' }] }
      : { mappings: [...w.mappings, { attribute: '', field: '' }] };
  s.updateWebhook(key, change);
  ui.setEditorTab(part);
  focusSoon(byLabel(part === 'headers' ? headerNameLabel(w.headers.length) : attributeLabel(w.mappings.length)));
}

/** Creates a webhook or context, then puts the cursor where the user starts filling it in. */
function newThen(create: () => string, focus: string): void {
  create();
  focusSoon(focus);
}

/** Commands on the collection and the open webhook: each puts focus on what it creates or shows. */
function actionCommands(store: Store, ui: Ui, target: 'url' | 'catcher'): Command[] {
  const s = () => store.getState();
  const editTabs: EditorTab[] = ['template', 'headers', 'settings', 'mappings'];
  return [
    { id: 'send', title: 'Send webhook', hint: `${MOD}+Enter`, run: () => void s().send() },
    { id: 'save', title: 'Save', hint: `${MOD}+S`, run: () => void s().save() },
    { id: 'new-webhook', title: 'New webhook', run: () => newThen(() => s().newWebhook(), focusTargets.url) },
    { id: 'new-context', title: 'New context', run: () => newThen(() => s().newContext(), focusTargets.contextName) },
    { id: 'add-header', title: 'Add header', run: () => addRow(store, ui, 'headers') },
    { id: 'add-mapping', title: 'Add mapping', run: () => addRow(store, ui, 'mappings') },
    {
      id: 'target',
      title:
        target === 'url' ? 'Send to the built-in catcher instead of the URL' : 'Send to the URL instead of the catcher',
      run: () => s().setTarget(target === 'url' ? 'catcher' : 'url'),
    },
    { id: 'catcher-answers', title: 'Catcher answers…', run: () => ui.openDialog({ kind: 'catcher' }) },
    { id: 'search', title: 'Search the collection…', hint: `${MOD}+Shift+F`, run: openCollectionSearch },
    { id: 'import', title: 'Import a file…', run: () => ui.openDialog({ kind: 'import' }) },
    { id: 'export', title: 'Export webhooks…', run: () => ui.openDialog({ kind: 'export' }) },
    { id: 'open', title: 'Open another collection…', run: () => ui.openDialog({ kind: 'open' }) },
    { id: 'settings', title: 'Collection settings…', run: () => ui.openDialog({ kind: 'settings' }) },
    { id: 'show-preview', title: 'Show preview', run: () => ui.setRightTab('preview') },
    { id: 'show-response', title: 'Show response', run: () => ui.setRightTab('response') },
    { id: 'show-mapping', title: 'Show lead mapping', run: () => ui.setRightTab('mapping') },
    ...editTabs.map((t) => ({
      id: `tab-${t}`,
      title: `Edit ${t}`,
      run: () => {
        ui.setEditorTab(t);
        focusSoon(focusTargets.editorTab(t));
      },
    })),
  ];
}

/** Closing the tab shown and reopening the last closed one (both as their shortcuts do). */
function tabCommands(store: Store): Command[] {
  return [
    { id: 'close-tab', title: 'Close tab', hint: `${MOD}+W`, run: () => store.getState().closeTab() },
    { id: 'reopen-tab', title: 'Reopen closed tab', hint: `${MOD}+Shift+T`, run: () => store.getState().reopenTab() },
  ];
}

/** Every command the palette offers: actions, then each webhook and context by name. */
export function useCommands(runnerAvailable: boolean): Command[] {
  const store = useStudioStore();
  const { webhooks, webhookOrder, contexts, contextOrder, target } = useStudioPick(
    'webhooks',
    'webhookOrder',
    'contexts',
    'contextOrder',
    'target',
  );
  const ui = useUi();
  return useMemo(() => {
    const s = () => store.getState();
    const cmds: Command[] = [
      ...actionCommands(store, ui, target),
      ...tabCommands(store),
      ...webhookOrder.map((k) => ({
        id: `w-${k}`,
        title: `Open webhook: ${webhooks[k]?.value.name ?? k}`,
        hint: webhooks[k]?.value.method,
        run: () => s().select('webhook', k),
      })),
      ...contextOrder.map((k) => ({
        id: `c-${k}`,
        title: `Edit context: ${contexts[k]?.value.name ?? k}`,
        run: () => s().select('context', k),
      })),
      ...contextOrder.map((k) => ({
        id: `a-${k}`,
        title: `Use context: ${contexts[k]?.value.name ?? k}`,
        run: () => s().setActiveContext(k),
      })),
    ];
    if (runnerAvailable) {
      cmds.push({ id: 'runner', title: 'Open the runner', run: () => ui.setView('runner') });
      cmds.push({ id: 'studio', title: 'Back to the studio', run: () => ui.setView('studio') });
    }
    return cmds;
  }, [store, webhooks, webhookOrder, contexts, contextOrder, target, ui, runnerAvailable]);
}
