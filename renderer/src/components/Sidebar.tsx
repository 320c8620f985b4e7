import { useMemo, useState, type ReactNode } from 'react';
import { useStudio, useStudioStore } from '../store/context';
import { useUi } from '../store/ui-store';
import { formatDuration, formatWhen, outcomeWord } from '../features/response/outcome';
import { SideActions } from './SideActions';
import { TextInput } from './Fields';
import { useStudioPick } from './use-studio-pick';

/** Groups webhook keys by folder, folders sorted, the collection root first. */
export function groupByFolder(keys: string[], folderOf: (k: string) => string): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const k of keys) {
    const f = folderOf(k);
    groups.set(f, [...(groups.get(f) ?? []), k]);
  }
  return [...groups].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
}

/** The collection: webhooks by folder, contexts, this webhook's history and the files that did not load. */
export function Sidebar() {
  const [filter, setFilter] = useState('');
  const q = filter.trim().toLowerCase();
  return (
    <nav className="sidebar" aria-label="Collection">
      <div className="sidebar-filter">
        <TextInput
          type="search"
          aria-label="Filter webhooks and contexts"
          placeholder="Filter"
          value={filter}
          onValue={setFilter}
        />
      </div>
      <div className="sidebar-scroll">
        <WebhookSection q={q} />
        <ContextSection q={q} />
        <HistorySection />
        <ProblemSection />
      </div>
    </nav>
  );
}

/** One titled part of the sidebar; `id` names its heading, `action` sits beside it. */
function SideSection({
  id,
  title,
  action,
  children,
}: {
  id: string;
  title: string;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="side-section" aria-labelledby={id}>
      <div className="side-head">
        <h2 id={id}>{title}</h2>
        {action}
      </div>
      {children}
    </section>
  );
}

/** The "+ New" beside a section's title. */
function NewButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="btn ghost small" onClick={onClick} aria-label={label}>
      + New
    </button>
  );
}

/** A webhook or context in a list: the current one is marked, unsaved edits show a dot. */
function SideItem({
  current,
  dirty,
  onClick,
  className = 'side-item',
  title,
  children,
}: {
  current: boolean;
  dirty: boolean;
  onClick: () => void;
  className?: string;
  title?: string;
  children: ReactNode;
}) {
  return (
    <li>
      <button
        type="button"
        className={className}
        aria-current={current ? 'true' : undefined}
        onClick={onClick}
        title={title}
      >
        {children}
        {dirty && <span className="dirty-dot" aria-label="unsaved edits" role="img" />}
      </button>
    </li>
  );
}

function WebhookSection({ q }: { q: string }) {
  const store = useStudioStore();
  const { webhooks, webhookOrder, selected } = useStudioPick('webhooks', 'webhookOrder', 'selected');
  const shown = useMemo(
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
  const groups = groupByFolder(shown, (k) => webhooks[k]?.folder ?? '');
  const newFolder = selected?.kind === 'webhook' ? webhooks[selected.key]?.folder : '';
  return (
    <SideSection
      id="side-webhooks"
      title="Webhooks"
      action={<NewButton label="New webhook" onClick={() => store.getState().newWebhook(newFolder)} />}
    >
      <SideActions kind="webhook" />
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
                <SideItem
                  key={k}
                  className={`side-item${folder ? ' nested' : ''}`}
                  current={selected?.kind === 'webhook' && selected.key === k}
                  dirty={w.dirty}
                  onClick={() => store.getState().select('webhook', k)}
                  title={w.path ?? 'not saved yet'}
                >
                  <span className={`method ${w.value.method}`}>{w.value.method}</span>
                  <span className="name">{w.value.name}</span>
                </SideItem>
              );
            })}
          </ul>
        </div>
      ))}
    </SideSection>
  );
}

function ContextSection({ q }: { q: string }) {
  const store = useStudioStore();
  const { contexts, contextOrder, selected, activeContext } = useStudioPick(
    'contexts',
    'contextOrder',
    'selected',
    'activeContext',
  );
  const shown = contextOrder.filter((k) => !q || contexts[k]?.value.name.toLowerCase().includes(q));
  return (
    <SideSection
      id="side-contexts"
      title="Contexts"
      action={<NewButton label="New context" onClick={() => store.getState().newContext()} />}
    >
      <SideActions kind="context" />
      {shown.length === 0 && (
        <p className="empty-note">{q ? 'No context matches.' : 'No contexts: tokens render empty.'}</p>
      )}
      <ul className="side-list" aria-label="Contexts">
        {shown.map((k) => {
          const c = contexts[k];
          if (!c) return null;
          return (
            <SideItem
              key={k}
              current={selected?.kind === 'context' && selected.key === k}
              dirty={c.dirty}
              onClick={() => store.getState().select('context', k)}
            >
              <span className="name">{c.value.name}</span>
              {activeContext === k && <span className="active-mark">active</span>}
            </SideItem>
          );
        })}
      </ul>
    </SideSection>
  );
}

/** The current webhook's last sends; one opens in the response pane. */
function HistorySection() {
  const store = useStudioStore();
  const current = useStudio((s) => s.currentWebhook);
  const history = useStudio((s) => (s.currentWebhook ? s.history[s.currentWebhook] : undefined));
  const setRightTab = useUi((s) => s.setRightTab);
  return (
    <SideSection id="side-history" title="History">
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
    </SideSection>
  );
}

function ProblemSection() {
  const problems = useStudio((s) => s.problems);
  if (problems.length === 0) return null;
  return (
    <SideSection id="side-problems" title="Files that did not load">
      <ul className="problem-list">
        {problems.map((p, i) => (
          <li key={i}>
            {p.file}
            {p.line ? `:${p.line}` : ''} — {p.message}
          </li>
        ))}
      </ul>
    </SideSection>
  );
}
