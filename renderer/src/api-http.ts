import { StudioError } from '@shared/model/error';
import {
  channelNames,
  eventNames,
  splitChannel,
  type ChannelName,
  type EventName,
  type EventPayload,
  type StudioApi,
} from '../../shared/contract';
import { attachBodyBytes } from './lib/detached-body';

/** What the HTTP transport needs from the page; injectable so that tests can drive it without a server. */
export type HttpApiDeps = {
  fetch: typeof fetch;
  /** Absent where server-sent events are unavailable: then no events arrive. */
  EventSource?: typeof EventSource;
  /**
   * Decodes and parses an answer; large ones go to a worker so the page never freezes on a big
   * exchange. With `detach`, a large response body may come back as bytes beside the value.
   */
  parseJson?: (bytes: ArrayBuffer, detach: boolean) => Promise<{ value: unknown; bodyBytes?: ArrayBuffer }>;
  /**
   * Reads and parses a large answer's body stream in a worker: the page never assembles the bytes.
   * Used when the answer's Content-Length is at least OFF_THREAD_PARSE_BYTES.
   */
  parseJsonStream?: (
    body: ReadableStream<Uint8Array>,
    detach: boolean,
  ) => Promise<{ value: unknown; bodyBytes?: ArrayBuffer }>;
  base?: string;
};

type Listener = (payload: unknown) => void;

/** Channels whose answer carries a response: their large bodies stay as bytes (see lib/detached-body). */
const detachChannels = new Set<ChannelName>(['webhook:send', 'history:get', 'response:body']);

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
  const parse: NonNullable<HttpApiDeps['parseJson']> =
    deps.parseJson ??
    ((bytes: ArrayBuffer) => Promise.resolve({ value: JSON.parse(new TextDecoder().decode(bytes)) as unknown }));

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
      throw new StudioError({
        code: 'host-unreachable',
        message: `The studio host did not answer (${e instanceof Error ? e.message : String(e)}). Is it still running?`,
        where: channel,
      });
    }
    // A large answer's stream goes to the worker as it arrives: its bytes are never gathered here.
    const length = Number(res.headers.get('content-length') ?? '');
    const streamed = deps.parseJsonStream && res.body && Number.isFinite(length) && length >= OFF_THREAD_PARSE_BYTES;
    // Else bytes, not text: a large answer is decoded and parsed in the worker, not on the main thread.
    const bytes = streamed ? undefined : await res.arrayBuffer();
    let body: unknown;
    try {
      const detach = res.ok && detachChannels.has(channel);
      const parsed =
        streamed && deps.parseJsonStream && res.body
          ? await deps.parseJsonStream(res.body, detach)
          : bytes && bytes.byteLength > 0
            ? await parse(bytes, detach)
            : undefined;
      body = parsed?.value;
      const response = typeof body === 'object' && body !== null ? (body as { response?: object }).response : undefined;
      if (parsed?.bodyBytes && response) attachBodyBytes(response, parsed.bodyBytes);
    } catch {
      throw new StudioError({
        code: 'bad-answer',
        message: `The host answered ${res.status} with a body that is not JSON.`,
        where: channel,
      });
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
  const err =
    typeof body === 'object' && body !== null && 'error' in body ? (body as { error: unknown }).error : undefined;
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    const e = err as { code?: unknown; message: string; where?: unknown; issues?: unknown };
    const issues = Array.isArray(e.issues)
      ? e.issues.filter(
          (i): i is { path: string; message: string } =>
            typeof i === 'object' &&
            i !== null &&
            typeof (i as { path?: unknown }).path === 'string' &&
            typeof (i as { message?: unknown }).message === 'string',
        )
      : undefined;
    return new StudioError({
      code: typeof e.code === 'string' ? e.code : `http-${status}`,
      message: e.message,
      where: typeof e.where === 'string' ? e.where : channel,
      issues,
    });
  }
  return new StudioError({
    code: `http-${status}`,
    message: `The host answered ${status} to ${channel}.`,
    where: channel,
  });
}

/**
 * A JSON parser that moves large answers to a worker: the bytes are transferred (not copied), decoded
 * and parsed there, and the result is structured-cloned back in one step.
 */
export function createOffThreadJsonParser(
  makeWorker: () => Worker,
  threshold = OFF_THREAD_PARSE_BYTES,
): ((bytes: ArrayBuffer, detach: boolean) => Promise<{ value: unknown; bodyBytes?: ArrayBuffer }>) & {
  stream: (body: ReadableStream<Uint8Array>, detach: boolean) => Promise<{ value: unknown; bodyBytes?: ArrayBuffer }>;
} {
  let worker: Worker | undefined;
  let seq = 0;
  type Answer = { value: unknown; bodyBytes?: ArrayBuffer };
  const pending = new Map<number, { resolve: (v: Answer) => void; reject: (e: Error) => void }>();
  const ensure = (): Worker => {
    if (!worker) {
      worker = makeWorker();
      worker.onmessage = (
        ev: MessageEvent<{ id: number; value?: unknown; bodyBytes?: ArrayBuffer; error?: string }>,
      ) => {
        const p = pending.get(ev.data.id);
        if (!p) return;
        pending.delete(ev.data.id);
        if (ev.data.error !== undefined) p.reject(new Error(ev.data.error));
        else
          p.resolve(
            ev.data.bodyBytes ? { value: ev.data.value, bodyBytes: ev.data.bodyBytes } : { value: ev.data.value },
          );
      };
    }
    return worker;
  };
  const post = (
    message: { bytes?: ArrayBuffer; stream?: ReadableStream<Uint8Array>; detach: boolean },
    transfer: Transferable[],
  ): Promise<Answer> => {
    const w = ensure();
    const id = ++seq;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ id, ...message }, transfer);
    });
  };
  const parseBytes = (bytes: ArrayBuffer, detach: boolean): Promise<Answer> => {
    if (bytes.byteLength < threshold)
      return Promise.resolve({ value: JSON.parse(new TextDecoder().decode(bytes)) as unknown });
    return post({ bytes, detach }, [bytes]);
  };
  // A ReadableStream is transferable: the worker reads the answer itself, chunk by chunk.
  return Object.assign(parseBytes, {
    stream: (body: ReadableStream<Uint8Array>, detach: boolean) =>
      post({ stream: body, detach }, [body as unknown as Transferable]),
  });
}
