import { useSecretStatus } from '../../lib/secret-status';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { RemoveButton, RemoveColumnHead, SelectRow } from '../../components/TableControls';
import {
  httpMethods,
  tokenEncodings,
  responseTypes,
  profileOptionDocs,
  type Diagnostic,
  type FieldCatalog,
  type HttpMethod,
  type Profile,
  type ProfileOption,
  type Webhook,
  type WebhookHeader,
} from '@shared/model';
import { TokenEditor, type EditorMark, type EditorLanguage } from '../../editor/TokenEditor';
import { tokenCompletionSource } from '../../editor/token-completions';
import { useStudio, useStudioStore } from '../../store/context';
import { useUi, type EditorTab } from '../../store/ui-store';
import { usePreview } from '../../lib/use-preview';
import { FieldPicker } from '../../components/FieldPicker';
import { ConflictBanner } from '../../components/ConflictBanner';
import { findField } from '@shared/catalog';
import { MOD } from '../../lib/keys';

const encodingLabels: Record<(typeof tokenEncodings)[number], string> = {
  none: 'None',
  json: 'JSON',
  'form-url': 'Form/Url',
};
const responseLabels: Record<(typeof responseTypes)[number], string> = { none: 'None', json: 'JSON', xml: 'XML' };

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

export function WebhookEditor({ docKey }: { docKey: string }) {
  const store = useStudioStore();
  const doc = useStudio((s) => s.webhooks[docKey]);
  const fields = useStudio((s) => s.fields);
  const sending = useStudio((s) => !!s.sends[docKey]);
  const target = useStudio((s) => s.target);
  const tab = useUi((s) => s.editorTab);
  const setTab = useUi((s) => s.setEditorTab);
  const jump = useUi((s) => s.jump);
  const preview = usePreview();
  const completions = useMemo(
    () =>
      tokenCompletionSource(() => {
        const s = store.getState();
        return { fields: s.fields, context: s.activeContext ? s.contexts[s.activeContext]?.value : undefined };
      }),
    [store],
  );
  if (!doc) return null;
  const w = doc.value;
  const update = (change: Partial<Webhook>) => store.getState().updateWebhook(docKey, change);
  const r = preview.webhook === w ? preview.rendered : undefined;
  const diagnostics = preview.webhook === w ? preview.diagnostics : [];
  const templateJump =
    jump && jump.location.part === 'template'
      ? { offset: jump.location.offset ?? 0, length: jump.location.length, nonce: jump.nonce }
      : undefined;
  const urlJump =
    jump && jump.location.part === 'url'
      ? { offset: jump.location.offset ?? 0, length: jump.location.length, nonce: jump.nonce }
      : undefined;
  const counts: Record<EditorTab, number | undefined> = {
    template: undefined,
    headers: w.headers.length || undefined,
    settings: undefined,
    mappings: w.mappings.length || undefined,
  };
  const tabs: [EditorTab, string][] = [
    ['template', 'Template'],
    ['headers', 'Headers'],
    ['settings', 'Settings'],
    ['mappings', 'Mappings'],
  ];
  const hostLine = r?.host ? `Host: ${r.host}` : '';
  const browserDiffers = r?.browserRequestTarget !== undefined && r.browserRequestTarget !== r.requestTarget;

  return (
    <section className="pane" aria-label="Webhook editor">
      <div className="pane-head">
        <input
          className="name-input"
          type="text"
          aria-label="Webhook name"
          value={w.name}
          onChange={(e) => update({ name: e.target.value })}
        />
        {doc.dirty && <span className="badge accent">Unsaved</span>}
        {doc.folder && <span className="badge">{doc.folder}</span>}
        <button
          type="button"
          className="btn"
          onClick={() => void store.getState().save(docKey)}
          disabled={!doc.dirty && !!doc.path}
          aria-keyshortcuts="Control+S Meta+S"
        >
          Save <kbd>{MOD} S</kbd>
        </button>
      </div>
      <ConflictBanner docKey={docKey} kind="webhook" />
      <div className="urlbar">
        <select
          className={`method-select method ${w.method}`}
          aria-label="Request type"
          value={w.method}
          onChange={(e) => update({ method: e.target.value as HttpMethod })}
        >
          {httpMethods.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <div className="url-editor">
          <TokenEditor
            id="url-editor"
            label="URL"
            singleLine
            value={w.url}
            onChange={(url) => update({ url })}
            completions={completions}
            jumpTo={urlJump}
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
      <div className="wire-line" aria-label="Request target">
        <span>On the wire</span>
        <code data-testid="wire-target">
          {r
            ? `${r.method} ${r.requestTarget} HTTP/1.1${hostLine ? `  ·  ${hostLine}` : ''}`
            : preview.error
              ? `Cannot render: ${preview.error}`
              : '—'}
        </code>
        {r && r.requestTargetAsWritten !== r.requestTarget && (
          <>
            <span>As written</span>
            <code>{r.requestTargetAsWritten}</code>
          </>
        )}
        {browserDiffers && (
          <span className="differs" style={{ display: 'contents' }}>
            <span>A browser would send</span>
            <code title="What a WHATWG URL parser (browsers, fetch, Postman) would put on the wire instead">
              {r?.browserRequestTarget}
            </code>
          </span>
        )}
      </div>
      <div className="tabs" role="tablist" aria-label="Webhook parts">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-controls={`panel-${id}`}
            aria-selected={tab === id}
            className="tab"
            tabIndex={tab === id ? 0 : -1}
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
            {counts[id] !== undefined && <span className="count">{counts[id]}</span>}
          </button>
        ))}
      </div>
      {tab === 'template' && (
        <div className="tab-panel flush" role="tabpanel" id="panel-template" aria-labelledby="tab-template">
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
            jumpTo={templateJump}
            placeholder={w.method === 'GET' ? 'A GET sends no body in Marketo' : '{"email": {{lead.Email Address}}}'}
          />
        </div>
      )}
      {tab === 'headers' && (
        <div className="tab-panel" role="tabpanel" id="panel-headers" aria-labelledby="tab-headers">
          <HeadersTab
            headers={w.headers}
            onChange={(headers) => update({ headers })}
            completions={completions}
            jump={jump?.location.part === 'header' ? jump : null}
          />
        </div>
      )}
      {tab === 'settings' && (
        <div className="tab-panel" role="tabpanel" id="panel-settings" aria-labelledby="tab-settings">
          <SettingsTab webhook={w} onChange={update} />
        </div>
      )}
      {tab === 'mappings' && (
        <div className="tab-panel" role="tabpanel" id="panel-mappings" aria-labelledby="tab-mappings">
          <MappingsTab webhook={w} onChange={update} fields={fields} />
        </div>
      )}
    </section>
  );
}

