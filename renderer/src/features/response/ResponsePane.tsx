import { useEffect, useMemo, useState } from 'react';
import { evaluateResponse } from '@shared/engine';
import type { Exchange, MappingReport, Scalar, Webhook } from '@shared/model';
import { useStudio, useStudioStore } from '../../store/context';
import { useUi } from '../../store/ui-store';
import { emptyContext, explicitProfile } from '../../store/studio-store';
import { BodyView, TreeView, useBody, type TreeMapping } from './BodyView';
import {
  campaignCost,
  formatBytes,
  formatDuration,
  formatWhen,
  MARKETO_TIMEOUT_MS,
  outcomeBanner,
  outcomeWord,
  waterfall,
  wireMs,
} from './outcome';
import type { BodyKind } from './body-index';
import type { BodySource } from './body-client';
import { detachedBodyBytes } from '../../lib/detached-body';
import { tabKeys } from '../webhook/WebhookEditor';
import { MOD } from '../../lib/keys';
import { CopyButton } from '../../components/CopyButton';
import { ComparePane } from './ComparePane';
import { exchangeCurl, rawRequest, rawResponse, requestHeaders, requestLine, responseHeaders } from './copy';
import { TriggersPanel } from '../triggers/TriggersPanel';
import { FlowStepPanel } from '../triggers/FlowStepPanel';

/** Re-evaluating in the page is instant for normal answers; huge ones keep the report the sender made. */
const LOCAL_EVALUATE_LIMIT = 1024 * 1024;

function bodyKindOf(exchange: Exchange, webhook: Webhook | undefined): BodyKind {
  if (webhook?.responseType === 'json' || webhook?.responseType === 'xml') return webhook.responseType;
  const ct = exchange.response?.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value.toLowerCase() ?? '';
  return ct.includes('json') ? 'json' : ct.includes('xml') ? 'xml' : 'text';
}

/**
 * How to show a body: what it is (its Content-Type, else its first character), then the webhook's
 * response type. Mapping still reads it as the response type says, as Marketo does.
 */
export function displayKindOf(exchange: Exchange, webhook: Webhook | undefined): BodyKind {
  const res = exchange.response;
  const ct = res?.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value.toLowerCase() ?? '';
  if (ct.includes('json')) return 'json';
  if (ct.includes('xml')) return 'xml';
  const head = (res?.body.slice(0, 256) ?? '').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<')) return 'xml';
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  return bodyKindOf(exchange, webhook);
}

/** The body text the page still holds: the detached bytes once they moved to a worker are gone, then the first part. */
function heldBody(res: NonNullable<Exchange['response']>): string {
  const bytes = detachedBodyBytes(res);
  return bytes && bytes.byteLength > 0 ? new TextDecoder().decode(bytes) : res.body;
}

/** The whole body: the detached bytes of a large one, else the text the exchange carries. */
function bodySource(res: NonNullable<Exchange['response']>): BodySource {
  const bytes = detachedBodyBytes(res);
  return bytes ? { bytes } : { text: res.body };
}

function statusClass(status: number): string {
  return status >= 200 && status < 300
    ? 's2'
    : status >= 300 && status < 400
      ? 's3'
      : status >= 400 && status < 500
        ? 's4'
        : status >= 500
          ? 's5'
          : 'sx';
}

function useCurrentExchange(): { exchange: Exchange | undefined; webhook: Webhook | undefined } {
  const exchange = useStudio((s) => (s.currentWebhook ? s.exchanges[s.currentWebhook] : undefined));
  const webhook = useStudio((s) => (s.currentWebhook ? s.webhooks[s.currentWebhook]?.value : undefined));
  return { exchange, webhook };
}

