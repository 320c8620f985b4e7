import type { Socket } from 'node:net';
import { refusalBytes, responseBytes } from './answers';
import type { KeptRequests } from './kept';
import { RequestParseError, RequestParser, type ParsedRequest } from './request-parser';
import { matchRule, type CatcherRule, type createRateLimiter } from './rules';

/** What every connection of one catcher shares. */
export interface CatcherState {
  rules: CatcherRule[];
  readonly rateLimit: ReturnType<typeof createRateLimiter>;
  readonly kept: KeptRequests;
  readonly maxBodyBytes: number;
  readonly sockets: Set<Socket>;
  /** Pending rule delays, cleared when the catcher closes. */
  readonly timers: Set<NodeJS.Timeout>;
}

function delay(state: CatcherState, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      state.timers.delete(t);
      resolve();
    }, ms);
    state.timers.add(t);
  });
}

/** Serves one connection: each request is kept as it arrived and answered by the first matching rule. */
export function serveConnection(state: CatcherState, socket: Socket): void {
  state.sockets.add(socket);
  socket.on('close', () => state.sockets.delete(socket));
  socket.on('error', () => socket.destroy());
  const parser = new RequestParser(state.maxBodyBytes);
  // Answers go out in order, one after another, even when a rule delays one of them.
  let chain = Promise.resolve();
  socket.on('data', (chunk: Buffer) => {
    let got: ParsedRequest[];
    try {
      got = parser.push(chunk);
    } catch (e) {
      const status = e instanceof RequestParseError ? e.status : 400;
      socket.removeAllListeners('data');
      chain = chain.then(() => {
        if (!socket.destroyed) socket.end(refusalBytes(status, (e as Error).message));
      });
      return;
    }
    if (parser.takeContinue()) socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    for (const req of got) {
      state.kept.record(req);
      const rule = state.rateLimit(matchRule(state.rules, req.method, req.target), Date.now());
      chain = chain.then(async () => {
        if (rule?.delayMs) await delay(state, rule.delayMs);
        if (socket.destroyed) return;
        const bytes = responseBytes(rule, req.close, req.method === 'HEAD');
        if (req.close) socket.end(bytes);
        else socket.write(bytes);
      });
    }
  });
}
