import { useStudio, useStudioStore } from '../store/context';
import { useUi } from '../store/ui-store';
import { MOD } from '../lib/keys';
import { useStudioPick } from './use-studio-pick';

/** The bar at the top: the collection, the active context, where Send goes, import/export, runner, commands. */
export function Toolbar() {
  const { name, dir } = useStudioPick('name', 'dir');
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
      <ContextChoice />
      <TargetChoice />
      <button
        type="button"
        className="btn"
        aria-label="Catcher answers…"
        onClick={() => openDialog({ kind: 'catcher' })}
        disabled={!dir}
        title="Catcher answers: how the built-in catcher answers (status, headers, body, delay, rate limit), kept in catcher.yaml"
      >
        Answers…
      </button>
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
      <button
        type="button"
        className="btn"
        onClick={() => openDialog({ kind: 'settings' })}
        disabled={!dir}
        aria-label="Collection settings"
        title="Collection settings: proxy, certificates, TLS verification"
      >
        <span aria-hidden="true">⚙</span>
      </button>
      <button type="button" className="btn ghost" onClick={() => setPalette(true)} aria-keyshortcuts="Control+K Meta+K">
        Commands <kbd>{MOD} K</kbd>
      </button>
    </header>
  );
}

/** The context whose values fill the tokens. */
function ContextChoice() {
  const store = useStudioStore();
  const { contexts, contextOrder, activeContext } = useStudioPick('contexts', 'contextOrder', 'activeContext');
  return (
    <label className="inline">
      <span className="inline-label">Context</span>
      <select
        aria-label="Active context"
        value={activeContext ?? ''}
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
  );
}

/** Where Send goes: the webhook's URL or the built-in catcher. */
function TargetChoice() {
  const store = useStudioStore();
  const target = useStudio((s) => s.target);
  return (
    <label className="inline">
      <span className="inline-label">Send to</span>
      <select
        aria-label="Send to"
        value={target}
        onChange={(e) => store.getState().setTarget(e.target.value === 'catcher' ? 'catcher' : 'url')}
      >
        <option value="url">The URL</option>
        <option value="catcher">Built-in catcher</option>
      </select>
    </label>
  );
}
