import { lazy, Suspense, useState } from 'react';
import { useStudio, useStudioStore } from './store/context';
import { useUi } from './store/ui-store';
import { explicitProfile } from './store/studio-store';
import { Sidebar } from './components/Sidebar';
import { Dialogs, OpenDialog } from './components/Dialogs';
import { Toolbar } from './components/Toolbar';
import { ResultPane } from './components/ResultPane';
import { Notices } from './components/Notices';
import { CloseTabAsk, DocTabs } from './components/DocTabs';
import {
  useBoot,
  useJumpShowsWebhook,
  useSendShowsResponse,
  useShortcuts,
  useUnsavedGuard,
  useTabShortcuts,
} from './components/app-effects';
import { useStudioPick } from './components/use-studio-pick';
import { usePasteImport } from './components/paste-import';
import { focusSoon, focusTargets } from './components/focus-request';
import { WebhookEditor } from './features/webhook/WebhookEditor';
import { ContextEditor } from './features/context/ContextEditor';
import { CommandPalette, useCollectionSearchShortcut } from './features/palette/CommandPalette';
import { MOD } from './lib/keys';

const RunnerView = lazy(() => import('./features/runner/RunnerView').then((m) => ({ default: m.RunnerView })));

function Welcome() {
  const loading = useStudio((s) => s.loading);
  const [open, setOpen] = useState(true);
  if (loading) return <div className="empty-state">Opening the collection…</div>;
  return (
    <div className="welcome">
      <h1>Webhook Studio</h1>
      <p>
        Compose a Marketo webhook, see the exact bytes Marketo would send for a lead, fire it, and watch the answer map
        onto lead fields.
      </p>
      {open ? (
        <OpenDialog onClose={() => setOpen(false)} />
      ) : (
        <button type="button" className="btn primary" onClick={() => setOpen(true)}>
          Open a collection…
        </button>
      )}
    </div>
  );
}

function StatusBar() {
  const dir = useStudio((s) => s.dir);
  const target = useStudio((s) => s.target);
  const dirty = useStudio(
    (s) =>
      Object.values(s.webhooks).filter((w) => w.dirty).length + Object.values(s.contexts).filter((c) => c.dirty).length,
  );
  return (
    <footer className="statusbar">
      <span title={dir}>{dir ?? 'No collection'}</span>
      <span>{dirty ? `${dirty} unsaved` : 'All saved'}</span>
      <span>Sends to {target === 'catcher' ? 'the built-in catcher' : 'the URL'}</span>
      <span className="kbd-hint">
        <kbd>{MOD} K</kbd> commands · <kbd>{MOD} ↵</kbd> send · <kbd>{MOD} S</kbd> save
      </span>
    </footer>
  );
}

/** The runner in place of the editors: the current webhook once per lead of a leads file. */
function RunnerWorkspace({ dir }: { dir: string }) {
  const setView = useUi((s) => s.setView);
  const { triggers, profile } = useStudioPick('triggers', 'profile');
  const webhook = useStudio((s) => (s.currentWebhook ? s.webhooks[s.currentWebhook] : undefined));
  const context = useStudio((s) => (s.activeContext ? s.contexts[s.activeContext] : undefined));
  return (
    <main className="workspace" style={{ gridTemplateColumns: '260px 1fr' }}>
      <Sidebar />
      <section className="pane" aria-label="Runner">
        <div className="pane-head">
          <h1>Runner · {webhook?.value.name ?? 'no webhook'}</h1>
          <span className="badge">context: {context?.value.name ?? 'Empty lead'}</span>
          <button type="button" className="btn small" onClick={() => setView('studio')}>
            Back to the editor
          </button>
        </div>
        {webhook?.path ? (
          <Suspense fallback={<div className="empty-state">Loading the runner…</div>}>
            <RunnerView
              dir={dir}
              webhookPath={webhook.path}
              contextPath={context?.path}
              webhook={webhook.value}
              triggers={triggers}
              profile={explicitProfile(profile)}
            />
          </Suspense>
        ) : (
          <div className="empty-state">Save the webhook first: the runner runs a saved webhook once per lead.</div>
        )}
      </section>
    </main>
  );
}

/** The editors: the selected context or the current webhook, beside the preview and response. */
function StudioWorkspace() {
  const store = useStudioStore();
  const { selected, currentWebhook } = useStudioPick('selected', 'currentWebhook');
  return (
    <main className="workspace">
      <Sidebar />
      <DocTabs />
      {selected?.kind === 'context' ? (
        <ContextEditor docKey={selected.key} />
      ) : currentWebhook ? (
        <WebhookEditor docKey={currentWebhook} />
      ) : (
        <section className="pane">
          <div className="empty-state">
            <div>
              <h2>No webhook open</h2>
              <button
                type="button"
                className="btn primary"
                onClick={() => {
                  store.getState().newWebhook();
                  focusSoon(focusTargets.url);
                }}
              >
                New webhook
              </button>
            </div>
          </div>
        </section>
      )}
      <ResultPane />
    </main>
  );
}

export function App() {
  const dir = useStudio((s) => s.dir);
  const view = useUi((s) => s.view);
  const paletteOpen = useUi((s) => s.paletteOpen);
  const setPalette = useUi((s) => s.setPalette);
  useBoot();
  useSendShowsResponse();
  useJumpShowsWebhook();
  useShortcuts();
  useUnsavedGuard();
  useTabShortcuts();
  usePasteImport();
  useCollectionSearchShortcut();

  return (
    <div className="app">
      <Toolbar />
      {!dir ? (
        <main className="workspace" style={{ gridTemplateColumns: '1fr' }}>
          <Welcome />
        </main>
      ) : view === 'runner' ? (
        <RunnerWorkspace dir={dir} />
      ) : (
        <StudioWorkspace />
      )}
      <StatusBar />
      <Notices />
      <Dialogs />
      <CloseTabAsk />
      {paletteOpen && <CommandPalette runnerAvailable={!!dir} onClose={() => setPalette(false)} />}
    </div>
  );
}
