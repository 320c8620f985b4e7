import { StudioError } from '@shared/model/error';
import {
  bindStudioApi,
  createEmitter,
  eventNames,
  splitChannel,
  type ChannelName,
  type Emitter,
  type EventPayloads,
  type StudioApi,
} from '@shared/contract';
import { attachBodyBytes } from './lib/detached-body';
import { OFF_THREAD_PARSE_BYTES } from './workers/off-thread-json';
import type { ParsedAnswer } from './workers/json-parse';

export { createOffThreadJsonParser, OFF_THREAD_PARSE_BYTES } from './workers/off-thread-json';

/** What the HTTP transport needs from the page; injectable so that tests can drive it without a server. */
export type HttpApiDeps = {
  fetch: typeof fetch;
  /** Absent where server-sent events are unavailable: then no events arrive. */
  EventSource?: typeof EventSource;
  /**
   * Decodes and parses an answer; large ones go to a worker so the page never freezes on a big
   * exchange. With `detach`, a large response body may come back as bytes beside the value.
   */
  parseJson?: (bytes: ArrayBuffer, detach: boolean) => Promise<ParsedAnswer>;
  /**
   * Reads and parses a large answer's body stream in a worker: the page never assembles the bytes.
   * Used when the answer's Content-Length is at least OFF_THREAD_PARSE_BYTES.
   */
  parseJsonStream?: (body: ReadableStream<Uint8Array>, detach: boolean) => Promise<ParsedAnswer>;
  base?: string;
};

/** Channels whose answer carries a response: their large bodies stay as bytes (see lib/detached-body). */
const detachChannels = new Set<ChannelName>(['webhook:send', 'history:get', 'response:body']);

/**
 * StudioApi over the browser host's protocol: `POST /api/<domain>/<verb>` with a JSON body and the
 * `X-Studio-Request` header (the host refuses requests without it, which blocks simple cross-site
 * forms), the auth cookie sent same-origin; `200` answers the output, anything else carries
 * `{ error: { code, message, where?, issues? } }`. Events arrive as server-sent events, opened on the
 * first subscription.
 */
export function createHttpApi(deps: HttpApiDeps): StudioApi {
  const base = deps.base ?? '';
  const emitter = createEmitter<EventPayloads>();
  let source: EventSource | undefined;
  return bindStudioApi({
    invoke: (channel, input) => callHost(deps, channel, input),
    on(event, listener) {
      if (!source && deps.EventSource) source = listenToHost(new deps.EventSource(`${base}/api/events`), emitter);
      return emitter.on(event, listener);
    },
  });
}

/** Fans the host's server-sent events out by name; a payload that is not JSON is dropped. */
function listenToHost(source: EventSource, emitter: Emitter<EventPayloads>): EventSource {
  for (const name of eventNames) {
    source.addEventListener(name, (ev) => {
      let payload: unknown;
      try {
        payload = JSON.parse((ev as MessageEvent<string>).data);
      } catch {
        return;
      }
      // The host sends only contract-shaped payloads (the studio checks each event's schema).
      emitter.emit(name, payload as EventPayloads[typeof name]);
    });
  }
  return source;
}

async function callHost(deps: HttpApiDeps, channel: ChannelName, input: unknown): Promise<unknown> {
  const { domain, verb } = splitChannel(channel);
  let res: Response;
  try {
    res = await deps.fetch(`${deps.base ?? ''}/api/${domain}/${verb}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Studio-Request': '1' },
      credentials: 'same-origin',
      body: JSON.stringify(input),
    });
  } catch (e) {
    throw new StudioError({
      code: 'host-unreachable',
      message: `The studio host did not answer (${e instanceof Error ? e.message : String(e)}). Is it still running?`,
      where: channel,
    });
  }
  const body = await readAnswer(deps, channel, res);
  if (res.ok) return body;
  throw toStudioError(channel, res.status, body);
}

/** The answer's JSON, parsed in place or in the worker; a large response body stays as bytes beside it. */
async function readAnswer(deps: HttpApiDeps, channel: ChannelName, res: Response): Promise<unknown> {
  // A large answer's stream goes to the worker as it arrives: its bytes are never gathered here.
  const length = Number(res.headers.get('content-length') ?? '');
  const stream =
    deps.parseJsonStream && res.body && Number.isFinite(length) && length >= OFF_THREAD_PARSE_BYTES
      ? { parse: deps.parseJsonStream, body: res.body }
      : undefined;
  // Else bytes, not text: a large answer is decoded and parsed in the worker, not on the main thread.
  const bytes = stream ? undefined : await res.arrayBuffer();
  const parse = deps.parseJson ?? parseInPlace;
  try {
    const detach = res.ok && detachChannels.has(channel);
    const parsed = stream
      ? await stream.parse(stream.body, detach)
      : bytes && bytes.byteLength > 0
        ? await parse(bytes, detach)
        : undefined;
    const body = parsed?.value;
    const response = typeof body === 'object' && body !== null ? (body as { response?: object }).response : undefined;
    if (parsed?.bodyBytes && response) attachBodyBytes(response, parsed.bodyBytes);
    return body;
  } catch {
    throw new StudioError({
      code: 'bad-answer',
      message: `The host answered ${res.status} with a body that is not JSON.`,
      where: channel,
    });
  }
}

function parseInPlace(bytes: ArrayBuffer): Promise<ParsedAnswer> {
  return Promise.resolve({ value: JSON.parse(new TextDecoder().decode(bytes)) as unknown });
}

type Issue = { path: string; message: string };

function isIssue(i: unknown): i is Issue {
  return (
    typeof i === 'object' &&
    i !== null &&
    typeof (i as { path?: unknown }).path === 'string' &&
    typeof (i as { message?: unknown }).message === 'string'
  );
}

/** The host's `{ error: { code, message, where?, issues? } }` as a StudioError; any other failure says its status. */
function toStudioError(channel: string, status: number, body: unknown): StudioError {
  const err = typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined;
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    const e = err as { code?: unknown; message: string; where?: unknown; issues?: unknown };
    return new StudioError({
      code: typeof e.code === 'string' ? e.code : `http-${status}`,
      message: e.message,
      where: typeof e.where === 'string' ? e.where : channel,
      issues: Array.isArray(e.issues) ? e.issues.filter(isIssue) : undefined,
    });
  }
  return new StudioError({
    code: `http-${status}`,
    message: `The host answered ${status} to ${channel}.`,
    where: channel,
  });
}
