import { useMemo, type ReactNode } from 'react';
import { httpMethods, type Diagnostic, type Webhook } from '@shared/model';
import { TokenEditor, type EditorMark, type EditorLanguage } from '../../editor/TokenEditor';
import { tokenCompletionSource } from '../../editor/token-completions';
import { useStudio, useStudioStore } from '../../store/context';
import { useUi, type EditorTab, type JumpRequest } from '../../store/ui-store';
import { usePreview } from '../../lib/use-preview';
import { DocHead } from '../../components/DocHead';
import { TabList } from '../../components/Tabs';
import { MOD } from '../../lib/keys';
import { HeadersTab } from './HeadersTab';
import { SettingsTab, encodingLabels } from './SettingsTab';
import { MappingsTab } from './MappingsTab';
import { RequestTargetLine } from './RequestTargetLine';
import { pasteCurlIntoWebhook } from '../../components/paste-import';

// Kept where the response pane imports it from; it lives with the tab list now.

type Completions = ReturnType<typeof tokenCompletionSource>;

/** The template's language for highlighting: from its Content-Type header, else from its first character. */
export function templateLanguage(webhook: Webhook): EditorLanguage {
  const ct = webhook.headers.find((h) => h.name.trim().toLowerCase() === 'content-type')?.value.toLowerCase() ?? '';
  if (ct.includes('json')) return 'json';
  if (ct.includes('xml')) return 'xml';
  const first = webhook.template.trimStart()[0];
  return first === '{' || first === '[' ? 'json' : first === '<' ? 'xml' : 'text';
}

export function templateMarks(diagnostics: Diagnostic[]): EditorMark[] {
  return diagnostics
    .filter((d) => d.location?.part === 'template' && d.location.offset !== undefined)
    .map((d) => ({
      from: d.location?.offset ?? 0,
      to: (d.location?.offset ?? 0) + Math.max(1, d.location?.length ?? 1),
      severity: d.severity,
      message: d.message,
    }));
}

/** Where an editor of `part` should put the cursor, if the last jump went there. */
function jumpInto(jump: JumpRequest | null, part: 'template' | 'url') {
  return jump && jump.location.part === part
    ? { offset: jump.location.offset ?? 0, length: jump.location.length, nonce: jump.nonce }
    : undefined;
}

const editorTabs: [EditorTab, string][] = [
  ['template', 'Template'],
  ['headers', 'Headers'],
  ['settings', 'Settings'],
  ['mappings', 'Mappings'],
];

/** Token completions for the webhook's editors, from the field catalog and the active context. */
function useCompletions(): Completions {
  const store = useStudioStore();
  return useMemo(
    () =>
      tokenCompletionSource(() => {
        const s = store.getState();
        return { fields: s.fields, context: s.activeContext ? s.contexts[s.activeContext]?.value : undefined };
      }),
    [store],
  );
}

/** A webhook: its name, request type and URL with Send, what goes on the wire, then its parts in tabs. */
export function WebhookEditor({ docKey }: { docKey: string }) {
  const store = useStudioStore();
  const doc = useStudio((s) => s.webhooks[docKey]);
  const fields = useStudio((s) => s.fields);
  const tab = useUi((s) => s.editorTab);
  const setTab = useUi((s) => s.setEditorTab);
  const jump = useUi((s) => s.jump);
  const preview = usePreview();
  const completions = useCompletions();
  if (!doc) return null;
  const w = doc.value;
  const update = (change: Partial<Webhook>) => store.getState().updateWebhook(docKey, change);
  const current = preview.webhook === w;
  const counts: Record<EditorTab, number | undefined> = {
    template: undefined,
    headers: w.headers.length || undefined,
    settings: undefined,
    mappings: w.mappings.length || undefined,
  };
  return (
    <section className="pane" aria-label="Webhook editor">
      <DocHead kind="webhook" docKey={docKey} doc={doc} onName={(name) => update({ name })} saveShortcut>
        {doc.folder && <span className="badge">{doc.folder}</span>}
      </DocHead>
      <UrlBar docKey={docKey} webhook={w} update={update} completions={completions} jump={jump} />
      <RequestTargetLine rendered={current ? preview.rendered : undefined} error={preview.error} />
      <TabList
        label="Webhook parts"
        tabs={editorTabs}
        selected={tab}
        onSelect={setTab}
        tabId={(id) => `tab-${id}`}
        panelId={(id) => `panel-${id}`}
        extra={(id) => counts[id] !== undefined && <span className="count">{counts[id]}</span>}
      />
      {tab === 'template' && (
        <EditorPanel id="template" flush>
          <TemplatePanel
            webhook={w}
            update={update}
            completions={completions}
            diagnostics={current ? preview.diagnostics : []}
            jump={jump}
          />
        </EditorPanel>
      )}
      {tab === 'headers' && (
        <EditorPanel id="headers">
          <HeadersTab
            headers={w.headers}
            onChange={(headers) => update({ headers })}
            completions={completions}
            jump={jump?.location.part === 'header' ? jump : null}
          />
        </EditorPanel>
      )}
      {tab === 'settings' && (
        <EditorPanel id="settings">
          <SettingsTab webhook={w} onChange={update} />
        </EditorPanel>
      )}
      {tab === 'mappings' && (
        <EditorPanel id="mappings">
          <MappingsTab webhook={w} onChange={update} fields={fields} jump={jump} />
        </EditorPanel>
      )}
    </section>
  );
}

