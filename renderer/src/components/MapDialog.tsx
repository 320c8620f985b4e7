import { useMemo, useState } from 'react';
import { useStudio } from '../store/context';
import { DialogActions, Modal } from './Modal';
import { TextRow } from './Fields';
import { FieldPicker } from './FieldPicker';

/** Adds a response mapping for a node of the response: its path, to a lead field the user picks. */
export function MapDialog({
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
      <TextRow id="map-attr" label="Response attribute" className="mono" value={attribute} onValue={setAttribute} />
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
      <DialogActions
        onCancel={onClose}
        submitLabel="Add mapping"
        disabled={!key || !webhook || !field}
        onSubmit={() => {
          if (!key || !webhook) return;
          update(key, { mappings: [...webhook.mappings, { attribute, field }] });
          onClose();
        }}
      />
    </Modal>
  );
}