/** The mapping report for the webhook as it is now: edits to mappings after a send show at once. */
function useMappingReport(exchange: Exchange | undefined, webhook: Webhook | undefined): MappingReport | undefined {
  const context = useStudio((s) => (s.activeContext ? s.contexts[s.activeContext]?.value : undefined)) ?? emptyContext;
  const fields = useStudio((s) => s.fields);
  const profile = useStudio((s) => s.profile);
  return useMemo(() => {
    const res = exchange?.response;
    const sent = exchange?.mapping as MappingReport | undefined;
    if (!exchange || !res || !webhook) return sent;
    if (res.bodyEncoding !== 'utf8' || res.body.length > LOCAL_EVALUATE_LIMIT || detachedBodyBytes(res)) return sent;
    try {
      return evaluateResponse(
        webhook,
        { status: res.status, reason: res.reason, body: res.body },
        { context, fields, profile: explicitProfile(profile) },
      );
    } catch {
      return sent;
    }
  }, [exchange, webhook, context, fields, profile]);
}

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
      <span className="track" aria-hidden="true" title="Against Marketo's 30 s limit">
        <span
          className="bar"
          style={{
            left: 0,
            width: `${Math.min(100, (total / MARKETO_TIMEOUT_MS) * 100)}%`,
            background: total > MARKETO_TIMEOUT_MS ? 'var(--danger)' : 'var(--good)',
          }}
        />
      </span>
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
function SendingView({ startedAt, phases }: { startedAt: number; phases: { phase: string; atMs: number }[] }) {
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
          <span className="track" aria-hidden="true">
            <span
              className="bar"
              style={{
                left: 0,
                width: `${Math.min(100, (elapsed / MARKETO_TIMEOUT_MS) * 100)}%`,
                background: elapsed > MARKETO_TIMEOUT_MS ? 'var(--danger)' : undefined,
              }}
            />
          </span>
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

/** The origin the connection really went to (the built-in catcher) when it is not the URL's own. */
export function wentElsewhere(exchange: Exchange): string | undefined {
  const { url, origin } = exchange.request;
  if (!origin) return undefined;
  let own: string | undefined;
  try {
    own = new URL(url).origin;
  } catch {
    own = undefined;
  }
  if (own !== origin) return `${origin} (the built-in catcher)`;
  // A request line in absolute form (`POST http://host/path`) is what a plain-HTTP proxy is sent.
  const target = exchange.request.head.split('\r\n')[0]?.split(' ')[1] ?? '';
  return /^https?:\/\//i.test(target) ? `${origin} through an HTTP proxy` : undefined;
}

type ResponseTab = 'body' | 'headers' | 'timing' | 'compare';

export function ResponsePane() {
  const { exchange, webhook } = useCurrentExchange();
  const sending = useStudio((s) => (s.currentWebhook ? s.sends[s.currentWebhook] : undefined));
  const store = useStudioStore();
  const [tab, setTab] = useState<ResponseTab>('body');
  if (sending) return <SendingView startedAt={sending.startedAt} phases={sending.phases} />;
  if (!exchange)
    return (
      <div className="empty-state">
        <div>
          <h2>No response yet</h2>
          <p>
            Press <kbd>{MOD}</kbd> + <kbd>Enter</kbd> to send this webhook.
          </p>
        </div>
      </div>
    );
  const res = exchange.response;
  const banner = outcomeBanner(exchange);
  const tabs: [ResponseTab, string][] = [
    ['body', 'Body'],
    ['headers', `Headers${res ? ` (${res.headers.length})` : ''}`],
    ['timing', 'Timing & cost'],
    ['compare', 'Compare'],
  ];
  return (
    <div style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }} data-testid="response">
      <div className="status-line">
        {res ? (
          <span className={`status-code ${statusClass(res.status)}`} data-testid="response-status">
            {res.status} {res.reason}
          </span>
        ) : (
          <span className="status-code sx">No response: {outcomeWord(exchange.outcome, undefined)}</span>
        )}
        <span className="metric">
          Time <b>{formatDuration(exchange.timings.totalMs)}</b>
        </span>
        {res && (
          <span className="metric">
            Size <b>{formatBytes(res.bodyBytes)}</b>
          </span>
        )}
        {exchange.redirects.length > 0 && <span className="metric">{exchange.redirects.length} redirect(s)</span>}
        <span className="metric" data-testid="response-when">
          Sent <b>{formatWhen(exchange.startedAt)}</b>
        </span>
        <span
          className="metric mono"
          style={{ marginLeft: 'auto', overflowWrap: 'anywhere' }}
          data-testid="response-url"
        >
          {exchange.request.method} {exchange.request.url}
        </span>
        <button
          type="button"
          className="btn small"
          onClick={() => void store.getState().send()}
          title="Send this webhook again, as it is now in the editor"
        >
          Resend
        </button>
        {wentElsewhere(exchange) && (
          <span
            className="metric"
            data-testid="response-went-to"
            title="The request line and Host header are the URL's; the connection went here"
          >
            went to <b>{wentElsewhere(exchange)}</b>
          </span>
        )}
      </div>
      <div className={`banner ${banner.tone}`} role="status" data-testid="outcome-banner">
        <div className="title">{banner.title}</div>
        <div className="detail">{banner.detail}</div>
      </div>
      <TriggersPanel exchange={exchange} webhook={webhook} />
      <div className="tabs" role="tablist" aria-label="Response parts">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            tabIndex={tab === id ? 0 : -1}
            className="tab"
            onClick={() => setTab(id)}
            onKeyDown={(e) =>
              tabKeys(
                e,
                tabs.map((t) => t[0]),
                tab,
                setTab,
              )
            }
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'body' &&
        (res ? (
          res.bodyEncoding === 'base64' ? (
            <p className="help" style={{ padding: 14 }}>
              The body is binary ({formatBytes(res.bodyBytes)}); it is not shown.
            </p>
          ) : (
            <BodyView
              source={bodySource(res)}
              kind={displayKindOf(exchange, webhook)}
              bodyKey={exchange.id}
              bytes={res.bodyBytes}
              truncated={res.truncated}
              bodyFile={res.bodyFile}
              restNotKept={exchange.diagnostics?.some((d) => d.code === 'body-file-not-kept') ?? false}
              owner={res}
            />
          )
        ) : (
          <p className="help" style={{ padding: 14 }}>
            {exchange.error?.message ?? exchange.message}
          </p>
        ))}
      {tab === 'headers' && (
        <div className="tab-panel" role="tabpanel">
          <div
            className="copy-bar"
            role="group"
            aria-label="Copy"
            style={{ display: 'flex', flexWrap: 'wrap', gap: 6, marginBottom: 10 }}
          >
            <CopyButton label="Copy request line" text={() => requestLine(exchange)} />
            <CopyButton label="Copy request headers" text={() => requestHeaders(exchange)} />
            <CopyButton label="Copy raw request" text={() => rawRequest(exchange)} />
            <CopyButton label="Copy as curl" text={() => exchangeCurl(exchange)} />
            {res && <CopyButton label="Copy response headers" text={() => responseHeaders(exchange)} />}
            {res && (
              <CopyButton
                label="Copy raw response"
                text={() => rawResponse(exchange, res.bodyEncoding === 'utf8' ? heldBody(res) : undefined)}
              />
            )}
          </div>
          {res ? (
            <table className="grid">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Value</th>
                </tr>
              </thead>
              <tbody>
                {res.headers.map((h, i) => (
                  <tr key={i}>
                    <td className="mono">{h.name}</td>
                    <td className="mono" style={{ overflowWrap: 'anywhere' }}>
                      {h.value}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="help">No response headers.</p>
          )}
          <div className="section" style={{ marginTop: 16 }}>
            <h3>Request as sent</h3>
            <pre className="wire">{exchange.request.head}</pre>
          </div>
        </div>
      )}
      {tab === 'compare' && (
        <div className="tab-panel" role="tabpanel">
          <ComparePane current={exchange} />
        </div>
      )}
      {tab === 'timing' && (
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
      )}
    </div>
  );
}

function showValue(v: Scalar | undefined): string {
  if (v === undefined) return '—';
  if (v === null) return 'null';
  if (v === '') return '(empty)';
  return String(v);
}

export function MappingView() {
  const { exchange, webhook } = useCurrentExchange();
  const report = useMappingReport(exchange, webhook);
  const openDialog = useUi((s) => s.openDialog);
  const jumpTo = useUi((s) => s.jumpTo);
  const res = exchange?.response;
  const kind = exchange ? bodyKindOf(exchange, webhook) : 'text';
  const body = useBody(
    res && res.bodyEncoding === 'utf8' ? bodySource(res) : undefined,
    kind,
    exchange?.id ?? 'none',
    !!(res?.truncated || res?.bodyFile),
    res,
  );
  const mapped = useMemo(() => {
    const m = new Map<string, TreeMapping[]>();
    webhook?.mappings.forEach((mapping, index) => {
      if (!mapping.attribute) return;
      m.set(mapping.attribute, [...(m.get(mapping.attribute) ?? []), { mapping, index }]);
    });
    return m;
  }, [webhook]);
  if (!exchange || !res)
    return (
      <div className="empty-state">
        <div>
          <h2>Nothing to map yet</h2>
          <p>Send the webhook; the answer’s tree and its effect on the lead appear here.</p>
        </div>
      </div>
    );
  const fieldsTouched = report
    ? [...new Set([...Object.keys(report.lead.before), ...report.mappings.map((m) => m.field)])]
    : [];
  return (
    <div style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }} data-testid="mapping-view">
      <div className="tab-panel" style={{ flex: 'none', maxHeight: '48%', overflow: 'auto' }}>
        <div className="section" style={{ marginBottom: 8 }}>
          <h3>Lead before → after</h3>
          {report && report.mappings.length === 0 && (
            <p className="help">
              No response mappings: the lead is unchanged. Pick a node below and choose “Map to lead field…”.
            </p>
          )}
          {report && (
            <table className="grid lead-table" data-testid="lead-table">
              <thead>
                <tr>
                  <th>Lead field</th>
                  <th>Before</th>
                  <th aria-hidden="true" />
                  <th>After</th>
                  <th>Written?</th>
                </tr>
              </thead>
              <tbody>
                {report.mappings.map((m) => (
                  <tr key={`m${m.index}`} className={m.written ? 'changed' : ''}>
                    <td className="field">
                      <button
                        type="button"
                        className="btn ghost small"
                        onClick={() => jumpTo({ part: 'mapping', index: m.index })}
                        title={`From ${m.attribute}`}
                      >
                        {m.field}
                      </button>
                      {m.fieldType && <span className="badge type">{m.fieldType}</span>}
                    </td>
                    <td className="mono">{showValue(report.lead.before[m.field])}</td>
                    <td className="arrow" aria-hidden="true">
                      →
                    </td>
                    <td className="mono">
                      {m.written ? showValue(m.coerced) : showValue(report.lead.before[m.field])}
                    </td>
                    <td>
                      {m.written ? (
                        <span className="badge good">written</span>
                      ) : (
                        <span className="badge bad">not written</span>
                      )}
                      {!m.written && <div className="why">{m.message ?? m.reason}</div>}
                    </td>
                  </tr>
                ))}
                {fieldsTouched
                  .filter((f) => !report.mappings.some((m) => m.field === f))
                  .slice(0, 8)
                  .map((f) => (
                    <tr key={f}>
                      <td className="field">{f}</td>
                      <td className="mono">{showValue(report.lead.before[f])}</td>
                      <td className="arrow" aria-hidden="true">
                        →
                      </td>
                      <td className="mono">{showValue(report.lead.after[f])}</td>
                      <td className="why">unchanged</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
          {report && <FlowStepPanel report={report} />}
          {report?.diagnostics.map((d, i) => (
            <p key={i} className={`help`}>
              {d.severity}: {d.message}
            </p>
          ))}
        </div>
      </div>
      <div className="body-tools">
        <b style={{ fontSize: 12 }}>Response tree</b>
        <span className="help">
          Mapped nodes are highlighted. Select a node and press Enter (or click “Map to lead field…”).
        </span>
      </div>
      {kind === 'text' ? (
        <p className="help" style={{ padding: 14 }}>
          Response type is None and the answer is not JSON or XML: Marketo maps nothing.
        </p>
      ) : body?.info ? (
        <TreeView
          body={body}
          query=""
          mapped={mapped}
          onMap={(row) =>
            row.path &&
            openDialog({
              kind: 'map',
              path: row.path,
              warning: row.reachable ? undefined : row.unreachable,
              note: row.reachable ? row.unreachable : undefined,
            })
          }
          onOpenMapping={(index) => jumpTo({ part: 'mapping', index })}
        />
      ) : (
        <div className="empty-state" role="status">
          Parsing…
        </div>
      )}
    </div>
  );
}