/** The panel of one of the webhook's tabs. */
function EditorPanel({ id, flush, children }: { id: EditorTab; flush?: boolean; children: ReactNode }) {
  return (
    <div
      className={flush ? 'tab-panel flush' : 'tab-panel'}
      role="tabpanel"
      id={`panel-${id}`}
      aria-labelledby={`tab-${id}`}
    >
      {children}
    </div>
  );
}

/** The request type, the URL (tokens allowed) and Send, or Cancel while a send is under way. */
function UrlBar({
  docKey,
  webhook: w,
  update,
  completions,
  jump,
}: {
  docKey: string;
  webhook: Webhook;
  update: (change: Partial<Webhook>) => void;
  completions: Completions;
  jump: JumpRequest | null;
}) {
  const store = useStudioStore();
  const sending = useStudio((s) => !!s.sends[docKey]);
  const target = useStudio((s) => s.target);
  return (
    <div className="urlbar">
      <select
        className={`method-select method ${w.method}`}
        aria-label="Request type"
        value={w.method}
        onChange={(e) => update({ method: httpMethods.find((m) => m === e.target.value) ?? w.method })}
      >
        {httpMethods.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      <div
        className="url-editor"
        onPasteCapture={(e) => {
          // Capture phase: a curl command is converted before the URL editor inserts it as text.
          if (pasteCurlIntoWebhook(store, docKey, e.clipboardData.getData('text/plain'))) {
            e.preventDefault();
            e.stopPropagation();
          }
        }}
      >
        <TokenEditor
          id="url-editor"
          label="URL"
          singleLine
          value={w.url}
          onChange={(url) => update({ url })}
          completions={completions}
          jumpTo={jumpInto(jump, 'url')}
          placeholder="https://api.example.com/path?id={{lead.Id}}"
        />
      </div>
      {sending ? (
        <button type="button" className="btn" onClick={() => void store.getState().cancel()}>
          Cancel
        </button>
      ) : (
        <button
          type="button"
          className="btn primary"
          onClick={() => void store.getState().send()}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          title={target === 'catcher' ? 'Send to the built-in catcher' : 'Send to the URL'}
        >
          Send <kbd>{MOD} ↵</kbd>
        </button>
      )}
    </div>
  );
}

/** The template: its encoding and highlighting above, the editor with the preview's problems marked. */
function TemplatePanel({
  webhook: w,
  update,
  completions,
  diagnostics,
  jump,
}: {
  webhook: Webhook;
  update: (change: Partial<Webhook>) => void;
  completions: Completions;
  diagnostics: Diagnostic[];
  jump: JumpRequest | null;
}) {
  return (
    <>
      <div className="template-bar">
        <span>
          Encoding <b>{encodingLabels[w.encoding]}</b>
        </span>
        <span>·</span>
        <span>
          Highlighting <b>{templateLanguage(w).toUpperCase()}</b>
        </span>
        <span style={{ marginLeft: 'auto' }}>
          Type <kbd>{'{{'}</kbd> for tokens
        </span>
      </div>
      <TokenEditor
        id="template-editor"
        label="Template"
        value={w.template}
        onChange={(template) => update({ template })}
        language={templateLanguage(w)}
        completions={completions}
        marks={templateMarks(diagnostics)}
        jumpTo={jumpInto(jump, 'template')}
        placeholder={w.method === 'GET' ? 'A GET sends no body in Marketo' : '{"email": {{lead.Email Address}}}'}
      />
    </>
  );
}
