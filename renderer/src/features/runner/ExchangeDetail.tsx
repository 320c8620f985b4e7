import type { Exchange, Profile, Trigger } from '@shared/model';
import { outcomeBanner } from '../response/outcome';
import { NetworkBadges } from '../settings/NetworkBadges';
import { TriggerResults } from '../triggers/TriggerResults';

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

type MappingResult = NonNullable<Exchange['mapping']>['mappings'][number];

/** Each response mapping: the attribute, the lead field, the value found, and whether it was written (or why not). */
function MappingResults({ mappings }: { mappings: MappingResult[] }) {
  if (mappings.length === 0)
    return (
      <>
        <h4>Mappings</h4>
        <p className="help">This webhook has no response mappings.</p>
      </>
    );
  return (
    <>
      <h4>Mappings</h4>
      <table className="runner-mappings">
        <thead>
          <tr>
            <th>Attribute</th>
            <th>Lead field</th>
            <th>Value</th>
            <th>Written</th>
          </tr>
        </thead>
        <tbody>
          {mappings.map((m) => (
            <tr key={m.index} className={m.written ? 'ok' : 'fail'}>
              <td>{m.attribute}</td>
              <td>{m.field}</td>
              <td>{m.found ? show(m.coerced) : '—'}</td>
              <td>{m.written ? 'yes' : `no: ${m.reason ?? ''}${m.message ? ` (${m.message})` : ''}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The lead's fields after the mappings were applied, when any were. */
function LeadAfter({ after }: { after: Record<string, unknown> }) {
  if (Object.keys(after).length === 0) return null;
  return (
    <>
      <h4>Lead after</h4>
      <table className="runner-mappings">
        <tbody>
          {Object.entries(after).map(([field, value]) => (
            <tr key={field}>
              <th>{field}</th>
              <td>{show(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** One lead's exchange: the outcome in Marketo's terms, the bytes both ways, and each mapping's result. */
export function ExchangeDetail({
  line,
  exchange,
  onClose,
  triggers,
  profile,
}: {
  line: number;
  exchange: Exchange;
  onClose: () => void;
  triggers?: readonly Trigger[];
  profile?: Partial<Profile>;
}) {
  const banner = outcomeBanner(exchange);
  return (
    <section className="runner-detail" aria-label={`Exchange of line ${line}`}>
      <header className="runner-detail-head">
        <h3>Line {line}</h3>
        <NetworkBadges exchange={exchange} />
        <button type="button" className="btn small ghost" onClick={onClose}>
          Close
        </button>
      </header>
      <p className={`runner-banner ${banner.tone}`}>
        <strong>{banner.title}</strong> {banner.detail}
      </p>
      <h4>Request</h4>
      <pre className="runner-bytes">{exchange.request.head}</pre>
      {exchange.request.body !== '' && <pre className="runner-bytes">{exchange.request.body}</pre>}
      <h4>Response</h4>
      {exchange.response ? (
        <>
          <pre className="runner-bytes">{exchange.response.head}</pre>
          {exchange.response.body !== '' && <pre className="runner-bytes">{exchange.response.body}</pre>}
          {exchange.response.truncated && <p className="help">Only the first part of the body is kept for a run.</p>}
        </>
      ) : (
        <p className="help">{exchange.error?.message ?? exchange.message}</p>
      )}
      {triggers && triggers.length > 0 && <TriggerResults exchange={exchange} triggers={triggers} profile={profile} />}
      <MappingResults mappings={exchange.mapping?.mappings ?? []} />
      <LeadAfter after={exchange.mapping?.lead.after ?? {}} />
    </section>
  );
}
