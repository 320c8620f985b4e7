import { lazy, Suspense, useEffect, useState } from 'react';
import { useStudio, useStudioStore } from './store/context';
import { useUi, type RightTab } from './store/ui-store';
import { explicitProfile } from './store/studio-store';
import { Sidebar } from './components/Sidebar';
import { Dialogs, OpenDialog } from './components/Dialogs';
import { WebhookEditor, tabKeys } from './features/webhook/WebhookEditor';
import { ContextEditor } from './features/context/ContextEditor';
import { PreviewPane } from './features/preview/PreviewPane';
import { MappingView, ResponsePane } from './features/response/ResponsePane';
import { CommandPalette, useCommands } from './features/palette/CommandPalette';
import { MOD } from './lib/keys';

const RunnerView = lazy(() => import('./features/runner/RunnerView').then((m) => ({ default: m.RunnerView })));

/** Ctrl on Windows/Linux, Cmd on macOS. */
export function isMod(e: KeyboardEvent): boolean {
  return e.ctrlKey || e.metaKey;
}

function Toolbar() {
  const store = useStudioStore();
  const name = useStudio((s) => s.name);
  const dir = useStudio((s) => s.dir);
  const contexts = useStudio((s) => s.contexts);
  const contextOrder = useStudio((s) => s.contextOrder);
  const active = useStudio((s) => s.activeContext);
  const target = useStudio((s) => s.target);
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const openDialog = useUi((s) => s.openDialog);
  const setPalette = useUi((s) => s.setPalette);
  return (
    <header className="toolbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          W
        </span>
        Webhook Studio
      </div>
      <button
        type="button"
        className="btn ghost collection-name"
        onClick={() => openDialog({ kind: 'open' })}
        title={dir ? `${dir} — open another collection` : 'Open a collection'}
      >
        {name ?? 'Open collection…'}
      </button>
      <span className="spacer" />
      <label className="inline">
        Context
        <select
          aria-label="Active context"
          value={active ?? ''}
          onChange={(e) => store.getState().setActiveContext(e.target.value || undefined)}
        >
          {contextOrder.length === 0 && <option value="">Empty lead</option>}
          {contextOrder.map((k) => (
            <option key={k} value={k}>
              {contexts[k]?.value.name ?? k}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        Send to
        <select
          aria-label="Send to"
          value={target}
          onChange={(e) => store.getState().setTarget(e.target.value === 'catcher' ? 'catcher' : 'url')}
        >
          <option value="url">The URL</option>
          <option value="catcher">Built-in catcher</option>
        </select>
      </label>
      <button type="button" className="btn" onClick={() => openDialog({ kind: 'import' })} disabled={!dir}>
        Import
      </button>
      <button type="button" className="btn" onClick={() => openDialog({ kind: 'export' })} disabled={!dir}>
        Export
      </button>
      <button
        type="button"
        className="btn"
        aria-pressed={view === 'runner'}
        onClick={() => setView(view === 'runner' ? 'studio' : 'runner')}
        disabled={!dir}
      >
        Runner
      </button>
      <button type="button" className="btn ghost" onClick={() => setPalette(true)} aria-keyshortcuts="Control+K Meta+K">
        Commands <kbd>{MOD} K</kbd>
      </button>
    </header>
  );
}

function RightPane() {
  const tab = useUi((s) => s.rightTab);
  const setTab = useUi((s) => s.setRightTab);
  const hasExchange = useStudio((s) => !!(s.currentWebhook && s.exchanges[s.currentWebhook]));
  const sending = useStudio((s) => !!(s.currentWebhook && s.sends[s.currentWebhook]));
  const stale = useStudio((s) => (s.currentWebhook ? s.staleExchanges[s.currentWebhook] : undefined));
  const tabs: [RightTab, string][] = [
    ['preview', 'Preview'],
    ['response', 'Response'],
    ['mapping', 'Lead mapping'],
  ];
  return (
    <section className="pane" aria-label="Preview and response">
      <div className="tabs" role="tablist" aria-label="Result" style={{ marginTop: 6 }}>
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`rtab-${id}`}
            aria-selected={tab === id}
            tabIndex={tab === id ? 0 : -1}
            className="tab"
            onClick={() => setTab(id)}
            onKeyDown={(e) =>
              tabKeys(
                e,
                tabs.map((t) => t[0]),
                tab,
                setTab,
              )
            }
          >
            {label}
            {id === 'response' && sending && <span className="count">…</span>}
            {id === 'response' && !sending && hasExchange && <span className="count">1</span>}
          </button>
        ))}
      </div>
      {stale && tab !== 'preview' && (
        <div className="banner conflict" role="status" data-testid="stale-response">
          <span className="title">{stale}</span>
        </div>
      )}
      <div
        role="tabpanel"
        aria-labelledby={`rtab-${tab}`}
        style={{
          display: 'flex',
          flexDirection: 'column',
          flex: 1,
          minHeight: 0,
          overflow: tab === 'preview' ? 'auto' : 'hidden',
        }}
      >
        {tab === 'preview' && <PreviewPane />}
        {tab === 'response' && <ResponsePane />}
        {tab === 'mapping' && <MappingView />}
      </div>
    </section>
  );
}

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

