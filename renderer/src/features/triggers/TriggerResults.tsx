import { callAttributes, callOfExchange, evaluateTriggers } from '@shared/engine';
import type { Exchange, Profile, ProfileOption, Trigger } from '@shared/model';
import { AssumedBadges } from '../preview/PreviewPane';

/** Which "Webhook is Called" triggers one exchange would fire, and why: read-only (a runner lead). */
export function TriggerResults({
  exchange,
  triggers,
  profile,
}: {
  exchange: Exchange;
  triggers: readonly Trigger[];
  profile?: Partial<Profile>;
}) {
  const call = callOfExchange(exchange);
  const attrs = callAttributes(call, profile);
  const results = evaluateTriggers(triggers, call, profile);
  return (
    <div data-testid="lead-triggers">
      <h4>Webhook is Called</h4>
      <p className="help">
        Error Type: <b>{attrs.called ? (attrs.errorType === '' ? '(empty)' : attrs.errorType) : '— (not called)'}</b>{' '}
        <AssumedBadges options={attrs.assumed} />
      </p>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {results.map((r, i) => (
          <li key={i} data-testid="lead-trigger" data-fires={r.fires ? 'true' : 'false'}>
            {r.fires ? <span className="badge good">fires</span> : <span className="badge">does not fire</span>}{' '}
            <b>{r.name}</b> <span className="help">{r.because}</span>{' '}
            <AssumedBadges options={(r.assumed ?? []) as ProfileOption[]} />
          </li>
        ))}
      </ul>
    </div>
  );
}
