import { useState } from 'react';
import type { RenderedRequest } from '@shared/model';

const EXPANDED_KEY = 'webhook-studio.wire-expanded';

function readExpanded(): boolean {
  try {
    return globalThis.localStorage.getItem(EXPANDED_KEY) === '1';
  } catch {
    return false;
  }
}

function writeExpanded(expanded: boolean): void {
  try {
    globalThis.localStorage.setItem(EXPANDED_KEY, expanded ? '1' : '0');
  } catch {
    // Storage unavailable: the choice lasts for this page only.
  }
}

/** What the one line says: the request line and Host, or why there is none. */
function wireText(r: RenderedRequest | undefined, error: string | undefined): string {
  if (r) return `${r.method} ${r.requestTarget} HTTP/1.1${r.host ? `  ·  Host: ${r.host}` : ''}`;
  return error ? `Cannot render: ${error}` : '—';
}

/**
 * What goes on the wire for this webhook: the request line and Host on one line. Where the target as written or
 * what a browser would send differ from it, a toggle says so (in warning colour for a browser, since Postman and
 * fetch would send other bytes) and opens a row for each; the choice to keep them open is remembered.
 */
export function RequestTargetLine({ rendered: r, error }: { rendered: RenderedRequest | undefined; error?: string }) {
  const [expanded, setExpanded] = useState(readExpanded);
  const asWrittenDiffers = !!r && r.requestTargetAsWritten !== r.requestTarget;
  const browserDiffers = r?.browserRequestTarget !== undefined && r.browserRequestTarget !== r.requestTarget;
  const more = Number(asWrittenDiffers) + Number(browserDiffers);
  const toggle = () => {
    setExpanded(!expanded);
    writeExpanded(!expanded);
  };
  const text = wireText(r, error);
  return (
    <div className={`wire-line${expanded ? ' expanded' : ''}`} aria-label="Request target">
      <div className="wire-main">
        <span>On the wire</span>
        <code data-testid="wire-target" title={text}>
          {text}
        </code>
        {more > 0 && (
          <button
            type="button"
            className={`wire-toggle${browserDiffers ? ' differs' : ''}`}
            aria-expanded={expanded}
            aria-controls="wire-more"
            onClick={toggle}
            title={expanded ? 'Hide how the target differs' : 'Show how the target differs'}
          >
            {browserDiffers ? 'A browser would differ' : 'As written differs'}
            {more > 1 ? ` (+${more - 1})` : ''} {expanded ? '▴' : '▾'}
          </button>
        )}
      </div>
      {more > 0 && expanded && (
        <div className="wire-more" id="wire-more">
          {asWrittenDiffers && (
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
      )}
    </div>
  );
}
