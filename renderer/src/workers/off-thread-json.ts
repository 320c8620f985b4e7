import { callWorker } from './rpc';
import type { JsonParseProtocol, ParsedAnswer } from './json-parse';

/** Answers above this size are parsed off the main thread. */
export const OFF_THREAD_PARSE_BYTES = 256 * 1024;

export type OffThreadJsonParser = ((bytes: ArrayBuffer, detach: boolean) => Promise<ParsedAnswer>) & {
  /** A ReadableStream is transferable: the worker reads the answer itself, chunk by chunk. */
  stream: (body: ReadableStream<Uint8Array>, detach: boolean) => Promise<ParsedAnswer>;
};

/**
 * A JSON parser that moves large answers to a worker (json-parse.worker.ts): the bytes are transferred
 * (not copied), decoded and parsed there, and the result is structured-cloned back in one step.
 */
export function createOffThreadJsonParser(
  makeWorker: () => Worker,
  threshold = OFF_THREAD_PARSE_BYTES,
): OffThreadJsonParser {
  const worker = callWorker<JsonParseProtocol>(makeWorker);
  const parseBytes = (bytes: ArrayBuffer, detach: boolean): Promise<ParsedAnswer> => {
    if (bytes.byteLength < threshold)
      return Promise.resolve({ value: JSON.parse(new TextDecoder().decode(bytes)) as unknown });
    return worker.call({ bytes, detach }, [bytes]);
  };
  return Object.assign(parseBytes, {
    stream: (body: ReadableStream<Uint8Array>, detach: boolean) => worker.call({ stream: body, detach }, [body]),
  });
}
