import type { RenderedRequest } from '@shared/model';

/**
 * What goes on the wire for this webhook: the request line and Host; where they differ, the target as written
 * and what a browser would send instead.
 */
export function RequestTargetLine({ rendered: r, error }: { rendered: RenderedRequest | undefined; error?: string }) {
  const hostLine = r?.host ? `Host: ${r.host}` : '';
  const browserDiffers = r?.browserRequestTarget !== undefined && r.browserRequestTarget !== r.requestTarget;
  return (
    <div className="wire-line" aria-label="Request target">
      <span>On the wire</span>
      <code data-testid="wire-target">
        {r
          ? `${r.method} ${r.requestTarget} HTTP/1.1${hostLine ? `  ·  ${hostLine}` : ''}`
          : error
            ? `Cannot render: ${error}`
            : '—'}
      </code>
      {r && r.requestTargetAsWritten !== r.requestTarget && (
        <>
          <span>As written</span>
          <code>{r.requestTargetAsWritten}</code>
        </>
      )}
      {browserDiffers && (
        <span className="differs" style={{ display: 'contents' }}>
          <span>A browser would send</span>
          <code title="What a WHATWG URL parser (browsers, fetch, Postman) would put on the wire instead">
            {r.browserRequestTarget}
          </code>
        </span>
      )}
    </div>
  );
}
