import { isAscii } from 'node:buffer';
import { subscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type Dispatcher from 'undici/types/dispatcher';
import type { ConnectionPhase } from '../net/connect-failure';
import { connectionMarks, type ConnectionMarks, type SocketTap } from '../net/connector';
import { headerText } from './bytes';
import type { Link } from './links';
import { BodySink } from './response-body';
import { contentLengthTail, type WireRequest } from './wire';

export type ProgressPhase = ConnectionPhase | 'sent' | 'headers' | 'body' | 'done';

/** Why a hop was stopped from outside: the send's timeout, or the person cancelling it. */
export type StopReason = 'timeout' | 'cancelled';

/** A response head larger than this is not kept verbatim (the parsed one is shown instead). */
const maxResponseHeadBytes = 64 * 1024;

/** How far into the first chunk the usual head is looked for (beyond it, the general loop reads the chunk). */
const headWindow = 1024;

/** Signals used to abort undici from our side; they never reach the person as such. */
class StopSignal extends Error {}
class TruncateSignal extends Error {}

/**
 * undici calls a handler's onConnect and then, synchronously in the same writeH1 call, publishes the
 * head it is about to write on `undici:client:sendHeaders`. One subscription for the process hands that
 * exact text to the hop that was just connected. Speed: docs/performance.md#sender
 */
/** The hop whose head undici is about to write (set in onConnect, taken by the subscriber). */
const connecting: { hop: Hop | undefined } = { hop: undefined };
let subscribed = false;
function subscribeOnce(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('undici:client:sendHeaders', (message) => {
    const hop = connecting.hop;
    connecting.hop = undefined;
    if (!hop) return;
    const m = message as { request: { path: string; method: string }; headers: string; socket: object };
    if (m.request.path !== hop.wire.path || m.request.method !== hop.wire.method) return;
    try {
      hop.onWireHead(m.headers, m.socket);
    } catch {
      // A subscriber's throw would surface as an uncaught exception; without the head, it is predicted.
    }
  });
}

/** One HTTP request and its response, as undici's dispatch handler. */
export class Hop implements Dispatcher.DispatchHandler, SocketTap {
  /** The head exactly as written to the socket (latin1 text of the wire bytes). */
  head: string | undefined;
  marks: ConnectionMarks | undefined;
  writeAt: number | undefined;
  sentAt: number | undefined;
  firstByteAt: number | undefined;
  headersAt: number | undefined;
  endAt: number | undefined;
  status: number | undefined;
  reason = '';
  rawHeaders: Buffer[] = [];
  readonly sink: BodySink;
  error: Error | undefined;
  stopped: StopReason | undefined;
  readonly done: Promise<void>;
  private settle!: () => void;
  private settled = false;
  private abortFn: ((err?: Error) => void) | undefined;
  private sawBody = false;
  private tapped: ConnectionMarks | undefined;
  private headBytes: Buffer | undefined;
  /**
   * The response's status line and headers exactly as they arrived, when they could be observed, as text
   * (see headerText): decoded straight from the socket's bytes, so they are neither copied nor kept.
   */
  responseHead: string | undefined;
  /** The head's bytes were all ASCII (one character per byte in `responseHead`). */
  responseHeadAscii = false;
  /** Its place among the hops waiting for a connection to its origin (the sender's bookkeeping). */
  waiting: Link<Hop> | undefined;

  constructor(
    readonly wire: WireRequest,
    sink: { maxBytes: number; tempDir: string; name: string; keep?: boolean },
    /** Absent when nobody listens, so no clock is read just to report a phase. */
    private readonly progress: ((phase: ProgressPhase, at: number) => void) | undefined,
    /** Called once undici hands the hop a connection, and again when the hop ends (it may end before). */
    private readonly onDispatched: (hop: Hop) => void,
  ) {
    subscribeOnce();
    this.sink = new BodySink(sink.maxBytes, sink.tempDir, sink.name, sink.keep);
    this.done = new Promise<void>((resolve) => {
      this.settle = resolve;
    });
  }

  /** Ends the hop now (timeout or cancel); undici is aborted as soon as it has the request. */
  stop(reason: StopReason): void {
    if (this.settled) return;
    this.stopped = reason;
    this.endAt = performance.now();
    this.abortFn?.(new StopSignal(reason));
    this.finish();
  }

  /** A connection phase (DNS, TCP, TLS) of the connection being opened for this hop. */
  reportPhase(phase: ConnectionPhase, at: number): void {
    this.progress?.(phase, at);
  }

  /** The request was sent (wholly or partly) before the hop ended. */
  get wasSent(): boolean {
    return this.head !== undefined;
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    this.untap();
    this.onDispatched(this);
    this.settle();
  }

  onWireHead(headers: string, socket: object): void {
    this.head = headers + contentLengthTail(this.wire.method, this.wire.body?.length ?? 0);
    const marks = connectionMarks.get(socket);
    if (!marks) return;
    if (!marks.claimed) {
      marks.claimed = true;
      this.marks = marks;
    }
    this.tapped = marks;
    marks.tap = this;
  }

  /** Collects the response's bytes up to the end of its head (after any 1xx interim answers), then lets go. */
  onSocketRead(chunk: Buffer): void {
    if (this.headBytes === undefined && this.headInFirstChunk(chunk)) return;
    let seen = this.headBytes === undefined ? chunk : Buffer.concat([this.headBytes, chunk]);
    for (;;) {
      const end = seen.indexOf('\r\n\r\n');
      if (end < 0) break;
      // An interim 1xx head (e.g. 100 Continue) precedes the real one.
      if (seen[9] === 0x31 && seen.subarray(0, 5).toString('latin1') === 'HTTP/') {
        seen = seen.subarray(end + 4);
        continue;
      }
      const head = seen.subarray(0, end + 4);
      this.responseHeadAscii = isAscii(head);
      this.responseHead = this.responseHeadAscii ? head.toString('latin1') : headerText(head);
      this.headBytes = undefined;
      this.untap();
      return;
    }
    if (seen.length > maxResponseHeadBytes) {
      this.untap();
      this.headBytes = undefined;
      return;
    }
    this.headBytes = seen;
  }

  /**
   * The usual answer: a final ASCII head wholly within the first chunk's first bytes, found by one loop
   * over the bytes that also tells they are ASCII (rather than a Buffer search, a view and an ASCII check),
   * then decoded once into a string of its own. False when it is not that (the general loop then reads
   * the chunk). Speed: docs/performance.md#sender
   */
  private headInFirstChunk(chunk: Buffer): boolean {
    if (chunk[9] === 0x31) return false;
    const n = Math.min(chunk.length, headWindow);
    let bits = 0;
    for (let i = 3; i < n; i++) {
      const c = chunk[i] as number;
      bits |= c;
      if (c !== 0x0a || chunk[i - 1] !== 0x0d || chunk[i - 2] !== 0x0a || chunk[i - 3] !== 0x0d) continue;
      // Bytes 0-2 were not in the loop: they count for ASCII too.
      if (((bits | (chunk[0] as number) | (chunk[1] as number) | (chunk[2] as number)) & 0x80) !== 0) return false;
      this.responseHeadAscii = true;
      this.responseHead = chunk.toString('latin1', 0, i + 1);
      this.untap();
      return true;
    }
    return false;
  }

  private untap(): void {
    if (this.tapped?.tap === this) this.tapped.tap = undefined;
    this.tapped = undefined;
  }

  onConnect(abort: (err?: Error) => void): void {
    this.onDispatched(this);
    if (this.settled) {
      abort(new StopSignal('stopped'));
      return;
    }
    this.abortFn = abort;
    this.writeAt = performance.now();
    connecting.hop = this;
  }

  onRequestSent(): void {
    this.sentAt = performance.now();
    this.progress?.('sent', this.sentAt);
  }

  onResponseStarted(): void {
    this.firstByteAt = performance.now();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    if (this.settled || statusCode < 200) return true;
    this.headersAt = performance.now();
    this.firstByteAt ??= this.headersAt;
    this.status = statusCode;
    this.reason = statusText;
    this.rawHeaders = rawHeaders;
    this.progress?.('headers', this.headersAt);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return true;
    if (!this.sawBody) {
      this.sawBody = true;
      this.progress?.('body', performance.now());
    }
    this.sink.write(chunk);
    if (this.sink.truncated) {
      // As undici does when a handler throws: abort (the socket is destroyed, so no 'end' reaches the
      // paused parser), then pause.
      this.abortFn?.(new TruncateSignal('maxResponseBytes'));
      return false;
    }
    // Never false otherwise: a parser paused for back-pressure crashes undici 7 when the server closes
    // the connection before it is resumed (nodejs/undici#5360). The sink bounds memory itself.
    return true;
  }

  onComplete(): void {
    this.endAt = performance.now();
    this.finish();
  }

  onError(err: Error): void {
    if (this.settled) return;
    this.endAt = performance.now();
    if (!(err instanceof TruncateSignal)) this.error = err;
    this.finish();
  }
}
