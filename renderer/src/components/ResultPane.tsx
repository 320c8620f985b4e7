import { useStudio } from '../store/context';
import { useUi, type RightTab } from '../store/ui-store';
import { PreviewPane } from '../features/preview/PreviewPane';
import { MappingView, ResponsePane } from '../features/response/ResponsePane';
import { TabList } from './Tabs';

const resultTabs: [RightTab, string][] = [
  ['preview', 'Preview'],
  ['response', 'Response'],
  ['mapping', 'Lead mapping'],
];

/** The right-hand pane: what Marketo would send, what came back, and how it maps onto the lead. */
export function ResultPane() {
  const tab = useUi((s) => s.rightTab);
  const setTab = useUi((s) => s.setRightTab);
  const hasExchange = useStudio((s) => !!(s.currentWebhook && s.exchanges[s.currentWebhook]));
  const sending = useStudio((s) => !!(s.currentWebhook && s.sends[s.currentWebhook]));
  const stale = useStudio((s) => (s.currentWebhook ? s.staleExchanges[s.currentWebhook] : undefined));
  return (
    <section className="pane" aria-label="Preview and response">
      <TabList
        label="Result"
        tabs={resultTabs}
        selected={tab}
        onSelect={setTab}
        tabId={(id) => `rtab-${id}`}
        style={{ marginTop: 6 }}
        extra={(id) =>
          id === 'response' && (sending || hasExchange) ? <span className="count">{sending ? '…' : '1'}</span> : null
        }
      />
      {stale && tab !== 'preview' && (
        <div className="banner conflict" role="status" data-testid="stale-response">
          <span className="title">{stale}</span>
        </div>
      )}
      <div
        role="tabpanel"
        aria-labelledby={`rtab-${tab}`}
        style={{
          display: 'flex',
          flexDirection: 'column',
          flex: 1,
          minHeight: 0,
          overflow: tab === 'preview' ? 'auto' : 'hidden',
        }}
      >
        {tab === 'preview' && <PreviewPane />}
        {tab === 'response' && <ResponsePane />}
        {tab === 'mapping' && <MappingView />}
      </div>
    </section>
  );
}
