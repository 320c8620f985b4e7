import type { WebhookHeader } from '@shared/model';
import { RemoveButton, ListTable, type Column, type RowEdits } from '../../components/TableControls';
import { SecretCheckbox, SecretValueInput } from '../../components/SecretFields';
import { TokenEditor } from '../../editor/TokenEditor';
import type { tokenCompletionSource } from '../../editor/token-completions';
import { byLabel, focusSoon, useFocusOnJump } from '../../components/focus-request';

type Completions = ReturnType<typeof tokenCompletionSource>;
type HeaderJump = { location: { index?: number; field?: string }; nonce: number } | null;

const headerColumns: Column[] = [{ label: 'Name', width: '30%' }, { label: 'Value' }, { label: 'Secret', width: 64 }];

/** The custom headers, one row each: name, value (tokens allowed, or a secret), whether it is secret. */
export function HeadersTab({
  headers,
  onChange,
  completions,
  jump,
}: {
  headers: WebhookHeader[];
  onChange: (h: WebhookHeader[]) => void;
  completions: Completions;
  jump: HeaderJump;
}) {
  const jumpIndex = jump?.location.index;
  const jumpLabel = jump?.location.field === 'value' ? headerValueLabel : headerNameLabel;
  useFocusOnJump(jump, jumpIndex === undefined ? null : byLabel(jumpLabel(jumpIndex)));
  /** Adds a row and puts the cursor in its name. */
  const add = (header: WebhookHeader, focus: (index: number) => string) => {
    onChange([...headers, header]);
    focusSoon(byLabel(focus(headers.length)));
  };
  return (
    <>
      <p className="help" style={{ marginTop: 0 }}>
        Custom headers, as under <i>Webhooks Actions → Set Custom Header</i>. Values may hold tokens. A secret value is
        kept in the secrets store, never in the collection.
      </p>
      <ListTable
        columns={headerColumns}
        rows={headers}
        onRows={onChange}
        row={(h, i, edits) => <HeaderRow header={h} index={i} completions={completions} {...edits} />}
      />
      <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
        <button type="button" className="btn small" onClick={() => add({ name: '', value: '' }, headerNameLabel)}>
          + Add header
        </button>
        {!headers.some((h) => h.name.toLowerCase() === 'content-type') && (
          <button
            type="button"
            className="btn small"
            onClick={() => add({ name: 'Content-Type', value: 'application/json' }, headerValueLabel)}
          >
            + Content-Type: application/json
          </button>
        )}
      </div>
    </>
  );
}

/** The names of a header row's fields (0-based index), which focus requests look for. */
export const headerNameLabel = (index: number) => `Header ${index + 1} name`;
export const headerValueLabel = (index: number) => `Header ${index + 1} value`;

function HeaderRow({
  header: h,
  index: i,
  completions,
  onChange,
  onRemove,
}: {
  header: WebhookHeader;
  index: number;
  completions: Completions;
} & RowEdits<WebhookHeader>) {
  return (
    <tr>
      <td>
        <input
          type="text"
          aria-label={headerNameLabel(i)}
          value={h.name}
          onChange={(e) => onChange({ name: e.target.value })}
        />
      </td>
      <td>
        <HeaderValue header={h} index={i} completions={completions} onChange={onChange} />
      </td>
      <td style={{ textAlign: 'center' }}>
        <SecretCheckbox
          name={h.name}
          label={`Header ${h.name || i + 1} is a secret`}
          checked={!!h.secret}
          typed={h.value}
          onChange={(secret) => onChange(secret ? { secret: true, value: '' } : { secret: undefined })}
        />
      </td>
      <td>
        <RemoveButton label={`Remove header ${h.name || i + 1}`} onRemove={onRemove} />
      </td>
    </tr>
  );
}

/** A header's value: a secret, a value with line breaks (shown, not editable), or a one-line token editor. */
function HeaderValue({
  header: h,
  index: i,
  completions,
  onChange,
}: {
  header: WebhookHeader;
  index: number;
  completions: Completions;
  onChange: (change: Partial<WebhookHeader>) => void;
}) {
  // Wraps, so the status ("•••••• set, from …") goes under the value instead of squeezing the name column.
  if (h.secret) return <SecretValueInput name={h.name} label={`Secret value of header ${h.name || i + 1}`} wrap />;
  if (/[\r\n]/.test(h.value))
    // A one-line editor cannot show a line break, and typing in it would drop the break
    // unseen: the value is shown with its breaks spelled out, and only the user removes them.
    return (
      <div style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
        <code className="mono" aria-label={`Header ${i + 1} value`} style={{ flex: 1, overflowWrap: 'anywhere' }}>
          {h.value.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}
        </code>
        <button
          type="button"
          className="btn small"
          aria-label={`Remove the line breaks from header ${h.name || i + 1}`}
          onClick={() => onChange({ value: h.value.replace(/[\r\n]/g, '') })}
        >
          Remove the line breaks
        </button>
      </div>
    );
  return (
    <div className="cell-editor">
      <TokenEditor
        label={headerValueLabel(i)}
        singleLine
        value={h.value}
        onChange={(value) => onChange({ value })}
        completions={completions}
      />
    </div>
  );
}
