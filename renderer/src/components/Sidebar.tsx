import { useMemo, useState, type ReactNode } from 'react';
import { useStudio, useStudioStore } from '../store/context';
import { useUi } from '../store/ui-store';
import { formatDuration, formatWhen, outcomeWord } from '../features/response/outcome';
import { SideActions } from './SideActions';
import { TextInput } from './Fields';
import { useStudioPick } from './use-studio-pick';
import { useRovingList, type RovingItemProps } from './use-roving-list';
import { focusSoon, focusTargets } from './focus-request';
import { naturalOrder } from '../store/names';
import { useWebhookDrop, type DragSource } from './webhook-drag';

/** Groups webhook keys by folder: the folders in natural order first, then the collection root (as Bruno shows them). */
export function groupByFolder(keys: string[], folderOf: (k: string) => string): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const k of keys) {
    const f = folderOf(k);
    groups.set(f, [...(groups.get(f) ?? []), k]);
  }
  return [...groups].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : naturalOrder(a, b)));
}

/** Saved documents by display name in natural order; drafts (no file yet) after them, in the order they were made. */
export function byDisplayName(keys: string[], docOf: (k: string) => { name: string; saved: boolean } | undefined) {
  const saved = keys.filter((k) => docOf(k)?.saved);
  const drafts = keys.filter((k) => !docOf(k)?.saved);
  return [...saved.sort((a, b) => naturalOrder(docOf(a)?.name ?? '', docOf(b)?.name ?? '')), ...drafts];
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

/** The "+ New" beside a section's title: creates the thing, then puts the cursor where it is filled in. */
function NewButton({ label, create, focus }: { label: string; create: () => void; focus: string }) {
  return (
    <button
      type="button"
      className="btn ghost small"
      onClick={() => {
        create();
        focusSoon(focus);
      }}
      aria-label={label}
    >
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
  roving,
  drag,
  children,
}: {
  current: boolean;
  roving: RovingItemProps;
  drag?: DragSource;
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
        {...roving}
        {...drag}
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
      byDisplayName(
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
        (k) => {
          const w = webhooks[k];
          return w && { name: w.value.name, saved: w.path !== undefined };
        },
      ),
    [webhookOrder, webhooks, q],
  );
  const groups = groupByFolder(shown, (k) => webhooks[k]?.folder ?? '');
  const roving = useRovingList(
    groups.flatMap(([, keys]) => keys),
    selected?.kind === 'webhook' ? selected.key : undefined,
  );
  const drag = useWebhookDrop({
    folderOf: (k) => store.getState().webhooks[k]?.folder,
    move: (k, folder) => void store.getState().move(k, folder),
  });
  const newFolder = selected?.kind === 'webhook' ? webhooks[selected.key]?.folder : '';
  return (
    <SideSection
      id="side-webhooks"
      title="Webhooks"
      action={
        <NewButton label="New webhook" create={() => store.getState().newWebhook(newFolder)} focus={focusTargets.url} />
      }
    >
      <SideActions kind="webhook" />
      {groups.length === 0 && <p className="empty-note">{q ? 'No webhook matches.' : 'No webhooks yet.'}</p>}
      {/* Dropped anywhere outside a folder, a webhook goes to the collection root. */}
      <div onKeyDown={roving.onKeyDown} className="webhook-tree" data-testid="webhook-root" {...drag.target('')}>
        {groups.map(([folder, keys]) => (
          <div key={folder || '(root)'} className="folder-group" {...(folder ? drag.target(folder) : {})}>
            {folder && (
              <div className="folder-label" aria-hidden="true">
                <span>▾</span> {folder}
              </div>
            )}
            <ul className="side-list" aria-label={folder ? `Folder ${folder}` : 'Webhooks'}>
              {keys.map((k) => (
                <WebhookItem key={k} k={k} folder={folder} roving={roving.item(k)} drag={drag.source(k)} />
              ))}
            </ul>
          </div>
        ))}
      </div>
    </SideSection>
  );
}

/** One webhook row: its method and name; it can be dragged onto a folder. */
function WebhookItem({
  k,
  folder,
  roving,
  drag,
}: {
  k: string;
  folder: string;
  roving: RovingItemProps;
  drag: DragSource;
}) {
  const store = useStudioStore();
  const w = useStudio((s) => s.webhooks[k]);
  const current = useStudio((s) => s.selected?.kind === 'webhook' && s.selected.key === k);
  if (!w) return null;
  return (
    <SideItem
      className={`side-item${folder ? ' nested' : ''}`}
      current={current}
      dirty={w.dirty}
      onClick={() => store.getState().select('webhook', k)}
      title={w.path ?? 'not saved yet'}
      roving={roving}
      drag={drag}
    >
      <span className={`method ${w.value.method}`}>{w.value.method}</span>
      <span className="name">{w.value.name}</span>
    </SideItem>
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
  const shown = byDisplayName(
    contextOrder.filter((k) => !q || contexts[k]?.value.name.toLowerCase().includes(q)),
    (k) => {
      const c = contexts[k];
      return c && { name: c.value.name, saved: c.path !== undefined };
    },
  );
  const roving = useRovingList(shown, selected?.kind === 'context' ? selected.key : undefined);
  return (
    <SideSection
      id="side-contexts"
      title="Contexts"
      action={
        <NewButton label="New context" create={() => store.getState().newContext()} focus={focusTargets.contextName} />
      }
    >
      <SideActions kind="context" />
      {shown.length === 0 && (
        <p className="empty-note">{q ? 'No context matches.' : 'No contexts: tokens render empty.'}</p>
      )}
      <ul className="side-list" aria-label="Contexts" onKeyDown={roving.onKeyDown}>
        {shown.map((k) => {
          const c = contexts[k];
          if (!c) return null;
          return (
            <SideItem
              key={k}
              current={selected?.kind === 'context' && selected.key === k}
              dirty={c.dirty}
              onClick={() => store.getState().select('context', k)}
              roving={roving.item(k)}
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
  const shown = history?.slice(0, 30) ?? [];
  const roving = useRovingList(shown.map((h) => h.id));
  return (
    <SideSection id="side-history" title="History">
      {shown.length === 0 ? (
        <p className="empty-note">Sends of this webhook appear here.</p>
      ) : (
        <ul className="side-list" aria-label="History of this webhook" onKeyDown={roving.onKeyDown}>
          {shown.map((h) => (
            <li key={h.id}>
              <button
                type="button"
                className="side-item history-item"
                {...roving.item(h.id)}
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
