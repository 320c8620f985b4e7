import { reasonPhrases } from '@shared/engine/response';
import type { CatcherRule } from './rules';

/**
 * The bytes of the catcher's answer: the matching rule's, or `{"ok":true}` when no rule matched.
 * `close` adds `Connection: close`; a HEAD answer (`head`) carries the headers a GET would, never the body.
 */
export function responseBytes(rule: CatcherRule | undefined, close: boolean, head = false): Buffer {
  const status = rule?.status ?? 200;
  const reason = rule?.reason ?? reasonPhrases[status] ?? '';
  const body = Buffer.from(rule ? (rule.body ?? '') : '{"ok":true}', 'utf8');
  const headers = rule?.headers ?? (rule ? [] : [{ name: 'Content-Type', value: 'application/json' }]);
  let text = `HTTP/1.1 ${status}${reason ? ` ${reason}` : ''}\r\n`;
  for (const h of headers) text += `${h.name}: ${h.value}\r\n`;
  const has = (n: string): boolean => headers.some((h) => h.name.toLowerCase() === n);
  const bodyless = status === 204 || status === 304 || (status >= 100 && status < 200);
  if (!has('content-length') && !has('transfer-encoding') && !bodyless) text += `Content-Length: ${body.length}\r\n`;
  if (close && !has('connection')) text += 'Connection: close\r\n';
  return Buffer.concat([Buffer.from(`${text}\r\n`, 'utf8'), bodyless || head ? Buffer.alloc(0) : body]);
}

/** The answer to a request the catcher could not read: the status the parser chose, and why, as plain text. */
export function refusalBytes(status: number, why: string): Buffer {
  return responseBytes({ status, headers: [{ name: 'Content-Type', value: 'text/plain' }], body: `${why}\n` }, true);
}
