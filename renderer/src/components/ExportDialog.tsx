import { useState } from 'react';
import { exportFormats } from '@shared/contract';
import { useStudio } from '../store/context';
import { DialogActions, Modal } from './Modal';
import { SelectRow } from './Fields';

type ExportFormat = (typeof exportFormats)[number];

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

const formatLabels: Record<ExportFormat, string> = {
  bundle: 'Webhook Studio bundle',
  postman: 'Postman collection v2.1',
  curl: 'curl commands',
  marketo: 'Marketo setup sheet',
};

/** Exports the chosen saved webhooks in one format, as a download. */
export function ExportDialog({ onClose }: { onClose: () => void }) {
  const order = useStudio((s) => s.webhookOrder);
  const webhooks = useStudio((s) => s.webhooks);
  const current = useStudio((s) => s.currentWebhook);
  const exportRun = useStudio((s) => s.exportRun);
  const saved = order.filter((k) => webhooks[k]?.path);
  const [format, setFormat] = useState<ExportFormat>('bundle');
  const [chosen, setChosen] = useState<Set<string>>(
    new Set(current && webhooks[current]?.path ? [current] : saved.slice(0, 1)),
  );
  const [notes, setNotes] = useState<string[] | null>(null);
  const run = async () => {
    const out = await exportRun(format, [...chosen]);
    if (!out) return;
    downloadText(out.fileName, out.content);
    setNotes([`Downloaded ${out.fileName}.`, ...out.diagnostics.map((d) => `${d.severity}: ${d.message}`)]);
  };
  return (
    <Modal title="Export webhooks" onClose={onClose}>
      <SelectRow
        id="export-format"
        label="Format"
        value={format}
        options={exportFormats}
        optionLabel={formatLabels}
        onChange={setFormat}
      />
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
      <DialogActions
        onCancel={onClose}
        cancelLabel="Close"
        submitLabel="Export and download"
        disabled={chosen.size === 0}
        onSubmit={() => void run()}
      />
    </Modal>
  );
}