/** Arrow keys move between tabs (WAI-ARIA tabs pattern). */
export function tabKeys<T extends string>(e: KeyboardEvent, ids: T[], current: T, set: (id: T) => void): void {
  const i = ids.indexOf(current);
  let next: number | undefined;
  if (e.key === 'ArrowRight') next = (i + 1) % ids.length;
  if (e.key === 'ArrowLeft') next = (i - 1 + ids.length) % ids.length;
  if (e.key === 'Home') next = 0;
  if (e.key === 'End') next = ids.length - 1;
  if (next === undefined) return;
  e.preventDefault();
  const id = ids[next] as T;
  set(id);
  const el = (e.currentTarget.parentElement?.children[next] as HTMLElement | undefined) ?? undefined;
  el?.focus();
}

/** Whether a secret has a value and where from, beside its field. */
function SecretStatus({ name }: { name: string }) {
  const status = useSecretStatus(name);
  return (
    <span className={status.set ? 'badge good' : 'badge'} aria-label={`Secret ${name}: ${status.text}`}>
      {status.text}
    </span>
  );
}

function HeadersTab({
  headers,
  onChange,
  completions,
  jump,
}: {
  headers: WebhookHeader[];
  onChange: (h: WebhookHeader[]) => void;
  completions: ReturnType<typeof tokenCompletionSource>;
  jump: { location: { index?: number; offset?: number; length?: number }; nonce: number } | null;
}) {
  const secrets = useStudio((s) => s.secrets);
  const setSecret = useStudio((s) => s.setSecret);
  const [secretValues, setSecretValues] = useState<Record<number, string>>({});
  const set = (i: number, change: Partial<WebhookHeader>) =>
    onChange(headers.map((h, j) => (j === i ? { ...h, ...change } : h)));
  return (
    <>
      <p className="help" style={{ marginTop: 0 }}>
        Custom headers, as under <i>Webhooks Actions → Set Custom Header</i>. Values may hold tokens. A secret value is
        kept in the secrets store, never in the collection.
      </p>
      <table className="grid">
        <thead>
          <tr>
            <th style={{ width: '30%' }}>Name</th>
            <th>Value</th>
            <th style={{ width: 64 }}>Secret</th>
            <RemoveColumnHead />
          </tr>
        </thead>
        <tbody>
          {headers.map((h, i) => (
            <tr key={i}>
              <td>
                <input
                  type="text"
                  aria-label={`Header ${i + 1} name`}
                  value={h.name}
                  onChange={(e) => set(i, { name: e.target.value })}
                  autoFocus={jump?.location.index === i && jump.nonce > 0}
                />
              </td>
              <td>
                {h.secret ? (
                  // Wraps, so the status ("•••••• set, from …") goes under the value instead of squeezing the name column.
                  <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}>
                    <input
                      type="password"
                      aria-label={`Secret value of header ${h.name || i + 1}`}
                      placeholder={secrets.includes(h.name) ? 'set — type to replace' : 'type the value, then Store'}
                      value={secretValues[i] ?? ''}
                      onChange={(e) => setSecretValues({ ...secretValues, [i]: e.target.value })}
                      style={{ flex: 1, minWidth: '10em' }}
                    />
                    <button
                      type="button"
                      className="btn small"
                      disabled={!h.name || !secretValues[i]}
                      onClick={async () => {
                        if (await setSecret(h.name, secretValues[i] ?? ''))
                          setSecretValues({ ...secretValues, [i]: '' });
                      }}
                    >
                      Store
                    </button>
                    <SecretStatus name={h.name} />
                  </div>
                ) : /[\r\n]/.test(h.value) ? (
                  // A one-line editor cannot show a line break, and typing in it would drop the break
                  // unseen: the value is shown with its breaks spelled out, and only the user removes them.
                  <div style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
                    <code
                      className="mono"
                      aria-label={`Header ${i + 1} value`}
                      style={{ flex: 1, overflowWrap: 'anywhere' }}
                    >
                      {h.value.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}
                    </code>
                    <button
                      type="button"
                      className="btn small"
                      aria-label={`Remove the line breaks from header ${h.name || i + 1}`}
                      onClick={() => set(i, { value: h.value.replace(/[\r\n]/g, '') })}
                    >
                      Remove the line breaks
                    </button>
                  </div>
                ) : (
                  <div className="cell-editor">
                    <TokenEditor
                      label={`Header ${i + 1} value`}
                      singleLine
                      value={h.value}
                      onChange={(value) => set(i, { value })}
                      completions={completions}
                    />
                  </div>
                )}
              </td>
              <td style={{ textAlign: 'center' }}>
                <input
                  type="checkbox"
                  aria-label={`Header ${h.name || i + 1} is a secret`}
                  checked={!!h.secret}
                  onChange={async (e) => {
                    if (!e.target.checked) return set(i, { secret: undefined });
                    // The value typed so far moves into the store; the header keeps no value in the collection.
                    const typed = h.value ?? '';
                    if (typed !== '' && !(await setSecret(h.name, typed))) return;
                    set(i, { secret: true, value: '' });
                  }}
                />
              </td>
              <td>
                <RemoveButton
                  label={`Remove header ${h.name || i + 1}`}
                  onRemove={() => onChange(headers.filter((_, j) => j !== i))}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
        <button type="button" className="btn small" onClick={() => onChange([...headers, { name: '', value: '' }])}>
          + Add header
        </button>
        {!headers.some((h) => h.name.toLowerCase() === 'content-type') && (
          <button
            type="button"
            className="btn small"
            onClick={() => onChange([...headers, { name: 'Content-Type', value: 'application/json' }])}
          >
            + Content-Type: application/json
          </button>
        )}
      </div>
    </>
  );
}

/** The profile options the Settings tab offers beside the webhook's own settings. */
/** Each profile option in words; its identifier (as in the collection file) is kept as a tooltip. */
export const profileOptionLabels: Record<ProfileOption, string> = {
  encodingScope: 'Where token encoding applies',
  jsonEscapeSlash: 'JSON: write / as \\/',
  jsonNonAscii: 'JSON: non-ASCII characters',
  jsonEmptyValue: 'JSON: an empty value becomes',
  jsonBooleanBare: 'JSON: Booleans without quotes',
  booleanFormat: 'How a Boolean reads',
  htmlEncodeTokens: 'HTML-encode token values',
  encodeDefaults: 'Encode token defaults',
  malformedDefault: 'A default written without :default=',
  templateOnGet: 'Template on a GET',
  defaultContentType: 'Content-Type when none is set',
  userAgent: 'User-Agent',
  urlUnsafeCharacters: 'URL characters that cannot be sent',
  followRedirects: 'Follow redirects',
  timeoutMs: 'Timeout (ms)',
  maxResponseBytes: 'Largest response read (bytes)',
  xmlAttributes: 'XML attributes in mapping paths',
  xmlSingleElementIndex: 'XML: [0] on an element that occurs once',
  jsonRootArray: 'Mapping paths into a root-level JSON array',
  nestedValueToString: 'An object or array mapped to a text field',
  overLengthString: 'A mapped text longer than its field',
  maxResponseDepth: 'Deepest response nesting read',
  maxRenderedBytes: 'Largest request rendered (bytes)',
  fullName: 'How {{lead.Full Name}} is composed',
  triggerMatchCase: 'Trigger constraints: letter case',
  errorTypeOn2xx: 'Error Type of a 2xx call',
  timeoutErrorType: 'Error Type of a timeout',
  networkErrorType: 'Error Type of a failed connection',
};

/** The "why" of an option without its citation of the spec, a document the user does not have. */
function withoutSpecCitation(text: string): string {
  return text.replace(/\s*\(spec §[^)]*\)/g, '').replace(/;\s*$/, '');
}

const profileOptionsShown: ProfileOption[] = [
  'timeoutMs',
  'followRedirects',
  'defaultContentType',
  'userAgent',
  'encodingScope',
  'templateOnGet',
  'booleanFormat',
  'jsonEmptyValue',
  'jsonNonAscii',
  'jsonEscapeSlash',
  'jsonBooleanBare',
  'htmlEncodeTokens',
  'malformedDefault',
  'urlUnsafeCharacters',
  'xmlAttributes',
  'xmlSingleElementIndex',
  'jsonRootArray',
  'nestedValueToString',
  'overLengthString',
  'maxResponseBytes',
  'maxResponseDepth',
  'maxRenderedBytes',
  'fullName',
  'triggerMatchCase',
  'errorTypeOn2xx',
  'timeoutErrorType',
  'networkErrorType',
];

const enumChoices: Partial<Record<ProfileOption, readonly string[]>> = {
  encodingScope: ['body', 'body-and-url', 'all'],
  jsonNonAscii: ['raw', 'escape'],
  jsonEmptyValue: ['empty-string', 'null'],
  booleanFormat: ['true-false', 'TRUE-FALSE', '1-0'],
  malformedDefault: ['empty', 'literal'],
  templateOnGet: ['drop', 'send'],
  urlUnsafeCharacters: ['percent-encode', 'refuse'],
  xmlAttributes: ['ignore', 'as-keys'],
  xmlSingleElementIndex: ['both', 'bare-only'],
  jsonRootArray: ['allow', 'refuse'],
  nestedValueToString: ['skip', 'json'],
  overLengthString: ['truncate', 'refuse'],
  fullName: ['first-last', 'context-only'],
  triggerMatchCase: ['insensitive', 'sensitive'],
  errorTypeOn2xx: ['empty', 'reason-phrase'],
};

function SettingsTab({ webhook, onChange }: { webhook: Webhook; onChange: (c: Partial<Webhook>) => void }) {
  const profile = useStudio((s) => s.profile);
  const saveProfile = useStudio((s) => s.saveProfile);
  const assumed = new Set(usePreview().diagnostics.flatMap((d) => d.assumed ?? []));
  const [draft, setDraft] = useState<Partial<Record<ProfileOption, string>>>({});
  function control(option: ProfileOption) {
    const value = profile[option];
    const id = `profile-${option}`;
    if (typeof value === 'boolean')
      return (
        <input
          id={id}
          type="checkbox"
          checked={value}
          onChange={(e) => void saveProfile({ [option]: e.target.checked } as Partial<Profile>)}
        />
      );
    const choices = enumChoices[option];
    if (choices)
      return (
        <select
          id={id}
          value={String(value)}
          onChange={(e) => void saveProfile({ [option]: e.target.value } as Partial<Profile>)}
        >
          {choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      );
    const isNumber = typeof value === 'number';
    return (
      <input
        id={id}
        type={isNumber ? 'number' : 'text'}
        value={draft[option] ?? String(value)}
        onChange={(e) => setDraft({ ...draft, [option]: e.target.value })}
        onBlur={() => {
          const raw = draft[option];
          if (raw === undefined) return;
          setDraft({ ...draft, [option]: undefined });
          if (isNumber) {
            const n = Number(raw);
            if (Number.isInteger(n) && n > 0) void saveProfile({ [option]: n } as Partial<Profile>);
          } else void saveProfile({ [option]: raw } as Partial<Profile>);
        }}
      />
    );
  }
  return (
    <>
      <div className="section">
        <h3>This webhook</h3>
        <SelectRow
          id="set-encoding"
          label="Request Token Encoding"
          value={webhook.encoding}
          options={tokenEncodings}
          optionLabel={encodingLabels}
          onChange={(encoding) => onChange({ encoding })}
        />
        <SelectRow
          id="set-response"
          label="Response type"
          value={webhook.responseType}
          options={responseTypes}
          optionLabel={responseLabels}
          onChange={(responseType) => onChange({ responseType })}
        />
        <div className="field-row">
          <label className="field-label" htmlFor="set-description">
            Description
          </label>
          <input
            id="set-description"
            type="text"
            value={webhook.description ?? ''}
            onChange={(e) => onChange({ description: e.target.value || undefined })}
          />
        </div>
      </div>
      <div className="section">
        <h3>Profile (whole collection)</h3>
        <p className="help" style={{ marginTop: 0 }}>
          Where Marketo’s documentation is silent the studio assumes a default. Options marked{' '}
          <span className="badge assumed">assumed</span> shaped the current preview. Each option is described in full in
          the README, section <b>Profile options</b>.
        </p>
        {profileOptionsShown.map((o) => (
          <div className="field-row" key={o} style={{ alignItems: 'start' }}>
            <label className="field-label" htmlFor={`profile-${o}`}>
              <span title={o}>{profileOptionLabels[o]}</span>{' '}
              {assumed.has(o) && <span className="badge assumed">assumed</span>}
            </label>
            <div>
              {control(o)}
              <div className="help">
                {profileOptionDocs[o].summary} <i>{withoutSpecCitation(profileOptionDocs[o].why)}</i>
              </div>
            </div>
          </div>
        ))}
      </div>
    </>
  );
}

function MappingsTab({
  webhook,
  onChange,
  fields,
}: {
  webhook: Webhook;
  onChange: (c: Partial<Webhook>) => void;
  fields: FieldCatalog;
}) {
  const set = (i: number, change: Partial<Webhook['mappings'][number]>) =>
    onChange({ mappings: webhook.mappings.map((m, j) => (j === i ? { ...m, ...change } : m)) });
  // Each row's own diagnostics (an invalid path, a field a mapping cannot write), shown in the row.
  const diagnostics = usePreview().diagnostics;
  const rowProblems = (i: number, field: 'attribute' | 'field') =>
    diagnostics.filter(
      (d) =>
        d.location?.part === 'mapping' && d.location.index === i && d.location.field === field && d.severity !== 'info',
    );
  return (
    <>
      <p className="help" style={{ marginTop: 0 }}>
        Response Attribute → Marketo Field. Paths use dots and integer <code>[n]</code> indexes
        {webhook.responseType === 'xml' ? ', starting at the root element' : ''}; the field is its SOAP API name.
        Marketo applies them only on a 2xx answer.
        {webhook.responseType === 'none' && <b> Response type is None: Marketo maps nothing.</b>}
      </p>
      <table className="grid">
        <thead>
          <tr>
            <th>Response attribute</th>
            <th>Lead field</th>
            <th style={{ width: 80 }}>Type</th>
            <RemoveColumnHead />
          </tr>
        </thead>
        <tbody>
          {webhook.mappings.map((m, i) => (
            <tr key={i}>
              <td>
                <input
                  type="text"
                  className="mono"
                  aria-label={`Mapping ${i + 1} response attribute`}
                  aria-invalid={rowProblems(i, 'attribute').some((d) => d.severity === 'error') || undefined}
                  value={m.attribute}
                  onChange={(e) => set(i, { attribute: e.target.value })}
                />
                {rowProblems(i, 'attribute').map((d, k) => (
                  <div key={k} className={`why ${d.severity}`} data-testid={`mapping-${i}-problem`}>
                    {d.message.replace(/^mapping \d+: /, '')}
                  </div>
                ))}
              </td>
              <td>
                <FieldPicker
                  fields={fields}
                  value={m.field}
                  onChange={(field) => set(i, { field })}
                  label={`Mapping ${i + 1} lead field`}
                />
              </td>
              <td>
                <span className="badge type">{findField(fields, m.field)?.type ?? '?'}</span>
              </td>
              <td>
                <RemoveButton
                  label={`Remove mapping ${i + 1}`}
                  onRemove={() => onChange({ mappings: webhook.mappings.filter((_, j) => j !== i) })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="btn small"
        style={{ marginTop: 8 }}
        onClick={() => onChange({ mappings: [...webhook.mappings, { attribute: '', field: '' }] })}
      >
        + Add mapping
      </button>
      <p className="help">Tip: after a send, click a node in the response tree and choose “Map to lead field…”.</p>
    </>
  );
}
