import { DETACH_BODY_CHARS, DETACHED_PREVIEW_CHARS } from '../lib/detached-body';
import { answerRequests, type Answered } from './rpc';
import type { JsonParseProtocol, JsonParseRequest, ParsedAnswer } from './json-parse';

// Decodes and parses large host answers off the main thread. With `detach`, a big `response.body`
// (an exchange's) goes back as transferred UTF-8 bytes instead of a string the page would have to copy.

async function parse({ bytes, stream, detach }: JsonParseRequest): Promise<Answered<ParsedAnswer>> {
  // A stream is read here, so the page never holds the answer's bytes at all.
  const data = bytes ?? (stream ? await new Response(stream).arrayBuffer() : new ArrayBuffer(0));
  const value = JSON.parse(new TextDecoder().decode(data)) as unknown;
  const response =
    detach && typeof value === 'object' && value !== null
      ? (value as { response?: { body?: unknown; bodyEncoding?: unknown } }).response
      : undefined;
  if (
    response &&
    typeof response.body === 'string' &&
    response.bodyEncoding === 'utf8' &&
    response.body.length > DETACH_BODY_CHARS
  ) {
    const body = new TextEncoder().encode(response.body).buffer;
    response.body = response.body.slice(0, DETACHED_PREVIEW_CHARS);
    return { answer: { value, bodyBytes: body }, transfer: [body] };
  }
  return { answer: { value } };
}

answerRequests<JsonParseProtocol>(parse);
