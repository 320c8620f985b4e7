import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StudioErrorShape } from '@shared/model/error';

/** After refusing a body, how long and how much of the rest is read and dropped before the socket closes. */
const lingerMs = 2_000;
const lingerBytes = 256 * 1024 * 1024;

/** HTTP status for each error code; anything else is the studio's failure (500). */
const statusByCode: Record<string, number> = {
  'bad-input': 400,
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'unknown-channel': 404,
  'not-found': 404,
  // The folder is there but is not a collection (or a link leads out of it): the request, not the studio, is at fault.
  'not-a-collection': 422,
  'outside-collection': 403,
  'body-file-gone': 404,
  'permission-denied': 403,
  'not-a-body-file': 400,
  'not-a-report': 403,
  'not-resumable': 409,
  'nothing-to-resume': 409,
  'bad-file': 400,
  'binary-file': 400,
  ambiguous: 400,
  conflict: 409,
  'too-large': 413,
  'file-too-large': 413,
  'unsupported-media-type': 415,
  busy: 503,
  unavailable: 503,
};

/** The headers of every JSON answer: never cached, never sniffed as another type. */
export const jsonHeaders = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

export function sendError(
  res: ServerResponse,
  error: StudioErrorShape,
  extraHeaders: Record<string, string> = {},
): void {
  const body = JSON.stringify({
    error: {
      code: error.code,
      message: error.message,
      ...(error.where ? { where: error.where } : {}),
      ...(error.issues ? { issues: error.issues } : {}),
    },
  });
  res.writeHead(statusByCode[error.code] ?? 500, { ...jsonHeaders, ...extraHeaders });
  res.end(body);
}

/**
 * Answers a request whose body is refused (too large, or the host is full), then reads and drops what
 * the client still sends for a while before closing. Closing at once would leave unread bytes in the
 * socket, and the kernel answers those with a reset that can destroy the answer before the client
 * reads it: the client must actually see its 413 or 503.
 */
export function refuseBody(
  req: IncomingMessage,
  res: ServerResponse,
  error: StudioErrorShape,
  extraHeaders: Record<string, string> = {},
): void {
  sendError(res, error, { Connection: 'close', ...extraHeaders });
  let dropped = 0;
  const stop = (): void => {
    clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = setTimeout(stop, lingerMs);
  timer.unref();
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > lingerBytes) stop();
  });
  req.once('end', () => {
    clearTimeout(timer);
  });
  req.once('error', () => {
    clearTimeout(timer);
  });
  req.resume();
}
