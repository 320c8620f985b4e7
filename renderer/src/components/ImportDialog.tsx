import { useState } from 'react';
import type { ImportReport } from '@shared/contract';
import { useStudio } from '../store/context';
import { DialogActions, Modal } from './Modal';
import { FieldRow } from './Fields';

/** Imports a file into the collection (its format detected from the content) and reports what came in. */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const importFile = useStudio((s) => s.importFile);
  const [file, setFile] = useState<File | null>(null);
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const run = async (chosen: File) => {
    setBusy(true);
    const content = await chosen.text();
    setReport((await importFile({ fileName: chosen.name, content, overwrite })) ?? null);
    setBusy(false);
  };
  return (
    <Modal title="Import into this collection" onClose={onClose}>
      <p className="help">
        A bundle, a Postman v2.1 collection, a curl command, a Marketo Describe Lead answer (as the field catalog) or a
        leads CSV. The format is detected from the content.
      </p>
      <FieldRow id="import-file" label="File">
        <input id="import-file" type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </FieldRow>
      <FieldRow id="import-overwrite" label="Replace files with the same name">
        <input
          id="import-overwrite"
          type="checkbox"
          checked={overwrite}
          onChange={(e) => setOverwrite(e.target.checked)}
        />
      </FieldRow>
      {report && <ImportReportView report={report} />}
      <DialogActions
        onCancel={onClose}
        cancelLabel={report ? 'Close' : 'Cancel'}
        submitLabel={busy ? 'Importing…' : 'Import'}
        disabled={!file || busy}
        onSubmit={() => {
          if (file) void run(file);
        }}
      />
    </Modal>
  );
}

/** What an import created, and what it could not carry over and why. */
function ImportReportView({ report }: { report: ImportReport }) {
  return (
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
  );
}
