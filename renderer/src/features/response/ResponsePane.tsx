import { useState } from 'react';
import type { Exchange, Webhook } from '@shared/model';
import { useStudio, useStudioStore } from '../../store/context';
import { TabList } from '../../components/Tabs';
import { MOD } from '../../lib/keys';
import { NetworkBadges } from '../settings/NetworkBadges';
import { TriggersPanel } from '../triggers/TriggersPanel';
import { CatcherRuleNote } from '../catcher/RuleNote';
import { AsSentButton } from './as-sent';
import { BodyView } from './BodyView';
import { ComparePane } from './ComparePane';
import { bodySource, displayKindOf, useCurrentExchange, wentElsewhere } from './exchange-body';
import { HeadersView } from './HeadersView';
import { formatBytes, formatDuration, formatWhen, outcomeBanner, outcomeWord } from './outcome';
import { EmptyState, fillColumn } from './pane-parts';
import { SendingView } from './SendingView';
import { TimingView } from './TimingView';

export { displayKindOf, wentElsewhere } from './exchange-body';
export { MappingView } from './MappingView';

function statusClass(status: number): string {
  if (status >= 200 && status < 300) return 's2';
  if (status >= 300 && status < 400) return 's3';
  if (status >= 400 && status < 500) return 's4';
  return status >= 500 ? 's5' : 'sx';
}

/** The line above the response: status, time, size, when, the request's target, Resend, and where it really went. */
function StatusLine({ exchange, onResend }: { exchange: Exchange; onResend: () => void }) {
  const res = exchange.response;
  const elsewhere = wentElsewhere(exchange);
  return (
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
      <CatcherRuleNote exchange={exchange} />
      <span className="metric" data-testid="response-when">
        Sent <b>{formatWhen(exchange.startedAt)}</b>
      </span>
      <span className="metric mono" style={{ marginLeft: 'auto', overflowWrap: 'anywhere' }} data-testid="response-url">
        {exchange.request.method} {exchange.request.url}
      </span>
      <button
        type="button"
        className="btn small"
        onClick={onResend}
        title="Send this webhook again, as it is now in the editor"
      >
        Resend
      </button>
      <AsSentButton exchange={exchange} />
      <NetworkBadges exchange={exchange} />
      {elsewhere && (
        <span
          className="metric"
          data-testid="response-went-to"
          title="The request line and Host header are the URL's; the connection went here"
        >
          went to <b>{elsewhere}</b>
        </span>
      )}
    </div>
  );
}

type ResponseTab = 'body' | 'headers' | 'timing' | 'compare';

/** The Body tab: the body itself, or why there is none to show. */
function BodyTab({ exchange, webhook }: { exchange: Exchange; webhook: Webhook | undefined }) {
  const res = exchange.response;
  if (!res)
    return (
      <p className="help" style={{ padding: 14 }}>
        {exchange.error?.message ?? exchange.message}
      </p>
    );
  if (res.bodyEncoding === 'base64')
    return (
      <p className="help" style={{ padding: 14 }}>
        The body is binary ({formatBytes(res.bodyBytes)}); it is not shown.
      </p>
    );
  return (
    <BodyView
      source={bodySource(res)}
      kind={displayKindOf(exchange, webhook)}
      bodyKey={exchange.id}
      bytes={res.bodyBytes}
      truncated={res.truncated}
      bodyFile={res.bodyFile}
      restNotKept={exchange.diagnostics.some((d) => d.code === 'body-file-not-kept')}
      owner={res}
    />
  );
}

/** The Response tab: the last send's answer (or the send in flight), its outcome in Marketo's terms, and its parts. */
export function ResponsePane() {
  const { exchange, webhook } = useCurrentExchange();
  const sending = useStudio((s) => (s.currentWebhook ? s.sends[s.currentWebhook] : undefined));
  const store = useStudioStore();
  const [tab, setTab] = useState<ResponseTab>('body');
  if (sending) return <SendingView startedAt={sending.startedAt} phases={sending.phases} />;
  if (!exchange)
    return (
      <EmptyState title="No response yet">
        Press <kbd>{MOD}</kbd> + <kbd>Enter</kbd> to send this webhook.
      </EmptyState>
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
    <div style={fillColumn} data-testid="response">
      <StatusLine exchange={exchange} onResend={() => void store.getState().send()} />
      <div className={`banner ${banner.tone}`} role="status" data-testid="outcome-banner">
        <div className="title">{banner.title}</div>
        <div className="detail">{banner.detail}</div>
      </div>
      <TriggersPanel exchange={exchange} webhook={webhook} />
      <TabList label="Response parts" tabs={tabs} selected={tab} onSelect={setTab} />
      {tab === 'body' && <BodyTab exchange={exchange} webhook={webhook} />}
      {tab === 'headers' && <HeadersView exchange={exchange} />}
      {tab === 'compare' && (
        <div className="tab-panel" role="tabpanel">
          <ComparePane current={exchange} />
        </div>
      )}
      {tab === 'timing' && <TimingView exchange={exchange} />}
    </div>
  );
}
