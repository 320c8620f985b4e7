import { useSecretStatus } from '../../lib/secret-status';
import { useId, useMemo, useState } from 'react';
import { AddNameForm, RemoveButton, RemoveColumnHead, withoutName } from '../../components/TableControls';
import {
  myTokenTypes,
  type FieldCatalog,
  type FieldType,
  type MyToken,
  type MyTokenType,
  type Scalar,
  type TokenContext,
} from '@shared/model';
import { findField } from '@shared/catalog';
import { useStudio, useStudioStore } from '../../store/context';
import { ConflictBanner } from '../../components/ConflictBanner';
import { MOD } from '../../lib/keys';

const numericTypes: FieldType[] = ['integer', 'float', 'currency', 'score'];

/** Turns what was typed into the value a lead field of this type holds: numbers stay numbers, Booleans Booleans. */
export function coerceForType(raw: string, type: FieldType | MyTokenType | undefined): Scalar {
  if (raw === '') return '';
  if ((type && (numericTypes as string[]).includes(type)) || type === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

function show(v: Scalar | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

type Table = Record<string, Scalar>;

/** A token table (lead, company, program, …); with a catalog, names are suggested and values typed. */
function TokenTable({
  title,
  table,
  onChange,
  catalog,
  namePlaceholder,
  hint,
}: {
  title: string;
  table: Table;
  onChange: (t: Table) => void;
  catalog?: FieldCatalog;
  namePlaceholder: string;
  hint?: string;
}) {
  const listId = useId();
  const [newName, setNewName] = useState('');
  const entries = Object.entries(table);
  const addRow = () => {
    const name = newName.trim();
    onChange({ ...table, [name]: '' });
    setNewName('');
  };
  return (
    <div className="section">
      <h3>{title}</h3>
      {hint && (
        <p className="help" style={{ marginTop: 0 }}>
          {hint}
        </p>
      )}
      {catalog && (
        <datalist id={listId}>
          {catalog.map((f) => (
            <option key={`${f.displayName}|${f.soapName ?? ''}`} value={f.displayName}>
              {f.type}
            </option>
          ))}
        </datalist>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th style={{ width: '38%' }}>Token name</th>
            {catalog && <th style={{ width: 80 }}>Type</th>}
            <th>Value</th>
            <RemoveColumnHead />
          </tr>
        </thead>
        <tbody>
          {entries.map(([name, value]) => {
            const field = catalog ? findField(catalog, name) : undefined;
            const label = `${title} ${name}`;
            return (
              <tr key={name}>
                <td>
                  <span className="token-name">{name}</span>
                </td>
                {catalog && (
                  <td>
                    {field ? (
                      <span className="badge type">{field.type}</span>
                    ) : (
                      <span className="badge bad" title="Not in the field catalog: the token renders empty in Marketo">
                        unknown
                      </span>
                    )}
                  </td>
                )}
                <td>
                  {field?.type === 'boolean' ? (
                    <select
                      aria-label={`${label}: value`}
                      value={show(value)}
                      onChange={(e) => onChange({ ...table, [name]: coerceForType(e.target.value, 'boolean') })}
                    >
                      <option value="">(empty)</option>
                      <option value="true">true</option>
                      <option value="false">false</option>
                    </select>
                  ) : typeof value === 'string' && value.includes('\n') ? (
                    // A line break is data (Marketo turns it into a space in tokens); a text input would drop it.
                    <textarea
                      aria-label={`${label}: value`}
                      rows={Math.min(4, value.split('\n').length)}
                      value={value}
                      onChange={(e) => onChange({ ...table, [name]: e.target.value })}
                      style={{ width: '100%' }}
                    />
                  ) : (
                    <input
                      type="text"
                      aria-label={`${label}: value`}
                      value={show(value)}
                      onChange={(e) => onChange({ ...table, [name]: coerceForType(e.target.value, field?.type) })}
                    />
                  )}
                </td>
                <td>
                  <RemoveButton label={`Remove ${label}`} onRemove={() => onChange(withoutName(table, name))} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <AddNameForm
        label={`New ${title} token name`}
        placeholder={namePlaceholder}
        {...(catalog ? { list: listId } : {})}
        value={newName}
        onValue={setNewName}
        canAdd={newName.trim() !== '' && !(newName.trim() in table)}
        onAdd={addRow}
      />
    </div>
  );
}

function myTokenParts(t: MyToken): { type: MyTokenType; value: Scalar; secret: boolean } {
  if (t !== null && typeof t === 'object') return { type: t.type, value: t.value ?? '', secret: !!t.secret };
  return { type: typeof t === 'number' ? 'number' : 'text', value: t, secret: false };
}

function MySecretStatus({ name }: { name: string }) {
  const status = useSecretStatus(name);
  return (
    <span className={status.set ? 'badge good' : 'badge'} aria-label={`Secret ${name}: ${status.text}`}>
      {status.text}
    </span>
  );
}

function MyTokens({ my, onChange }: { my: TokenContext['my']; onChange: (m: TokenContext['my']) => void }) {
  const [newName, setNewName] = useState('');
  const secrets = useStudio((s) => s.secrets);
  const setSecret = useStudio((s) => s.setSecret);
  const [secretValue, setSecretValue] = useState<Record<string, string>>({});
  return (
    <div className="section">
      <h3>My Tokens</h3>
      <p className="help" style={{ marginTop: 0 }}>
        Program tokens (<code>{'{{my.Name}}'}</code>) with their Marketo type. A secret My Token is stored in the
        secrets store, never in the collection.
      </p>
      <table className="grid">
        <thead>
          <tr>
            <th style={{ width: '30%' }}>Name</th>
            <th style={{ width: 110 }}>Type</th>
            <th>Value</th>
            <th style={{ width: 60 }}>Secret</th>
            <RemoveColumnHead />
          </tr>
        </thead>
        <tbody>
          {Object.entries(my).map(([name, tok]) => {
            const p = myTokenParts(tok);
            const set = (change: Partial<{ type: MyTokenType; value: Scalar; secret: boolean }>) => {
              const next = { ...p, ...change };
              onChange({
                ...my,
                [name]: { type: next.type, ...(next.secret ? { secret: true } : { value: next.value }) },
              });
            };
            const secretName = `my.${name}`;
            return (
              <tr key={name}>
                <td>
                  <code>{name}</code>
                </td>
                <td>
                  <select
                    aria-label={`My Token ${name}: type`}
                    value={p.type}
                    onChange={(e) =>
                      set({
                        type: e.target.value as MyTokenType,
                        value: coerceForType(show(p.value), e.target.value as MyTokenType),
                      })
                    }
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
                    <div style={{ display: 'flex', gap: 6 }}>
                      <input
                        type="password"
                        aria-label={`My Token ${name}: secret value`}
                        placeholder={
                          secrets.includes(secretName) ? 'set — type to replace' : 'type the value, then Store'
                        }
                        value={secretValue[name] ?? ''}
                        onChange={(e) => setSecretValue({ ...secretValue, [name]: e.target.value })}
                        style={{ flex: 1 }}
                      />
                      <button
                        type="button"
                        className="btn small"
                        disabled={!secretValue[name]}
                        onClick={async () =>
                          (await setSecret(secretName, secretValue[name] ?? '')) &&
                          setSecretValue({ ...secretValue, [name]: '' })
                        }
                      >
                        Store
                      </button>
                      <MySecretStatus name={secretName} />
                    </div>
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
                  <input
                    type="checkbox"
                    aria-label={`My Token ${name} is a secret`}
                    checked={p.secret}
                    onChange={async (e) => {
                      if (!e.target.checked) return set({ secret: false });
                      // The value typed so far moves into the store; the context keeps no value.
                      const typed = show(p.value);
                      if (typed !== '' && !(await setSecret(secretName, typed))) return;
                      set({ secret: true });
                    }}
                  />
                </td>
                <td>
                  <RemoveButton label={`Remove My Token ${name}`} onRemove={() => onChange(withoutName(my, name))} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
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

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf
    ? intl.supportedValuesOf('timeZone')
    : ['UTC', 'America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo'];
}

export function ContextEditor({ docKey }: { docKey: string }) {
  const store = useStudioStore();
  const doc = useStudio((s) => s.contexts[docKey]);
  const fields = useStudio((s) => s.fields);
  const active = useStudio((s) => s.activeContext === docKey);
  const zones = useMemo(timeZones, []);
  if (!doc) return null;
  const c = doc.value;
  const update = (change: Partial<TokenContext>) => store.getState().updateContext(docKey, { ...c, ...change });
  const campaignType = show(c.campaign['Type'] ?? c.campaign['type']) || 'trigger';
  const campaignRest = Object.fromEntries(Object.entries(c.campaign).filter(([k]) => k.toLowerCase() !== 'type'));
  return (
    <section className="pane" aria-label="Context editor">
      <div className="pane-head">
        <input
          className="name-input"
          type="text"
          aria-label="Context name"
          value={c.name}
          onChange={(e) => update({ name: e.target.value })}
        />
        {doc.dirty && <span className="badge accent">Unsaved</span>}
        {active ? (
          <span className="badge good">Active</span>
        ) : (
          <button type="button" className="btn small" onClick={() => store.getState().setActiveContext(docKey)}>
            Make active
          </button>
        )}
        <button
          type="button"
          className="btn"
          onClick={() => void store.getState().save(docKey)}
          disabled={!doc.dirty && !!doc.path}
        >
          Save <kbd>{MOD} S</kbd>
        </button>
      </div>
      <ConflictBanner docKey={docKey} kind="context" />
      <div className="pane-body" style={{ padding: '4px 14px 14px' }}>
        <p className="help" style={{ marginTop: 0 }}>
          The flow step’s world when Marketo calls the webhook: the lead, their company, the program’s My Tokens, the
          campaign and its trigger, and the clock.
        </p>
        <TokenTable
          title="Lead"
          table={c.lead}
          onChange={(lead) => update({ lead })}
          catalog={fields}
          namePlaceholder="Lead field, e.g. First Name"
          hint="Keys are display names (as tokens use them). Types come from the field catalog."
        />
        <TokenTable
          title="Company"
          table={c.company}
          onChange={(company) => update({ company })}
          catalog={fields}
          namePlaceholder="Company field, e.g. Company Name"
        />
        <MyTokens my={c.my} onChange={(my) => update({ my })} />
        <div className="section">
          <h3>Campaign</h3>
          <div className="field-row">
            <label className="field-label" htmlFor="ctx-campaign-type">
              Campaign type
            </label>
            <select
              id="ctx-campaign-type"
              value={campaignType}
              onChange={(e) => update({ campaign: { ...campaignRest, Type: e.target.value } })}
            >
              <option value="trigger">Trigger campaign</option>
              <option value="batch">Batch campaign (Marketo does not call webhooks: code 1000)</option>
            </select>
          </div>
        </div>
        <TokenTable
          title="Campaign tokens"
          table={campaignRest}
          onChange={(t) => update({ campaign: { ...t, Type: campaignType } })}
          namePlaceholder="name, id or description"
        />
        <TokenTable
          title="Program"
          table={c.program}
          onChange={(program) => update({ program })}
          namePlaceholder="Name, Description or id"
        />
        <TokenTable
          title="Trigger"
          table={c.trigger}
          onChange={(trigger) => update({ trigger })}
          namePlaceholder="Trigger Name, Name, Web Page…"
          hint="What the trigger that started the flow exposes, e.g. Trigger Name = Fills Out Form."
        />
        <TokenTable
          title="Program member"
          table={c.member}
          onChange={(member) => update({ member })}
          namePlaceholder="webinar url, registration code"
        />
        <div className="section">
          <h3>System clock</h3>
          <div className="field-row">
            <label className="field-label" htmlFor="ctx-now">
              Now (ISO 8601 instant)
            </label>
            <input
              id="ctx-now"
              type="text"
              className="mono"
              placeholder="empty: the real clock, e.g. 2026-05-23T14:05:00Z"
              value={c.system.now ?? ''}
              onChange={(e) => update({ system: { ...c.system, now: e.target.value || undefined } })}
            />
          </div>
          <div className="field-row">
            <label className="field-label" htmlFor="ctx-tz">
              Account time zone
            </label>
            <input
              id="ctx-tz"
              type="text"
              list="ctx-tz-list"
              placeholder="e.g. America/Los_Angeles"
              value={c.system.timeZone ?? ''}
              onChange={(e) => update({ system: { ...c.system, timeZone: e.target.value || undefined } })}
            />
            <datalist id="ctx-tz-list">
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </div>
        </div>
      </div>
    </section>
  );
}
