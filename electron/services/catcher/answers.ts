import type { CatcherRule } from './rules';

const reasons: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The bytes of the catcher's answer: the matching rule's, or `{"ok":true}` when no rule matched.
 * `close` adds `Connection: close`; a HEAD answer (`head`) carries the headers a GET would, never the body.
 */
export function responseBytes(rule: CatcherRule | undefined, close: boolean, head = false): Buffer {
  const status = rule?.status ?? 200;
  const reason = rule?.reason ?? reasons[status] ?? '';
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
