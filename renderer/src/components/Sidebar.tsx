import { useMemo, useState } from 'react';
import { useStudio, useStudioStore } from '../store/context';
import { useUi } from '../store/ui-store';
import type { DocKind } from '../store/studio-store';
import { formatDuration, formatWhen, outcomeWord } from '../features/response/outcome';

/** Groups webhook keys by folder, folders sorted, the collection root first. */
export function groupByFolder(keys: string[], folderOf: (k: string) => string): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const k of keys) {
    const f = folderOf(k);
    groups.set(f, [...(groups.get(f) ?? []), k]);
  }
  return [...groups].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
}

export function Sidebar() {
  const store = useStudioStore();
  const webhooks = useStudio((s) => s.webhooks);
  const webhookOrder = useStudio((s) => s.webhookOrder);
  const contexts = useStudio((s) => s.contexts);
  const contextOrder = useStudio((s) => s.contextOrder);
  const selected = useStudio((s) => s.selected);
  const active = useStudio((s) => s.activeContext);
  const current = useStudio((s) => s.currentWebhook);
  const history = useStudio((s) => (s.currentWebhook ? s.history[s.currentWebhook] : undefined));
  const problems = useStudio((s) => s.problems);
  const openDialog = useUi((s) => s.openDialog);
  const setRightTab = useUi((s) => s.setRightTab);
  const [filter, setFilter] = useState('');

  const q = filter.trim().toLowerCase();
  const shownWebhooks = useMemo(
    () =>
      webhookOrder.filter((k) => {
        const w = webhooks[k];
        return (
          w &&
          (!q ||
            w.value.name.toLowerCase().includes(q) ||
            w.value.url.toLowerCase().includes(q) ||
            w.folder.toLowerCase().includes(q))
        );
      }),
    [webhookOrder, webhooks, q],
  );
  const shownContexts = contextOrder.filter((k) => !q || contexts[k]?.value.name.toLowerCase().includes(q));
  const groups = groupByFolder(shownWebhooks, (k) => webhooks[k]?.folder ?? '');

  const sel = selected;
  const selName = sel
    ? sel.kind === 'webhook'
      ? webhooks[sel.key]?.value.name
      : contexts[sel.key]?.value.name
    : undefined;

  function actions(kind: DocKind) {
    if (!sel || sel.kind !== kind || !selName) return null;
    const s = store.getState();
    return (
      <div className="side-actions" role="group" aria-label={`Actions on ${selName}`}>
        <button type="button" className="btn small" onClick={() => void s.duplicate(kind, sel.key)}>
          Duplicate
        </button>
        <button
          type="button"
          className="btn small"
          onClick={() =>
            openDialog({
              kind: 'prompt',
              title: `Rename ${kind}`,
              label: 'New name',
              initial: selName,
              submit: 'Rename',
              onSubmit: (name) => void store.getState().rename(kind, sel.key, name),
            })
          }
        >
          Rename
        </button>
        {kind === 'webhook' && (
          <button
            type="button"
            className="btn small"
            onClick={() =>
              openDialog({
                kind: 'prompt',
                title: 'Move webhook to folder',
                label: 'Folder (empty for the collection root; use / for subfolders)',
                initial: webhooks[sel.key]?.folder ?? '',
                submit: 'Move',
                onSubmit: (folder) => void store.getState().move(sel.key, folder),
              })
            }
          >
            Move
          </button>
        )}
        <button
          type="button"
          className="btn small danger"
          onClick={() =>
            openDialog({
              kind: 'confirm',
              title: `Delete ${kind}`,
              text: `Delete “${selName}”? The file is removed from the collection folder.`,
              submit: 'Delete',
              onSubmit: () => void store.getState().remove(kind, sel.key),
            })
          }
        >
          Delete
        </button>
      </div>
    );
  }

  return (
    <nav className="sidebar" aria-label="Collection">
      <div className="sidebar-filter">
        <input
          type="search"
          aria-label="Filter webhooks and contexts"
          placeholder="Filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <div className="sidebar-scroll">
        <section className="side-section" aria-labelledby="side-webhooks">
          <div className="side-head">
            <h2 id="side-webhooks">Webhooks</h2>
            <button
              type="button"
              className="btn ghost small"
              onClick={() => store.getState().newWebhook(sel?.kind === 'webhook' ? webhooks[sel.key]?.folder : '')}
              aria-label="New webhook"
            >
              + New
            </button>
          </div>
          {actions('webhook')}
          {groups.length === 0 && <p className="empty-note">{q ? 'No webhook matches.' : 'No webhooks yet.'}</p>}
          {groups.map(([folder, keys]) => (
            <div key={folder || '(root)'}>
              {folder && (
                <div className="folder-label" aria-hidden="true">
                  <span>▾</span> {folder}
                </div>
              )}
              <ul className="side-list" aria-label={folder ? `Folder ${folder}` : 'Webhooks'}>
                {keys.map((k) => {
                  const w = webhooks[k];
                  if (!w) return null;
                  return (
                    <li key={k}>
                      <button
                        type="button"
                        className={`side-item${folder ? ' nested' : ''}`}
                        aria-current={sel?.kind === 'webhook' && sel.key === k ? 'true' : undefined}
                        onClick={() => store.getState().select('webhook', k)}
                        title={w.path ?? 'not saved yet'}
                      >
                        <span className={`method ${w.value.method}`}>{w.value.method}</span>
                        <span className="name">{w.value.name}</span>
                        {w.dirty && <span className="dirty-dot" aria-label="unsaved edits" role="img" />}
                      </button>
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </section>

        <section className="side-section" aria-labelledby="side-contexts">
          <div className="side-head">
            <h2 id="side-contexts">Contexts</h2>
            <button
              type="button"
              className="btn ghost small"
              onClick={() => store.getState().newContext()}
              aria-label="New context"
            >
              + New
            </button>
          </div>
          {actions('context')}
          {shownContexts.length === 0 && (
            <p className="empty-note">{q ? 'No context matches.' : 'No contexts: tokens render empty.'}</p>
          )}
          <ul className="side-list" aria-label="Contexts">
            {shownContexts.map((k) => {
              const c = contexts[k];
              if (!c) return null;
              return (
                <li key={k}>
                  <button
                    type="button"
                    className="side-item"
                    aria-current={sel?.kind === 'context' && sel.key === k ? 'true' : undefined}
                    onClick={() => store.getState().select('context', k)}
                  >
                    <span className="name">{c.value.name}</span>
                    {active === k && <span className="active-mark">active</span>}
                    {c.dirty && <span className="dirty-dot" aria-label="unsaved edits" role="img" />}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>

        <section className="side-section" aria-labelledby="side-history">
          <div className="side-head">
            <h2 id="side-history">History</h2>
          </div>
          {!history || history.length === 0 ? (
            <p className="empty-note">Sends of this webhook appear here.</p>
          ) : (
            <ul className="side-list" aria-label="History of this webhook">
              {history.slice(0, 30).map((h) => (
                <li key={h.id}>
                  <button
                    type="button"
                    className="side-item history-item"
                    onClick={() => {
                      if (current) void store.getState().showHistory(current, h.id);
                      setRightTab('response');
                    }}
                  >
                    <span className={`status ${h.status && h.status < 300 ? 'ok' : ''}`}>
                      {outcomeWord(h.outcome, h.status)}
                    </span>
                    <span className="when">{formatWhen(h.startedAt)}</span>
                    <span className="badge">{formatDuration(h.totalMs)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>

        {problems.length > 0 && (
          <section className="side-section" aria-labelledby="side-problems">
            <div className="side-head">
              <h2 id="side-problems">Files that did not load</h2>
            </div>
            <ul className="problem-list">
              {problems.map((p, i) => (
                <li key={i}>
                  {p.file}
                  {p.line ? `:${p.line}` : ''} — {p.message}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </nav>
  );
}
