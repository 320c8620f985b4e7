/** What the page asks of the JSON worker: bytes, or a body stream the worker reads itself. */
export type JsonParseRequest = { bytes?: ArrayBuffer; stream?: ReadableStream<Uint8Array>; detach: boolean };

/** A parsed answer; with `detach`, a large `response.body` comes back as UTF-8 bytes beside it (see lib/detached-body). */
export type ParsedAnswer = { value: unknown; bodyBytes?: ArrayBuffer };

export type JsonParseProtocol = { request: JsonParseRequest; answer: ParsedAnswer };
