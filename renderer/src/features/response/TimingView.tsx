import { useState } from 'react';
import type { Exchange } from '@shared/model';
import { campaignCost, formatDuration, MARKETO_TIMEOUT_MS, waterfall, wireMs } from './outcome';
import { LimitBar } from './pane-parts';

/** Each phase of the exchange as a bar, then the total against Marketo's 30 s limit. */
function Waterfall({ exchange }: { exchange: Exchange }) {
  const bars = waterfall(exchange.timings);
  const total = exchange.timings.totalMs;
  const scale = Math.max(total, 1);
  return (
    <div className="waterfall" aria-label="Timing">
      {bars.map((b) => (
        <div key={b.phase} style={{ display: 'contents' }}>
          <span>{b.phase}</span>
          <span className="track" aria-hidden="true">
            <span
              className="bar"
              style={{ left: `${(b.startMs / scale) * 100}%`, width: `${(b.ms / scale) * 100}%` }}
            />
          </span>
          <span className="num">{formatDuration(b.ms)}</span>
        </div>
      ))}
      <span>
        <b>Total</b>
      </span>
      <LimitBar ms={total} title="Against Marketo's 30 s limit" under="var(--good)" />
      <span className="num">
        <b>{formatDuration(total)}</b>
      </span>
      <span className="limit">
        {total > MARKETO_TIMEOUT_MS
          ? 'Over'
          : `${((total / MARKETO_TIMEOUT_MS) * 100).toFixed(total < 300 ? 2 : 1)}% of`}{' '}
        Marketo’s 30 s limit (the bottom bar is drawn against it).
      </span>
    </div>
  );
}

/** What this call costs a campaign: Marketo calls once per lead, one after another. */
function CampaignCost({ exchange }: { exchange: Exchange }) {
  const [leads, setLeads] = useState('10000');
  // The wire phases, not Total: Total also holds the studio's own queueing, which Marketo does not pay.
  const cost = campaignCost(wireMs(exchange.timings), Number(leads) || 0);
  return (
    <div className="cost">
      <label htmlFor="cost-leads" className="field-label">
        Leads entering the campaign
      </label>
      <input id="cost-leads" type="number" min={0} value={leads} onChange={(e) => setLeads(e.target.value)} />
      <span className="field-label">Flow time</span>
      <span data-testid="campaign-cost">
        <b>{formatDuration(cost.totalMs)}</b> = {formatDuration(cost.perLeadMs)} × {cost.leads.toLocaleString()} leads
        (Marketo calls once per lead, one after another; a call counts its measured wire phases, not the studio’s own
        queueing)
      </span>
      <span className="field-label">Per call</span>
      <span>
        {cost.withinTimeout ? (
          <span className="badge good">within the 30 s limit</span>
        ) : (
          <span className="badge bad">over the 30 s limit: Marketo times out</span>
        )}
      </span>
    </div>
  );
}

/** The response's Timing & cost tab. */
export function TimingView({ exchange }: { exchange: Exchange }) {
  return (
    <div className="tab-panel" role="tabpanel">
      <div className="section">
        <h3>Timing</h3>
        <Waterfall exchange={exchange} />
      </div>
      <div className="section">
        <h3>Campaign cost</h3>
        <CampaignCost exchange={exchange} />
      </div>
    </div>
  );
}
