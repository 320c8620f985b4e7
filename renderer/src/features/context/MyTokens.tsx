import { useState } from 'react';
import { myTokenTypes, type MyToken, type MyTokenType, type Scalar, type TokenContext } from '@shared/model';
import { AddNameForm, RemoveButton, RowTable, useRemoveName, type Column } from '../../components/TableControls';
import { SecretCheckbox, SecretValueInput } from '../../components/SecretFields';
import { coerceForType, show } from './token-values';

type MyTokenParts = { type: MyTokenType; value: Scalar; secret: boolean };

function myTokenParts(t: MyToken): MyTokenParts {
  if (t !== null && typeof t === 'object') return { type: t.type, value: t.value ?? '', secret: !!t.secret };
  return { type: typeof t === 'number' ? 'number' : 'text', value: t, secret: false };
}

const myTokenColumns: Column[] = [
  { label: 'Name', width: '30%' },
  { label: 'Type', width: 110 },
  { label: 'Value' },
  { label: 'Secret', width: 60 },
];

/** The program's My Tokens: name, Marketo type, value (or a secret kept in the secrets store). */
export function MyTokens({ my, onChange }: { my: TokenContext['my']; onChange: (m: TokenContext['my']) => void }) {
  const [newName, setNewName] = useState('');
  const removeName = useRemoveName();
  return (
    <div className="section">
      <h3>My Tokens</h3>
      <p className="help" style={{ marginTop: 0 }}>
        Program tokens (<code>{'{{my.Name}}'}</code>) with their Marketo type. A secret My Token is stored in the
        secrets store, never in the collection.
      </p>
      <RowTable columns={myTokenColumns}>
        {Object.entries(my).map(([name, tok]) => (
          <MyTokenRow
            key={name}
            name={name}
            parts={myTokenParts(tok)}
            onChange={(next) =>
              onChange({
                ...my,
                [name]: { type: next.type, ...(next.secret ? { secret: true } : { value: next.value }) },
              })
            }
            onRemove={() => removeName(my, name, onChange)}
          />
        ))}
      </RowTable>
      <AddNameForm
        label="New My Token name"
        placeholder="Token name, e.g. API Region"
        value={newName}
        onValue={setNewName}
        canAdd={newName.trim() !== '' && !(newName.trim() in my)}
        onAdd={() => {
          onChange({ ...my, [newName.trim()]: { type: 'text', value: '' } });
          setNewName('');
        }}
      />
    </div>
  );
}

function MyTokenRow({
  name,
  parts: p,
  onChange,
  onRemove,
}: {
  name: string;
  parts: MyTokenParts;
  onChange: (next: MyTokenParts) => void;
  onRemove: () => void;
}) {
  const set = (change: Partial<MyTokenParts>) => onChange({ ...p, ...change });
  const secretName = `my.${name}`;
  return (
    <tr>
      <td>
        <code>{name}</code>
      </td>
      <td>
        <select
          aria-label={`My Token ${name}: type`}
          value={p.type}
          onChange={(e) => {
            const type = myTokenTypes.find((t) => t === e.target.value) ?? p.type;
            set({ type, value: coerceForType(show(p.value), type) });
          }}
        >
          {myTokenTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </td>
      <td>
        {p.secret ? (
          <SecretValueInput name={secretName} label={`My Token ${name}: secret value`} />
        ) : (
          <input
            type="text"
            aria-label={`My Token ${name}: value`}
            value={show(p.value)}
            onChange={(e) => set({ value: coerceForType(e.target.value, p.type) })}
          />
        )}
      </td>
      <td style={{ textAlign: 'center' }}>
        <SecretCheckbox
          name={secretName}
          label={`My Token ${name} is a secret`}
          checked={p.secret}
          typed={show(p.value)}
          onChange={(secret) => set({ secret })}
        />
      </td>
      <td>
        <RemoveButton label={`Remove My Token ${name}`} onRemove={onRemove} />
      </td>
    </tr>
  );
}
