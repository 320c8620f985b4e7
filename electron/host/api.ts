import type { IncomingMessage, ServerResponse } from 'node:http';
import { StudioError, type StudioErrorShape } from '@shared/model/error';
import { eventNames, type ChannelName } from '@shared/contract';
import { jsonDepthExceeded } from '@shared/engine/json-error';
import { isChannelName, type Studio } from '../services/studio/index';
import { jsonHeaders, sendError } from './answers';
import { readBody, type BodyLimits } from './body';

/** JSON nesting an API input may have; the contract's deepest input (a webhook) nests a handful of levels. */
const maxInputDepth = 64;
const heartbeatMs = 25_000;
/** Input fields that name files or folders: a NUL in one is bad input, which Node would fail on with its own words. */
const pathFields = new Set([
  'dir',
  'path',
  'from',
  'to',
  'file',
  'fileName',
  'webhookPath',
  'contextPath',
  'webhookPaths',
]);

/** What the API needs of the host: the studio, the open event streams and the body limits. */
export interface ApiState {
  studio: Studio;
  streams: Set<ServerResponse>;
  limits: BodyLimits;
}

/** Where a string with a NUL sits among the input's path fields (`dir`, `webhookPaths.2`), if anywhere. */
function nulInPathField(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  for (const [key, value] of Object.entries(input)) {
    if (!pathFields.has(key)) continue;
    if (typeof value === 'string' && value.includes('\0')) return key;
    if (Array.isArray(value)) {
      const i = value.findIndex((v) => typeof v === 'string' && v.includes('\0'));
      if (i >= 0) return `${key}.${i}`;
    }
  }
  return undefined;
}

/** `GET /api/events`: the studio's events as server-sent events, with a heartbeat, until the client goes. */
function streamEvents(state: ApiState, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET') {
    sendError(res, { code: 'bad-request', message: 'events are read with GET', where: '/api/events' });
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Content-Type-Options': 'nosniff',
  });
  res.write(': connected\n\n');
  const offs = eventNames.map((name) =>
    state.studio.on(name, (payload) => {
      res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    }),
  );
  const beat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
  state.streams.add(res);
  res.on('close', () => {
    clearInterval(beat);
    for (const off of offs) off();
    state.streams.delete(res);
  });
}

/** Why a call is refused before its body is read (method, the X-Studio-Request header, the media type). */
function refusalOfCall(req: IncomingMessage, channel: ChannelName): StudioErrorShape | undefined {
  if (req.method !== 'POST') return { code: 'bad-request', message: `${channel} is called with POST`, where: channel };
  if (req.headers['x-studio-request'] !== '1')
    return { code: 'forbidden', message: 'API calls need the X-Studio-Request: 1 header', where: channel };
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    return { code: 'unsupported-media-type', message: 'API calls send Content-Type: application/json', where: channel };
  return undefined;
}

/** The call's input from its JSON body, or why it is bad input. */
function parseInput(body: Buffer, channel: ChannelName): { input: unknown } | { error: StudioErrorShape } {
  const text = body.toString('utf8');
  if (jsonDepthExceeded(text, maxInputDepth) >= 0)
    return {
      error: {
        code: 'bad-input',
        message: `${channel}: the body nests deeper than ${maxInputDepth} levels`,
        where: channel,
      },
    };
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(text);
  } catch (e) {
    return {
      error: {
        code: 'bad-input',
        message: `${channel}: the body is not JSON (${e instanceof Error ? e.message : String(e)})`,
        where: channel,
      },
    };
  }
  const nul = nulInPathField(input);
  if (nul === undefined) return { input };
  return {
    error: {
      code: 'bad-input',
      message: `${channel}: ${nul} holds a NUL character, which no file or folder name can`,
      where: channel,
      issues: [{ path: nul, message: 'a file or folder name cannot hold a NUL character' }],
    },
  };
}

/** Calls the channel and answers with its output, or with the error it gave (anything else is a failure). */
async function call(state: ApiState, res: ServerResponse, channel: ChannelName, input: unknown): Promise<void> {
  try {
    const output = await state.studio.handle(channel, input);
    res.writeHead(200, jsonHeaders);
    res.end(JSON.stringify(output));
  } catch (e) {
    const err =
      e instanceof StudioError ? e : new StudioError({ code: 'failed', message: `${channel} failed`, where: channel });
    sendError(res, err.toJSON());
  }
}

/** `/api/<route>`: the event stream, or one contract channel called with POST and a JSON body. */
export async function handleApi(
  state: ApiState,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<void> {
  if (route === 'events') {
    streamEvents(state, req, res);
    return;
  }
  const channel = route.replace('/', ':');
  if (!/^[a-z]+\/[A-Za-z]+$/.test(route) || !isChannelName(channel)) {
    sendError(res, { code: 'unknown-channel', message: `no such channel: ${route}`, where: `/api/${route}` });
    return;
  }
  const refusal = refusalOfCall(req, channel);
  if (refusal) {
    sendError(res, refusal);
    return;
  }
  const read = await readBody(state.limits, req, res, channel);
  if (!read.ok) return;
  const parsed = parseInput(read.body, channel);
  if ('error' in parsed) {
    sendError(res, parsed.error);
    return;
  }
  await call(state, res, channel, parsed.input);
}
