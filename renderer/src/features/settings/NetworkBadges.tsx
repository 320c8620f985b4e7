import type { Exchange } from '@shared/model';

/** "via proxy …" and "TLS verification off" when the collection's network settings applied to this exchange. */
export function NetworkBadges({ exchange }: { exchange: Exchange }) {
  const via = exchange.diagnostics.find((d) => d.code === 'via-proxy');
  const tlsOff = exchange.diagnostics.find((d) => d.code === 'tls-verification-off');
  if (!via && !tlsOff) return null;
  const proxy = via?.message.replace(/^sent via the proxy /, '');
  return (
    <>
      {proxy !== undefined && (
        <span className="badge network-badge" title={via?.message} data-testid="via-proxy">
          via proxy {proxy}
        </span>
      )}
      {tlsOff && (
        <span className="badge assumed network-badge" title={tlsOff.message} data-testid="tls-off">
          TLS verification off
        </span>
      )}
    </>
  );
}
