import type { Exchange, Webhook } from '@shared/model';
import { useStudio } from '../../store/context';
import { detachedBodyBytes } from '../../lib/detached-body';
import type { BodyKind } from './body-index';
import type { BodySource } from './body-client';

type Response = NonNullable<Exchange['response']>;

function contentType(exchange: Exchange): string {
  return exchange.response?.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value.toLowerCase() ?? '';
}

/** How Marketo reads a body for mapping: as the webhook's response type says, else as its Content-Type says. */
export function bodyKindOf(exchange: Exchange, webhook: Webhook | undefined): BodyKind {
  if (webhook?.responseType === 'json' || webhook?.responseType === 'xml') return webhook.responseType;
  const ct = contentType(exchange);
  return ct.includes('json') ? 'json' : ct.includes('xml') ? 'xml' : 'text';
}

/**
 * How to show a body: what it is (its Content-Type, else its first character), then the webhook's
 * response type. Mapping still reads it as the response type says, as Marketo does.
 */
export function displayKindOf(exchange: Exchange, webhook: Webhook | undefined): BodyKind {
  const ct = contentType(exchange);
  if (ct.includes('json')) return 'json';
  if (ct.includes('xml')) return 'xml';
  const head = (exchange.response?.body.slice(0, 256) ?? '').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<')) return 'xml';
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  return bodyKindOf(exchange, webhook);
}

/** The body text the page still holds: the detached bytes once they moved to a worker are gone, then the first part. */
export function heldBody(res: Response): string {
  const bytes = detachedBodyBytes(res);
  return bytes && bytes.byteLength > 0 ? new TextDecoder().decode(bytes) : res.body;
}

/** The whole body: the detached bytes of a large one, else the text the exchange carries. */
export function bodySource(res: Response): BodySource {
  const bytes = detachedBodyBytes(res);
  return bytes ? { bytes } : { text: res.body };
}

/** The current webhook and the exchange its last send (or the history entry opened) gave. */
export function useCurrentExchange(): { exchange: Exchange | undefined; webhook: Webhook | undefined } {
  const exchange = useStudio((s) => (s.currentWebhook ? s.exchanges[s.currentWebhook] : undefined));
  const webhook = useStudio((s) => (s.currentWebhook ? s.webhooks[s.currentWebhook]?.value : undefined));
  return { exchange, webhook };
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
  // A request line in absolute form (`POST http://host/path`) is what a proxy that would not tunnel is sent.
  const target = exchange.request.head.split('\r\n')[0]?.split(' ')[1] ?? '';
  return /^https?:\/\//i.test(target) ? `${origin} through a proxy` : undefined;
}
