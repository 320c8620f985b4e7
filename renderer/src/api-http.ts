import { channelNames, eventNames, splitChannel, StudioError, type ChannelName, type EventName, type EventPayload, type StudioApi } from '../../shared/contract';

/** What the HTTP transport needs from the page; injectable so that tests can drive it without a server. */
export type HttpApiDeps = {
  fetch: typeof fetch;
  /** Absent where server-sent events are unavailable: then no events arrive. */
  EventSource?: typeof EventSource;
  /** Parses a response body; large bodies go to a worker so the page never freezes on a big exchange. */
  parseJson?: (text: string) => Promise<unknown>;
  base?: string;
};

type Listener = (payload: unknown) => void;

/** Answers above this size are parsed off the main thread. */
export const OFF_THREAD_PARSE_BYTES = 256 * 1024;

/**
 * StudioApi over the browser host's protocol: `POST /api/<domain>/<verb>` with a JSON body and the
 * `X-Studio-Request` header (the host refuses requests without it, which blocks simple cross-site
 * forms), the auth cookie sent same-origin; `200` answers the output, anything else carries
 * `{ error: { code, message, where?, issues? } }`. Events arrive as server-sent events.
 */
export function createHttpApi(deps: HttpApiDeps): StudioApi {
  const base = deps.base ?? '';
  const parse = deps.parseJson ?? ((text: string) => Promise.resolve(JSON.parse(text) as unknown));

  async function call(channel: ChannelName, input: unknown): Promise<unknown> {
    const { domain, verb } = splitChannel(channel);
    let res: Response;
    try {
      res = await deps.fetch(`${base}/api/${domain}/${verb}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Studio-Request': '1' },
        credentials: 'same-origin',
        body: JSON.stringify(input ?? {}),
      });
    } catch (e) {
      throw new StudioError({ code: 'host-unreachable', message: `The studio host did not answer (${e instanceof Error ? e.message : String(e)}). Is it still running?`, where: channel });
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text.length > 0 ? await parse(text) : undefined;
    } catch {
      throw new StudioError({ code: 'bad-answer', message: `The host answered ${res.status} with a body that is not JSON.`, where: channel });
    }
    if (res.ok) return body;
    throw toStudioError(channel, res.status, body);
  }

  const listeners = new Map<string, Set<Listener>>();
  let source: EventSource | undefined;
  function ensureSource(): void {
    if (source || !deps.EventSource) return;
    source = new deps.EventSource(`${base}/api/events`);
    for (const name of eventNames) {
      source.addEventListener(name, (ev) => {
        const data = (ev as MessageEvent<string>).data;
        let payload: unknown;
        try {
          payload = JSON.parse(data);
        } catch {
          return;
        }
        for (const l of listeners.get(name) ?? []) l(payload);
      });
    }
  }

  const api: Record<string, unknown> = {
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      ensureSource();
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      const l = listener as Listener;
      set.add(l);
      return () => set.delete(l);
    },
  };
  for (const channel of channelNames) {
    const { domain, verb } = splitChannel(channel);
    const bucket = (api[domain] ??= {}) as Record<string, (input: unknown) => Promise<unknown>>;
    bucket[verb] = (input: unknown) => call(channel, input);
  }
  return api as unknown as StudioApi;
}

function toStudioError(channel: string, status: number, body: unknown): StudioError {
  const err = typeof body === 'object' && body !== null && 'error' in body ? (body as { error: unknown }).error : undefined;
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    const e = err as { code?: unknown; message: string; where?: unknown; issues?: unknown };
    const issues = Array.isArray(e.issues)
      ? e.issues.filter((i): i is { path: string; message: string } => typeof i === 'object' && i !== null && typeof (i as { path?: unknown }).path === 'string' && typeof (i as { message?: unknown }).message === 'string')
      : undefined;
    return new StudioError({ code: typeof e.code === 'string' ? e.code : `http-${status}`, message: e.message, where: typeof e.where === 'string' ? e.where : channel, issues });
  }
  return new StudioError({ code: `http-${status}`, message: `The host answered ${status} to ${channel}.`, where: channel });
}

/** A JSON parser that moves large texts to a worker; the answer is structured-cloned back in one step. */
export function createOffThreadJsonParser(makeWorker: () => Worker, threshold = OFF_THREAD_PARSE_BYTES): (text: string) => Promise<unknown> {
  let worker: Worker | undefined;
  let seq = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  return (text: string) => {
    if (text.length < threshold) return Promise.resolve(JSON.parse(text) as unknown);
    if (!worker) {
      worker = makeWorker();
      worker.onmessage = (ev: MessageEvent<{ id: number; value?: unknown; error?: string }>) => {
        const p = pending.get(ev.data.id);
        if (!p) return;
        pending.delete(ev.data.id);
        if (ev.data.error !== undefined) p.reject(new Error(ev.data.error));
        else p.resolve(ev.data.value);
      };
    }
    const id = ++seq;
    const w = worker;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ id, text });
    });
  };
}
