import { useRef, useState } from 'react';
import type { ImportReport } from '@shared/contract';
import { detectImportFormat } from '@shared/formats/detect';
import { useStudio } from '../store/context';
import { DialogActions, Modal } from './Modal';
import { FieldRow } from './Fields';
import { readPastedRequest } from './paste-import';

/** The name pasted text goes by in the import's messages. */
const pastedName = 'pasted text';
const pastePlaceholder = `curl -X POST 'https://api.example.com/leads' \\
  -H 'Content-Type: application/json' \\
  -d '{"email": "ada@example.com"}'`;

/** Why pasted text cannot be imported, and where (line and column from 1) when the reader says. */
type PasteProblem = { message: string; line?: number; column?: number };

/** A problem found before the import runs: empty, of no kind the import reads, or a request its reader refuses. */
function checkPasted(text: string): PasteProblem | undefined {
  if (text.trim() === '')
    return { message: 'Paste a curl command, a raw HTTP request, a bundle or a Postman collection first.' };
  if (!detectImportFormat(pastedName, text))
    return {
      message:
        'Cannot tell what the pasted text is: paste a curl command, a raw HTTP request (POST /path HTTP/1.1), a bundle, a Postman v2.1 collection or a Describe Lead answer.',
    };
  const pasted = readPastedRequest(text);
  if (pasted.kind === undefined || pasted.read.ok) return undefined;
  const { message, line, column } = pasted.read;
  return { message: `The pasted ${pasted.kind}: ${message}`, ...(line ? { line } : {}), ...(column ? { column } : {}) };
}

/** Puts the caret where the problem is, so the text can be fixed in place. */
function selectProblem(box: HTMLTextAreaElement | null, problem: PasteProblem): void {
  if (!box || !problem.line) return;
  const lines = box.value.split('\n');
  const offset =
    lines.slice(0, problem.line - 1).reduce((n, l) => n + l.length + 1, 0) +
    Math.min((problem.column ?? 1) - 1, lines[problem.line - 1]?.length ?? 0);
  box.focus();
  box.setSelectionRange(offset, offset);
}

/** Imports a file or pasted text into the collection (its format detected from the content) and reports what came in. */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const importFile = useStudio((s) => s.importFile);
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<PasteProblem | null>(null);
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const run = async (fileName: string, content: string) => {
    setBusy(true);
    setReport((await importFile({ fileName, content, overwrite })) ?? null);
    setBusy(false);
  };
  const importPasted = () => {
    const found = checkPasted(pasted);
    setProblem(found ?? null);
    if (found) selectProblem(box.current, found);
    // The text stays in the box whatever happens, so a refused paste can be fixed and imported again.
    else void run(pastedName, pasted);
  };
  return (
    <Modal title="Import into this collection" onClose={onClose}>
      <p className="help">
        A bundle, a Postman v2.1 collection, a curl command, a raw HTTP request, a Marketo Describe Lead answer (as the
        field catalog) or a leads CSV. The format is detected from the content.
      </p>
      <FieldRow id="import-file" label="File">
        <input id="import-file" type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </FieldRow>
      <FieldRow id="import-paste" label="Or paste">
        <div className="import-paste">
          <textarea
            id="import-paste"
            ref={box}
            rows={5}
            spellCheck={false}
            placeholder={pastePlaceholder}
            value={pasted}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'import-paste-problem' : undefined}
            onChange={(e) => {
              setPasted(e.target.value);
              setProblem(null);
            }}
          />
          {problem && (
            <p id="import-paste-problem" role="alert" className="import-paste-problem">
              {problem.message}
            </p>
          )}
          <button type="button" className="btn" disabled={busy} onClick={importPasted}>
            Import pasted text
          </button>
        </div>
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
          if (file) void file.text().then((content) => run(file.name, content));
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
