import type { Diagnostic, FieldCatalog, Webhook } from '@shared/model';
import { findField } from '@shared/catalog';
import { RemoveButton, ListTable, type Column, type RowEdits } from '../../components/TableControls';
import { FieldPicker } from '../../components/FieldPicker';
import { usePreview } from '../../lib/use-preview';
import { byLabel, focusSoon, useFocusOnJump } from '../../components/focus-request';
import type { JumpRequest } from '../../store/ui-store';

type Mapping = Webhook['mappings'][number];

/** The names of a mapping row's fields (0-based index), which focus requests look for. */
export const attributeLabel = (index: number) => `Mapping ${index + 1} response attribute`;
export const leadFieldLabel = (index: number) => `Mapping ${index + 1} lead field`;

/** The field a jump into the mappings goes to: the row's lead field or its response attribute. */
function jumpTarget(jump: JumpRequest | null): string | null {
  const loc = jump?.location;
  if (loc?.part !== 'mapping' || loc.index === undefined) return null;
  return byLabel(loc.field === 'field' ? leadFieldLabel(loc.index) : attributeLabel(loc.index));
}

const mappingColumns: Column[] = [
  { label: 'Response attribute' },
  { label: 'Lead field' },
  { label: 'Type', width: 80 },
];

/** The response mappings: response attribute → lead field, each row with its own problems. */
export function MappingsTab({
  webhook,
  onChange,
  fields,
  jump,
}: {
  webhook: Webhook;
  onChange: (c: Partial<Webhook>) => void;
  fields: FieldCatalog;
  jump: JumpRequest | null;
}) {
  const diagnostics = usePreview().diagnostics;
  const mappings = webhook.mappings;
  useFocusOnJump(jump, jumpTarget(jump));
  return (
    <>
      <p className="help" style={{ marginTop: 0 }}>
        Response Attribute → Marketo Field. Paths use dots and integer <code>[n]</code> indexes
        {webhook.responseType === 'xml' ? ', starting at the root element' : ''}; the field is its SOAP API name.
        Marketo applies them only on a 2xx answer.
        {webhook.responseType === 'none' && <b> Response type is None: Marketo maps nothing.</b>}
      </p>
      <ListTable
        columns={mappingColumns}
        rows={mappings}
        onRows={(next) => onChange({ mappings: next })}
        row={(m, i, edits) => (
          <MappingRow mapping={m} index={i} fields={fields} problems={rowProblems(diagnostics, i)} {...edits} />
        )}
      />
      <button
        type="button"
        className="btn small"
        style={{ marginTop: 8 }}
        onClick={() => {
          onChange({ mappings: [...mappings, { attribute: '', field: '' }] });
          focusSoon(byLabel(attributeLabel(mappings.length)));
        }}
      >
        + Add mapping
      </button>
      <p className="help">Tip: after a send, click a node in the response tree and choose “Map to lead field…”.</p>
    </>
  );
}

/** A mapping row's own problems (an invalid path), shown in the row; infos are left to the preview. */
function rowProblems(diagnostics: Diagnostic[], index: number): Diagnostic[] {
  return diagnostics.filter(
    (d) =>
      d.location?.part === 'mapping' &&
      d.location.index === index &&
      d.location.field === 'attribute' &&
      d.severity !== 'info',
  );
}

function MappingRow({
  mapping: m,
  index: i,
  fields,
  problems,
  onChange,
  onRemove,
}: {
  mapping: Mapping;
  index: number;
  fields: FieldCatalog;
  problems: Diagnostic[];
} & RowEdits<Mapping>) {
  return (
    <tr>
      <td>
        <input
          type="text"
          className="mono"
          aria-label={attributeLabel(i)}
          aria-invalid={problems.some((d) => d.severity === 'error') || undefined}
          value={m.attribute}
          onChange={(e) => onChange({ attribute: e.target.value })}
        />
        {problems.map((d, k) => (
          <div key={k} className={`why ${d.severity}`} data-testid={`mapping-${i}-problem`}>
            {d.message.replace(/^mapping \d+: /, '')}
          </div>
        ))}
      </td>
      <td>
        <FieldPicker
          fields={fields}
          value={m.field}
          onChange={(field) => onChange({ field })}
          label={leadFieldLabel(i)}
        />
      </td>
      <td>
        <span className="badge type">{findField(fields, m.field)?.type ?? '?'}</span>
      </td>
      <td>
        <RemoveButton label={`Remove mapping ${i + 1}`} onRemove={onRemove} />
      </td>
    </tr>
  );
}
