import { BodyIndex, type BodyKind, type LineMode, type TreeRow } from './body-index';
import { callWorker } from '../../workers/rpc';

/** What views ask of a parsed body; the same calls go to a worker or, where workers are missing, in-process. */
export interface BodyClient {
  readonly ready: Promise<BodyInfo>;
  treeRows(offset: number, limit: number): Promise<TreeRow[]>;
  toggle(id: string, open?: boolean): Promise<number>;
  reveal(paths: string[]): Promise<number>;
  lines(mode: LineMode, offset: number, limit: number): Promise<string[]>;
  lineCount(mode: LineMode): Promise<number>;
  search(mode: LineMode, query: string): Promise<{ lines: number[]; total: number }>;
  searchTree(query: string): Promise<{ rows: number[]; total: number; count: number }>;
  /** The whole text (for Copy): the page may no longer hold it, its bytes having moved to the worker. */
  text(): Promise<string>;
  dispose(): void;
}

export type BodyInfo = {
  kind: BodyKind;
  parseError?: string;
  treeRows: number;
  bytes: number;
  partialTree: boolean;
  empty: boolean;
};

export type BodyRequest =
  | { op: 'open'; text?: string; bytes?: ArrayBuffer; kind: BodyKind; partial?: boolean }
  | { op: 'treeRows'; offset: number; limit: number }
  | { op: 'toggle'; id: string; open?: boolean }
  | { op: 'reveal'; paths: string[] }
  | { op: 'lines'; mode: LineMode; offset: number; limit: number }
  | { op: 'lineCount'; mode: LineMode }
  | { op: 'search'; mode: LineMode; query: string }
  | { op: 'searchTree'; query: string }
  | { op: 'text' };

/** Runs one request against an index; shared by the worker and the in-process fallback. */
export function answer(index: BodyIndex, req: Exclude<BodyRequest, { op: 'open' }>): unknown {
  switch (req.op) {
    case 'treeRows':
      return index.treeRows(req.offset, req.limit);
    case 'toggle':
      return index.toggle(req.id, req.open);
    case 'reveal':
      return index.reveal(req.paths);
    case 'lines':
      return index.lines(req.mode, req.offset, req.limit);
    case 'lineCount':
      return index.lineCount(req.mode);
    case 'search':
      return index.search(req.mode, req.query);
    case 'searchTree':
      return index.searchTree(req.query);
    case 'text':
      return index.wholeText();
  }
}

export function infoOf(index: BodyIndex): BodyInfo {
  return {
    kind: index.kind,
    parseError: index.parseError,
    treeRows: index.treeRowCount(),
    bytes: index.bytes,
    partialTree: index.partialTree,
    empty: index.empty,
  };
}

/** What the page asks of the body worker (one parsed response body) and what it answers. */
export type BodyProtocol = { request: { req: BodyRequest }; answer: { value: unknown } };

type Call = (req: BodyRequest) => Promise<unknown>;

function clientOver(call: Call, ready: Promise<BodyInfo>, dispose: () => void): BodyClient {
  return {
    ready,
    treeRows: (offset, limit) => call({ op: 'treeRows', offset, limit }) as Promise<TreeRow[]>,
    toggle: (id, open) => call({ op: 'toggle', id, open }) as Promise<number>,
    reveal: (paths) => call({ op: 'reveal', paths }) as Promise<number>,
    lines: (mode, offset, limit) => call({ op: 'lines', mode, offset, limit }) as Promise<string[]>,
    lineCount: (mode) => call({ op: 'lineCount', mode }) as Promise<number>,
    search: (mode, query) => call({ op: 'search', mode, query }) as Promise<{ lines: number[]; total: number }>,
    searchTree: (query) =>
      call({ op: 'searchTree', query }) as Promise<{ rows: number[]; total: number; count: number }>,
    text: () => call({ op: 'text' }) as Promise<string>,
    dispose,
  };
}

/** Parses in the calling thread: for tests and for small bodies where a worker costs more than it saves. */
export function openBodyInProcess(text: string, kind: BodyKind, partial = false): BodyClient {
  const index = new BodyIndex(text, kind, { partial });
  return clientOver(
    (req) => Promise.resolve(req.op === 'open' ? infoOf(index) : answer(index, req)),
    Promise.resolve(infoOf(index)),
    () => undefined,
  );
}

/** Parses in a worker; the page receives only the rows and lines it asks for. */
/** A body as the page holds it: text, or the UTF-8 bytes of a detached body (see lib/detached-body). */
export type BodySource = { text: string } | { bytes: ArrayBuffer };

export function sourceText(source: BodySource): string {
  return 'text' in source ? source.text : new TextDecoder().decode(source.bytes);
}

export function openBodyInWorker(
  source: BodySource,
  kind: BodyKind,
  makeWorker: () => Worker,
  partial = false,
): BodyClient {
  const worker = callWorker<BodyProtocol>(makeWorker);
  const call = async (req: BodyRequest, transfer: Transferable[] = []): Promise<unknown> =>
    (await worker.call({ req }, transfer)).value;
  // Bytes are transferred, not copied: a detached body is opened once and shared (see openSharedBody).
  const bytes = 'bytes' in source ? source.bytes : undefined;
  const ready = call(
    bytes
      ? { op: 'open', bytes, kind, partial }
      : { op: 'open', text: (source as { text: string }).text, kind, partial },
    bytes ? [bytes] : [],
  ) as Promise<BodyInfo>;
  return clientOver(call, ready, () => worker.close());
}

/** Small bodies parse in-process (instant); larger ones in a worker so the page never stalls. */
export const WORKER_THRESHOLD = 64 * 1024;

export function openBody(source: BodySource, kind: BodyKind, partial = false): BodyClient {
  const size = 'text' in source ? source.text.length : source.bytes.byteLength;
  if (size < WORKER_THRESHOLD || typeof Worker === 'undefined')
    return openBodyInProcess(sourceText(source), kind, partial);
  return openBodyInWorker(
    source,
    kind,
    () => new Worker(new URL('../../workers/body.worker.ts', import.meta.url), { type: 'module' }),
    partial,
  );
}

const shared = new WeakMap<object, BodyClient>();
const finalizer =
  typeof FinalizationRegistry !== 'undefined' ? new FinalizationRegistry<BodyClient>((c) => c.dispose()) : undefined;

/**
 * One parsed copy of a large detached body per exchange, shared by every view of it: the bytes move
 * to the worker once (no copy on the main thread), and the worker ends when the exchange is dropped.
 */
export function openSharedBody(owner: object, bytes: ArrayBuffer, kind: BodyKind, partial = false): BodyClient {
  const existing = shared.get(owner);
  if (existing) return existing;
  const client = openBody({ bytes }, kind, partial);
  const kept: BodyClient = { ...client, dispose: () => undefined };
  shared.set(owner, kept);
  finalizer?.register(owner, client);
  return kept;
}
