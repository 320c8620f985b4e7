import { useMemo, useState } from 'react';
import type { ImportReport } from '@shared/contract';
import { exportFormats } from '@shared/contract';
import { useStudio } from '../store/context';
import { useUi, type DialogState } from '../store/ui-store';
import { Modal } from './Modal';
import { FieldPicker } from './FieldPicker';

export function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  const close = useUi((s) => s.closeDialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'prompt':
      return <PromptDialog d={dialog} onClose={close} />;
    case 'confirm':
      return (
        <Modal title={dialog.title} onClose={close}>
          <p>{dialog.text}</p>
          <div className="actions">
            <button type="button" className="btn" onClick={close}>
              Cancel
            </button>
            <button
              type="button"
              className="btn primary"
              data-autofocus
              onClick={() => {
                close();
                dialog.onSubmit();
              }}
            >
              {dialog.submit}
            </button>
          </div>
        </Modal>
      );
    case 'open':
      return <OpenDialog onClose={close} />;
    case 'import':
      return <ImportDialog onClose={close} />;
    case 'export':
      return <ExportDialog onClose={close} />;
    case 'map':
      return <MapDialog path={dialog.path} warning={dialog.warning} note={dialog.note} onClose={close} />;
  }
}

function PromptDialog({ d, onClose }: { d: Extract<DialogState, { kind: 'prompt' }>; onClose: () => void }) {
  const [value, setValue] = useState(d.initial);
  return (
    <Modal title={d.title} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onClose();
          d.onSubmit(value);
        }}
      >
        <label className="field-label" htmlFor="prompt-input">
          {d.label}
        </label>
        <input
          id="prompt-input"
          type="text"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onFocus={(e) => e.target.select()}
        />
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary">
            {d.submit}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function OpenDialog({ onClose }: { onClose: () => void }) {
  const recent = useStudio((s) => s.recent);
  const shell = useStudio((s) => s.shell);
  const open = useStudio((s) => s.openCollection);
  const init = useStudio((s) => s.initCollection);
  const pick = useStudio((s) => s.pickCollection);
  const [dir, setDir] = useState('');
  return (
    <Modal title="Open a collection" onClose={onClose}>
      <p className="help">
        A collection is a folder of webhooks, contexts and settings. Type its path on this computer.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!dir.trim()) return;
          onClose();
          void open(dir.trim());
        }}
        style={{ display: 'flex', gap: 8 }}
      >
        <input
          type="text"
          aria-label="Collection folder"
          placeholder="/path/to/collection"
          value={dir}
          onChange={(e) => setDir(e.target.value)}
          style={{ flex: 1 }}
        />
        <button type="submit" className="btn primary">
          Open
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            if (!dir.trim()) return;
            onClose();
            void init(dir.trim());
          }}
        >
          Create here
        </button>
      </form>
      {shell === 'electron' && (
        <button
          type="button"
          className="btn"
          style={{ marginTop: 8 }}
          onClick={() => {
            onClose();
            void pick();
          }}
        >
          Choose folder…
        </button>
      )}
      {recent.length > 0 && (
        <>
          <h3 style={{ marginTop: 14, marginBottom: 4 }}>Recent</h3>
          <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {recent.map((r) => (
              <li key={r}>
                <button
                  type="button"
                  className="btn ghost"
                  style={{ width: '100%', justifyContent: 'flex-start' }}
                  onClick={() => {
                    onClose();
                    void open(r);
                  }}
                >
                  {r}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </Modal>
  );
}

function ImportDialog({ onClose }: { onClose: () => void }) {
  const importFile = useStudio((s) => s.importFile);
  const [file, setFile] = useState<File | null>(null);
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  return (
    <Modal title="Import into this collection" onClose={onClose}>
      <p className="help">
        A bundle, a Postman v2.1 collection, a curl command, a Marketo Describe Lead answer (as the field catalog) or a
        leads CSV. The format is detected from the content.
      </p>
      <div className="field-row">
        <label className="field-label" htmlFor="import-file">
          File
        </label>
        <input id="import-file" type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </div>
      <div className="field-row">
        <label className="field-label" htmlFor="import-overwrite">
          Replace files with the same name
        </label>
        <input
          id="import-overwrite"
          type="checkbox"
          checked={overwrite}
          onChange={(e) => setOverwrite(e.target.checked)}
        />
      </div>
      {report && (
        <div className="report" role="status">
          <p>
            <b>Imported as {report.format}.</b> {report.created.length} created, {report.overwritten.length} replaced.
          </p>
          {report.created.length > 0 && (
            <ul>
              {report.created.map((c) => (
                <li key={c}>
                  <code>{c}</code>
                </li>
              ))}
            </ul>
          )}
          {report.notCarried.length > 0 && (
            <>
              <p>Not carried over:</p>
              <ul>
                {report.notCarried.map((n, i) => (
                  <li key={i}>
                    <b>{n.item}</b>: {n.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <div className="actions">
        <button type="button" className="btn" onClick={onClose}>
          {report ? 'Close' : 'Cancel'}
        </button>
        <button
          type="button"
          className="btn primary"
          disabled={!file || busy}
          onClick={async () => {
            if (!file) return;
            setBusy(true);
            const content = await file.text();
            setReport((await importFile({ fileName: file.name, content, overwrite })) ?? null);
            setBusy(false);
          }}
        >
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
    </Modal>
  );
}

/** Offers a text as a file download: the export never leaves the page except as the user's own file. */
export function downloadText(fileName: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const formatLabels: Record<(typeof exportFormats)[number], string> = {
  bundle: 'Webhook Studio bundle',
  postman: 'Postman collection v2.1',
  curl: 'curl commands',
  marketo: 'Marketo setup sheet',
};

function ExportDialog({ onClose }: { onClose: () => void }) {
  const order = useStudio((s) => s.webhookOrder);
  const webhooks = useStudio((s) => s.webhooks);
  const current = useStudio((s) => s.currentWebhook);
  const exportRun = useStudio((s) => s.exportRun);
  const saved = order.filter((k) => webhooks[k]?.path);
  const [format, setFormat] = useState<(typeof exportFormats)[number]>('bundle');
  const [chosen, setChosen] = useState<Set<string>>(
    new Set(current && webhooks[current]?.path ? [current] : saved.slice(0, 1)),
  );
  const [notes, setNotes] = useState<string[] | null>(null);
  return (
    <Modal title="Export webhooks" onClose={onClose}>
      <div className="field-row">
        <label className="field-label" htmlFor="export-format">
          Format
        </label>
        <select
          id="export-format"
          value={format}
          onChange={(e) => setFormat(e.target.value as (typeof exportFormats)[number])}
        >
          {exportFormats.map((f) => (
            <option key={f} value={f}>
              {formatLabels[f]}
            </option>
          ))}
        </select>
      </div>
      <fieldset style={{ border: 0, padding: 0, margin: '12px 0 0' }}>
        <legend className="field-label">Webhooks</legend>
        <div style={{ maxHeight: 200, overflow: 'auto' }}>
          {saved.map((k) => (
            <label key={k} style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '2px 0' }}>
              <input
                type="checkbox"
                checked={chosen.has(k)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(k);
                  else next.delete(k);
                  setChosen(next);
                }}
              />
              {webhooks[k]?.value.name}
            </label>
          ))}
        </div>
      </fieldset>
      {notes && (
        <div className="report" role="status">
          {notes.map((n, i) => (
            <p key={i}>{n}</p>
          ))}
        </div>
      )}
      <div className="actions">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
        <button
          type="button"
          className="btn primary"
          disabled={chosen.size === 0}
          onClick={async () => {
            const out = await exportRun(format, [...chosen]);
            if (!out) return;
            downloadText(out.fileName, out.content);
            setNotes([`Downloaded ${out.fileName}.`, ...out.diagnostics.map((d) => `${d.severity}: ${d.message}`)]);
          }}
        >
          Export and download
        </button>
      </div>
    </Modal>
  );
}

function MapDialog({
  path,
  warning,
  note,
  onClose,
}: {
  path: string;
  warning?: string;
  note?: string;
  onClose: () => void;
}) {
  const key = useStudio((s) => s.currentWebhook);
  const webhook = useStudio((s) => (key ? s.webhooks[key]?.value : undefined));
  const update = useStudio((s) => s.updateWebhook);
  const fields = useStudio((s) => s.fields);
  const [attribute, setAttribute] = useState(path);
  const [field, setField] = useState('');
  const existing = useMemo(() => webhook?.mappings.findIndex((m) => m.attribute === path) ?? -1, [webhook, path]);
  return (
    <Modal title="Map to lead field" onClose={onClose}>
      <div className="field-row">
        <label className="field-label" htmlFor="map-attr">
          Response attribute
        </label>
        <input
          id="map-attr"
          type="text"
          className="mono"
          value={attribute}
          onChange={(e) => setAttribute(e.target.value)}
        />
      </div>
      <div className="field-row">
        <span className="field-label" id="map-field-label">
          Lead field (SOAP name)
        </span>
        <FieldPicker fields={fields} value={field} onChange={setField} labelledBy="map-field-label" autoFocus />
      </div>
      {warning && (
        <p className="banner warn" style={{ margin: '10px 0 0' }} role="note">
          <span className="title">Marketo cannot reach this value.</span> <span className="detail">{warning}</span>
        </p>
      )}
      {note && (
        <p className="help" role="note">
          <span className="badge assumed">assumed</span> {note}
        </p>
      )}
      {existing >= 0 && <p className="help">This attribute is already mapped; saving adds another row.</p>}
      <div className="actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="btn primary"
          disabled={!key || !webhook || !field}
          onClick={() => {
            if (!key || !webhook) return;
            update(key, { mappings: [...webhook.mappings, { attribute, field }] });
            onClose();
          }}
        >
          Add mapping
        </button>
      </div>
    </Modal>
  );
}