function Notices() {
  const notices = useStudio((s) => s.notices);
  const dismiss = useStudio((s) => s.dismiss);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span className="text">{n.text}</span>
          <button type="button" className="btn ghost icon small" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function App() {
  const store = useStudioStore();
  const dir = useStudio((s) => s.dir);
  const selected = useStudio((s) => s.selected);
  const current = useStudio((s) => s.currentWebhook);
  const currentPath = useStudio((s) => (s.currentWebhook ? s.webhooks[s.currentWebhook]?.path : undefined));
  const activeContextPath = useStudio((s) => (s.activeContext ? s.contexts[s.activeContext]?.path : undefined));
  const triggers = useStudio((s) => s.triggers);
  const profile = useStudio((s) => s.profile);
  const activeContextName = useStudio((s) => (s.activeContext ? s.contexts[s.activeContext]?.value.name : undefined));
  const currentName = useStudio((s) => (s.currentWebhook ? s.webhooks[s.currentWebhook]?.value.name : undefined));
  const currentWebhookValue = useStudio((s) => (s.currentWebhook ? s.webhooks[s.currentWebhook]?.value : undefined));
  const setView = useUi((s) => s.setView);
  const view = useUi((s) => s.view);
  const paletteOpen = useUi((s) => s.paletteOpen);
  const setPalette = useUi((s) => s.setPalette);
  const setRightTab = useUi((s) => s.setRightTab);
  const commands = useCommands(!!dir);

  useEffect(() => {
    void store.getState().boot();
  }, [store]);

  // A send shows its progress, then its response.
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        const key = s.currentWebhook;
        if (!key) return;
        const started = s.sends[key] && !prev.sends[key];
        const finished = s.exchanges[key] && s.exchanges[key] !== prev.exchanges[key];
        if ((started || finished) && useUi.getState().rightTab !== 'mapping') setRightTab('response');
      }),
    [store, setRightTab],
  );

  useEffect(
    () =>
      useUi.subscribe((u, prev) => {
        // A jump into the webhook (from a diagnostic or the lead table) brings its editor forward.
        if (!u.jump || u.jump === prev.jump || u.jump.location.part === 'context') return;
        const s = store.getState();
        if (s.selected?.kind === 'context' && s.currentWebhook) s.select('webhook', s.currentWebhook);
      }),
    [store],
  );

  useEffect(() => {
    // Capture phase: the shortcuts work from inside the editors too, before CodeMirror sees the key.
    const onKey = (e: KeyboardEvent) => {
      if (!isMod(e)) return;
      const k = e.key.toLowerCase();
      if (k === 'enter') {
        e.preventDefault();
        e.stopPropagation();
        void store.getState().send();
      } else if (k === 's') {
        e.preventDefault();
        e.stopPropagation();
        void store.getState().save();
      } else if (k === 'k') {
        e.preventDefault();
        e.stopPropagation();
        setPalette(!useUi.getState().paletteOpen);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [store, setPalette]);

  useEffect(() => {
    // Unsaved edits are never lost silently: closing the tab or window asks first.
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      const s = store.getState();
      if (Object.values(s.webhooks).some((w) => w.dirty) || Object.values(s.contexts).some((c) => c.dirty))
        e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [store]);

  return (
    <div className="app">
      <Toolbar />
      {!dir ? (
        <main className="workspace" style={{ gridTemplateColumns: '1fr' }}>
          <Welcome />
        </main>
      ) : view === 'runner' ? (
        <main className="workspace" style={{ gridTemplateColumns: '260px 1fr' }}>
          <Sidebar />
          <section className="pane" aria-label="Runner">
            <div className="pane-head">
              <h1>Runner · {currentName ?? 'no webhook'}</h1>
              <span className="badge">context: {activeContextName ?? 'Empty lead'}</span>
              <button type="button" className="btn small" onClick={() => setView('studio')}>
                Back to the editor
              </button>
            </div>
            {currentPath ? (
              <Suspense fallback={<div className="empty-state">Loading the runner…</div>}>
                <RunnerView
                  dir={dir}
                  webhookPath={currentPath}
                  contextPath={activeContextPath}
                  {...(currentWebhookValue ? { webhook: currentWebhookValue } : {})}
                  triggers={triggers}
                  profile={explicitProfile(profile)}
                />
              </Suspense>
            ) : (
              <div className="empty-state">Save the webhook first: the runner runs a saved webhook once per lead.</div>
            )}
          </section>
        </main>
      ) : (
        <main className="workspace">
          <Sidebar />
          {selected?.kind === 'context' ? (
            <ContextEditor docKey={selected.key} />
          ) : current ? (
            <WebhookEditor docKey={current} />
          ) : (
            <section className="pane">
              <div className="empty-state">
                <div>
                  <h2>No webhook open</h2>
                  <button type="button" className="btn primary" onClick={() => store.getState().newWebhook()}>
                    New webhook
                  </button>
                </div>
              </div>
            </section>
          )}
          <RightPane />
        </main>
      )}
      <StatusBar />
      <Notices />
      <Dialogs />
      {paletteOpen && <CommandPalette commands={commands} onClose={() => setPalette(false)} />}
    </div>
  );
}
