import type { Exchange } from '@shared/model';
import { CopyButton } from '../../components/CopyButton';
import { exchangeCurl, rawRequest, rawResponse, requestHeaders, requestLine, responseHeaders } from './copy';
import { heldBody } from './exchange-body';

/** Copying the request and response in the forms people paste elsewhere. */
function CopyBar({ exchange }: { exchange: Exchange }) {
  const res = exchange.response;
  return (
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
  );
}

/** The response's Headers tab: the response headers, and the request as it went on the wire. */
export function HeadersView({ exchange }: { exchange: Exchange }) {
  const res = exchange.response;
  return (
    <div className="tab-panel" role="tabpanel">
      <CopyBar exchange={exchange} />
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
  );
}
