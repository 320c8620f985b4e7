import type { CaughtRequest } from '@shared/contract';
import { createEmitter } from '@shared/contract/emitter';
import { bytesToText, headerText } from '../sender/bytes';
import type { ParsedRequest } from './request-parser';

/** The requests the catcher keeps (the newest, within a count and a size), and who hears of each new one. */
export class KeptRequests {
  private seq = 0;
  private kept: CaughtRequest[] = [];
  private keptBytes = 0;
  // A failing listener must not stop the catcher or the other listeners.
  private readonly listeners = createEmitter<{ caught: CaughtRequest }>({ isolateListeners: true });

  constructor(
    /** How many requests are kept (oldest dropped first). */
    private readonly keep: number,
    /** The most head and body text kept over all requests. */
    private readonly maxKeptBytes: number,
  ) {}

  /** Keeps a request as it arrived, drops the oldest beyond the limits (never the newest), and tells the listeners. */
  record(req: ParsedRequest): void {
    const body = bytesToText(req.body);
    const caught: CaughtRequest = {
      seq: ++this.seq,
      receivedAt: new Date().toISOString(),
      method: req.method,
      target: req.target,
      head: headerText(req.head),
      body: body.text,
      bodyEncoding: body.encoding,
    };
    const kept = this.kept;
    kept.push(caught);
    this.keptBytes += caught.head.length + caught.body.length;
    let drop = 0;
    while (kept.length - drop > 1 && (kept.length - drop > this.keep || this.keptBytes > this.maxKeptBytes)) {
      const old = kept[drop++] as CaughtRequest;
      this.keptBytes -= old.head.length + old.body.length;
    }
    if (drop > 0) kept.splice(0, drop);
    this.listeners.emit('caught', caught);
  }

  /** Requests with a sequence number above `since`, oldest first. */
  since(since: number): CaughtRequest[] {
    return this.kept.filter((r) => r.seq > since);
  }

  listen(listener: (r: CaughtRequest) => void): () => void {
    return this.listeners.on('caught', listener);
  }

  stopListening(): void {
    this.listeners.clear();
  }
}
