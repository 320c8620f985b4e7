import { useEffect, useState } from 'react';
import { formatDuration } from './outcome';
import { LimitBar } from './pane-parts';

const phaseLabels: Record<string, string> = {
  dns: 'DNS',
  connect: 'Connected',
  tls: 'TLS',
  sent: 'Request sent',
  headers: 'Headers received',
  body: 'Body received',
  done: 'Done',
};

/** While a send is in flight: the phases reached so far and the time spent against Marketo's 30 s limit. */
export function SendingView({ startedAt, phases }: { startedAt: number; phases: { phase: string; atMs: number }[] }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, []);
  const elapsed = Math.max(0, now - startedAt);
  return (
    <div className="empty-state">
      <div style={{ width: 'min(420px, 90%)', textAlign: 'left' }}>
        <h2 role="status" aria-live="polite">
          Sending…
        </h2>
        <div className="waterfall" style={{ marginTop: 10 }}>
          <span>Elapsed</span>
          <LimitBar ms={elapsed} />
          <span className="num">{formatDuration(elapsed)}</span>
          <span className="limit">of Marketo’s 30 s limit</span>
        </div>
        <ul className="help" style={{ paddingLeft: 18 }}>
          {phases.length === 0 ? (
            <li>Waiting for the connection…</li>
          ) : (
            phases.map((p, i) => (
              <li key={i}>
                {phaseLabels[p.phase] ?? p.phase} at {formatDuration(p.atMs)}
              </li>
            ))
          )}
        </ul>
      </div>
    </div>
  );
}
