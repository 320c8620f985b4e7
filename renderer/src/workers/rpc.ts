/**
 * The page and its workers talk in requests and answers matched by an id: the page posts
 * `{ id, ...request }`, the worker posts back `{ id, ...answer }` or `{ id, error }`. One small typed
 * RPC for every worker (the JSON parser, the response body), instead of a hand-made one each.
 * Not comlink: these messages are plain data (no proxies, no callbacks), and comlink's own wire format
 * and addEventListener-based endpoint would change what the workers and their test double exchange,
 * for nothing these few lines do not already do.
 */

type Failure = { id: number; error: string };

/** What one worker is asked and answers; the page and the worker name the same protocol type. */
export type WorkerProtocol = { request: object; answer: object };

export interface WorkerCaller<P extends WorkerProtocol> {
  /** Sends one request; `transfer` moves buffers and streams to the worker instead of copying them. */
  call(request: P['request'], transfer?: Transferable[]): Promise<P['answer']>;
  /** Ends the worker; calls still waiting reject with `closed`. */
  close(): void;
}

/** The page's side. The worker is made on the first call, so a page that never needs it never starts it. */
export function callWorker<P extends WorkerProtocol>(makeWorker: () => Worker): WorkerCaller<P> {
  type Answer = P['answer'];
  let worker: Worker | undefined;
  let seq = 0;
  const pending = new Map<number, { resolve: (answer: Answer) => void; reject: (e: Error) => void }>();

  function receive(ev: MessageEvent<({ id: number } & Answer) | Failure>): void {
    const waiting = pending.get(ev.data.id);
    if (!waiting) return;
    pending.delete(ev.data.id);
    if ('error' in ev.data) {
      waiting.reject(new Error(ev.data.error));
      return;
    }
    const { id: _id, ...answer } = ev.data;
    waiting.resolve(answer);
  }

  function started(): Worker {
    if (worker) return worker;
    const made = makeWorker();
    made.onmessage = receive;
    worker = made;
    return made;
  }

  return {
    call(request, transfer = []) {
      const target = started();
      const id = ++seq;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        target.postMessage({ id, ...request }, transfer);
      });
    },
    close() {
      worker?.terminate();
      for (const waiting of pending.values()) waiting.reject(new Error('closed'));
      pending.clear();
    },
  };
}

/** What a worker's handler gives back: the answer, and the buffers to move (not copy) with it. */
export type Answered<Answer extends object> = { answer: Answer; transfer?: Transferable[] };

/** The worker's side: each request is handled in turn; a throw becomes `{ id, error }`. */
export function answerRequests<P extends WorkerProtocol>(
  handle: (request: P['request']) => Answered<P['answer']> | Promise<Answered<P['answer']>>,
): void {
  async function reply(data: { id: number } & P['request']): Promise<void> {
    const { id } = data;
    try {
      const { answer, transfer = [] } = await handle(data);
      self.postMessage({ id, ...answer }, { transfer });
    } catch (e) {
      self.postMessage({ id, error: e instanceof Error ? e.message : String(e) } satisfies Failure);
    }
  }
  self.onmessage = (ev: MessageEvent<{ id: number } & P['request']>) => {
    void reply(ev.data);
  };
}
