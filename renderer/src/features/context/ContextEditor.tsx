import { useMemo } from 'react';
import type { TokenContext } from '@shared/model';
import { useStudio, useStudioStore } from '../../store/context';
import { DocHead } from '../../components/DocHead';
import { FieldRow, TextRow } from '../../components/Fields';
import { TokenTable } from './TokenTable';
import { MyTokens } from './MyTokens';
import { show } from './token-values';

type Update = (change: Partial<TokenContext>) => void;
type PlainTable = 'lead' | 'company' | 'program' | 'trigger' | 'member';
type TableShown = { part: PlainTable; title: string; namePlaceholder: string; hint?: string };

/** The lead and their company: names and types from the field catalog. */
const personTables: TableShown[] = [
  {
    part: 'lead',
    title: 'Lead',
    namePlaceholder: 'Lead field, e.g. First Name',
    hint: 'Keys are display names (as tokens use them). Types come from the field catalog.',
  },
  { part: 'company', title: 'Company', namePlaceholder: 'Company field, e.g. Company Name' },
];

/** The program, the trigger that started the flow, and the program member: free names. */
const flowTables: TableShown[] = [
  { part: 'program', title: 'Program', namePlaceholder: 'Name, Description or id' },
  {
    part: 'trigger',
    title: 'Trigger',
    namePlaceholder: 'Trigger Name, Name, Web Page…',
    hint: 'What the trigger that started the flow exposes, e.g. Trigger Name = Fills Out Form.',
  },
  { part: 'member', title: 'Program member', namePlaceholder: 'webinar url, registration code' },
];

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf
    ? intl.supportedValuesOf('timeZone')
    : ['UTC', 'America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo'];
}

/** A context: the world of the flow step when Marketo calls the webhook, table by table. */
export function ContextEditor({ docKey }: { docKey: string }) {
  const store = useStudioStore();
  const doc = useStudio((s) => s.contexts[docKey]);
  const fields = useStudio((s) => s.fields);
  const active = useStudio((s) => s.activeContext === docKey);
  if (!doc) return null;
  const c = doc.value;
  const update: Update = (change) => store.getState().updateContext(docKey, { ...c, ...change });
  const table = (t: TableShown, catalog?: typeof fields) => (
    <TokenTable key={t.part} {...t} table={c[t.part]} onChange={(v) => update({ [t.part]: v })} catalog={catalog} />
  );
  return (
    <section className="pane" aria-label="Context editor">
      <DocHead kind="context" docKey={docKey} doc={doc} onName={(name) => update({ name })}>
        {active ? (
          <span className="badge good">Active</span>
        ) : (
          <button type="button" className="btn small" onClick={() => store.getState().setActiveContext(docKey)}>
            Make active
          </button>
        )}
      </DocHead>
      <div className="pane-body" style={{ padding: '4px 14px 14px' }}>
        <p className="help" style={{ marginTop: 0 }}>
          The flow step’s world when Marketo calls the webhook: the lead, their company, the program’s My Tokens, the
          campaign and its trigger, and the clock.
        </p>
        {personTables.map((t) => table(t, fields))}
        <MyTokens my={c.my} onChange={(my) => update({ my })} />
        <CampaignSection campaign={c.campaign} update={update} />
        {flowTables.map((t) => table(t))}
        <ClockSection system={c.system} update={update} />
      </div>
    </section>
  );
}

/** The campaign's type (a batch campaign never calls webhooks), then its other tokens. */
function CampaignSection({ campaign, update }: { campaign: TokenContext['campaign']; update: Update }) {
  const campaignType = show(campaign['Type'] ?? campaign['type']) || 'trigger';
  const campaignRest = Object.fromEntries(Object.entries(campaign).filter(([k]) => k.toLowerCase() !== 'type'));
  return (
    <>
      <div className="section">
        <h3>Campaign</h3>
        <FieldRow id="ctx-campaign-type" label="Campaign type">
          <select
            id="ctx-campaign-type"
            value={campaignType}
            onChange={(e) => update({ campaign: { ...campaignRest, Type: e.target.value } })}
          >
            <option value="trigger">Trigger campaign</option>
            <option value="batch">Batch campaign (Marketo does not call webhooks: code 1000)</option>
          </select>
        </FieldRow>
      </div>
      <TokenTable
        title="Campaign tokens"
        table={campaignRest}
        onChange={(t) => update({ campaign: { ...t, Type: campaignType } })}
        namePlaceholder="name, id or description"
      />
    </>
  );
}

/** The clock the system tokens read, and the account's time zone. */
function ClockSection({ system, update }: { system: TokenContext['system']; update: Update }) {
  const zones = useMemo(timeZones, []);
  return (
    <div className="section">
      <h3>System clock</h3>
      <TextRow
        id="ctx-now"
        label="Now (ISO 8601 instant)"
        className="mono"
        placeholder="empty: the real clock, e.g. 2026-05-23T14:05:00Z"
        value={system.now ?? ''}
        onValue={(now) => update({ system: { ...system, now: now || undefined } })}
      />
      <TextRow
        id="ctx-tz"
        label="Account time zone"
        list="ctx-tz-list"
        placeholder="e.g. America/Los_Angeles"
        value={system.timeZone ?? ''}
        onValue={(timeZone) => update({ system: { ...system, timeZone: timeZone || undefined } })}
      >
        <datalist id="ctx-tz-list">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </TextRow>
    </div>
  );
}
