import { DETACH_BODY_CHARS, DETACHED_PREVIEW_CHARS } from '../lib/detached-body';

// Decodes and parses large host answers off the main thread. With `detach`, a big `response.body`
// (an exchange's) goes back as transferred UTF-8 bytes instead of a string the page would have to copy.
self.onmessage = async (
  ev: MessageEvent<{ id: number; bytes?: ArrayBuffer; stream?: ReadableStream<Uint8Array>; detach?: boolean }>,
) => {
  const { id, detach } = ev.data;
  try {
    // A stream is read here, so the page never holds the answer's bytes at all.
    const bytes =
      ev.data.bytes ?? (ev.data.stream ? await new Response(ev.data.stream).arrayBuffer() : new ArrayBuffer(0));
    const value = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
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
      const body = new TextEncoder().encode(response.body).buffer as ArrayBuffer;
      response.body = response.body.slice(0, DETACHED_PREVIEW_CHARS);
      self.postMessage({ id, value, bodyBytes: body }, { transfer: [body] });
      return;
    }
    self.postMessage({ id, value });
  } catch (e) {
    self.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
