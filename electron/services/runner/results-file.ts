import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { open, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunRecord } from '@shared/runner/summary';
import { packRecord, unpackRecord } from './record-codec';
import { recordUnwritable } from './record';

/**
 * results.jsonl: one record per lead, in file order. Besides the file, only a sparse index is kept
 * (the byte offset and line of every 256th record), so reading rows back for a table costs one seek
 * and a short scan whatever the run's size.
 */
export const CHECKPOINT_EVERY = 256;

/** The last checkpoint at or before `line` (records are in file order, so lines increase): a binary search. */
export function checkpointAtOrBefore(
  checkpoints: ReadonlyArray<{ byte: number; line: number }>,
  line: number,
): { record: number; byte: number } | undefined {
  let found = -1;
  for (let lo = 0, hi = checkpoints.length - 1; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    const cp = checkpoints[mid];
    if (cp && cp.line <= line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const cp = checkpoints[found];
  return cp ? { record: found * CHECKPOINT_EVERY, byte: cp.byte } : undefined;
}

export interface ResultsWriter {
  /**
   * Adds one record; it reaches the file within FLUSH_MS or once BATCH_CHARS are waiting. Answers
   * the record as written: one that cannot be serialised is written as an error record for its lead.
   */
  append(record: RunRecord, whole?: boolean): RunRecord;
  /**
   * Notes, on disk before this returns, that these lines' requests are about to leave: after a
   * kill -9 the file still says which leads were sent, answered or not. One short line per call.
   */
  dispatched(lines: number[]): void;
  /** True while the disk is behind: callers stop producing until `drained()` resolves. */
  backlogged(): boolean;
  drained(): Promise<void>;
  close(): Promise<void>;
}

export interface ResultsIndex {
  /** Records whose bytes have reached the file. */
  committed(): number;
  checkpoint(recordIndex: number): { byte: number; line: number } | undefined;
  checkpointForLine(line: number): { record: number; byte: number } | undefined;
  committedBytes(): number;
  /**
   * The record numbers (0-based, in file order) of the records that did not succeed, so the view can
   * list only those without reading the whole file. The writer's list may run ahead of `committed()`.
   */
  notSucceeded(): readonly number[];
}

/** Records are written in batches of this many characters. Speed: docs/performance.md#runner */
const BATCH_CHARS = 64 * 1024;
const FLUSH_MS = 100;
/** How a journal line starts: it names leads whose requests left, and is not a lead's record. */
export const DISPATCH_PREFIX = '{"dispatched":';

export function isDispatchLine(text: string): boolean {
  return text.startsWith(DISPATCH_PREFIX);
}

/** Where the writer stands: the open file, what reached it, and the batch waiting to. */
interface WriterState {
  readonly fd: number;
  readonly checkpoints: Array<{ byte: number; line: number }>;
  /** Record numbers of the records that did not succeed: one push per such lead, nothing for the others. */
  readonly notSucceeded: number[];
  /** Records appended (written or batched). */
  written: number;
  writtenBytes: number;
  /** Records whose bytes reached the file. */
  committed: number;
  failure: Error | undefined;
  closed: boolean;
  batch: string[];
  batchChars: number;
  timer: NodeJS.Timeout | undefined;
}

/** Throws the first write failure, once there is one. */
function throwIfFailed(s: WriterState): void {
  if (s.failure) throw s.failure;
}

function put(s: WriterState, bytes: Buffer): void {
  try {
    let at = 0;
    while (at < bytes.length) at += writeSync(s.fd, bytes, at, bytes.length - at);
  } catch (e) {
    s.failure ??= e instanceof Error ? e : new Error(String(e));
  }
  s.writtenBytes += bytes.length;
}

/** Writes the batch, and `tail` after it in the same write (a dispatched line: one write a turn, not two). */
function flush(s: WriterState, tail = ''): void {
  // The timer is left to run out (it then finds little or nothing to write): clearing and setting one per
  // dispatched line cost more than the write it saved. Speed: docs/performance.md#runner
  if ((s.batch.length === 0 && tail === '') || s.closed) return;
  const count = s.batch.length;
  // Speed: docs/performance.md#runner
  const bytes = Buffer.from(s.batch.join('') + tail, 'utf8');
  s.batch = [];
  s.batchChars = 0;
  put(s, bytes);
  s.committed += count;
}

function append(s: WriterState, record: RunRecord, whole: boolean): RunRecord {
  throwIfFailed(s);
  let kept = record;
  let packed: string;
  try {
    packed = packRecord(record, whole);
  } catch (e) {
    // One lead's answer (nested past what JSON.stringify can walk, say) is that lead's problem, not the run's.
    kept = recordUnwritable(record, e);
    packed = packRecord(kept);
  }
  const text = `${packed}\n`;
  // A checkpoint record starts a batch, so its byte offset is known without measuring every record.
  if (s.written % CHECKPOINT_EVERY === 0) {
    flush(s);
    s.checkpoints.push({ byte: s.writtenBytes, line: record.line });
  }
  // `kept`, not `record`: a record that could not be written is written as its lead's error.
  if (!kept.succeeded) s.notSucceeded.push(s.written);
  s.written++;
  s.batch.push(text);
  s.batchChars += text.length;
  if (s.batchChars >= BATCH_CHARS) flush(s);
  else
    s.timer ??= setTimeout(() => {
      s.timer = undefined;
      flush(s);
    }, FLUSH_MS);
  return kept;
}

function dispatched(s: WriterState, lines: number[]): void {
  throwIfFailed(s);
  if (lines.length === 0 || s.closed) return;
  // Records waiting in the batch go first, so the file stays in the order things happened.
  flush(s, `${DISPATCH_PREFIX}[${lines.join(',')}]}\n`);
  throwIfFailed(s);
}

function close(s: WriterState): Promise<void> {
  if (s.timer) {
    clearTimeout(s.timer);
    s.timer = undefined;
  }
  flush(s);
  if (!s.closed) {
    s.closed = true;
    try {
      closeSync(s.fd);
    } catch (e) {
      s.failure ??= e instanceof Error ? e : new Error(String(e));
    }
  }
  return s.failure ? Promise.reject(s.failure) : Promise.resolve();
}

/**
 * The writer appends with plain synchronous writes on one descriptor: a dispatch note must be in the
 * file (the kernel's, which survives a kill -9) before its request leaves, and records and notes
 * share one order and one byte count. Writes are batched, so this costs a few system calls per
 * hundred leads, and the file is created readable by its owner only (it holds whole exchanges).
 */
export function createResultsFile(path: string): { writer: ResultsWriter; index: ResultsIndex } {
  const s: WriterState = {
    fd: openSync(path, 'w', 0o600),
    checkpoints: [],
    notSucceeded: [],
    written: 0,
    writtenBytes: 0,
    committed: 0,
    failure: undefined,
    closed: false,
    batch: [],
    batchChars: 0,
    timer: undefined,
  };
  const writer: ResultsWriter = {
    append: (record, whole = true) => append(s, record, whole),
    dispatched: (lines) => {
      dispatched(s, lines);
    },
    backlogged: () => false,
    drained: () => (s.failure ? Promise.reject(s.failure) : Promise.resolve()),
    close: () => close(s),
  };
  const index: ResultsIndex = {
    committed: () => s.committed,
    committedBytes: () => s.writtenBytes,
    checkpoint: (recordIndex) => s.checkpoints[Math.floor(recordIndex / CHECKPOINT_EVERY)],
    checkpointForLine: (line) => checkpointAtOrBefore(s.checkpoints, line),
    notSucceeded: () => s.notSucceeded,
  };
  return { writer, index };
}

/** One line of a results file as a record; a line that is not one is named by file and place, not by JSON's message alone. */
function recordAt(path: string, where: string, text: string): RunRecord {
  try {
    return unpackRecord(text);
  } catch (e) {
    throw new Error(
      `${path}: ${where} is not a results record (${e instanceof Error ? e.message : String(e)}); the file was changed or cut outside the runner`,
      { cause: e },
    );
  }
}

/**
 * Reads records from `byte` on, stopping at `endByte`; `visit` returns false to stop early. `read`
 * parses the record: a visitor that wants only some records leaves the others' text unparsed.
 */
export async function scanRecordLines(
  path: string,
  byte: number,
  endByte: number,
  visit: (read: () => RunRecord) => boolean,
): Promise<void> {
  if (endByte <= byte) return;
  const stream = createReadStream(path, { start: byte, end: endByte - 1, encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    let n = 0;
    for await (const text of lines) {
      n++;
      if (text === '' || isDispatchLine(text)) continue;
      const at = n;
      if (!visit(() => recordAt(path, `line ${at} after byte ${byte}`, text))) break;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** Reads records from `byte` on, stopping at `endByte`; `visit` returns false to stop early. */
export function scanResults(
  path: string,
  byte: number,
  endByte: number,
  visit: (record: RunRecord) => boolean,
): Promise<void> {
  return scanRecordLines(path, byte, endByte, (read) => visit(read()));
}

/**
 * What a results file says about each line, for a resume: the lines with an answer (any outcome of
 * a request that came back, or a failure that will not change by sending again) and the lines
 * whose request left without an answer being recorded. A file cut short by a kill ends in a torn
 * line; that line is left out (its lead counts as unanswered if it was dispatched).
 */
export interface JournalState {
  answered: Set<number>;
  dispatched: Set<number>;
}

export function isAnswered(record: RunRecord): boolean {
  return record.problem === undefined && !record.notRun && record.outcome !== 'cancelled';
}

export async function readJournal(
  path: string,
  into: JournalState = { answered: new Set(), dispatched: new Set() },
): Promise<JournalState> {
  const handle = await open(path, 'r');
  const stream = handle.createReadStream({ encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      if (text === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        continue;
      }
      if (isDispatchLine(text)) {
        const listed = (parsed as { dispatched?: unknown }).dispatched;
        if (Array.isArray(listed)) for (const n of listed) if (typeof n === 'number') into.dispatched.add(n);
        continue;
      }
      const record = unpackRecord(text);
      if (isAnswered(record)) into.answered.add(record.line);
    }
  } finally {
    lines.close();
    stream.destroy();
    await handle.close().catch(() => undefined);
  }
  return into;
}

/**
 * Reads the answered records of earlier journals in line order, one at a time, so a resume can
 * carry each over without holding them all: each journal is in file order already.
 */
export function createJournalCursor(paths: string[]): {
  seek(line: number): Promise<RunRecord | undefined>;
  close(): Promise<void>;
} {
  const cursors = paths.map((path) => {
    const it = readTolerant(path);
    return { it, current: undefined as RunRecord | undefined, started: false, done: false };
  });
  return {
    async seek(line) {
      for (const c of cursors) {
        if (!c.started) {
          c.started = true;
          const n = await c.it.next();
          if (n.done) c.done = true;
          else c.current = n.value;
        }
        while (!c.done && c.current && c.current.line < line) {
          const n = await c.it.next();
          if (n.done) {
            c.done = true;
            c.current = undefined;
          } else c.current = n.value;
        }
        if (c.current && c.current.line === line && isAnswered(c.current)) return c.current;
      }
      return undefined;
    },
    async close() {
      for (const c of cursors) await c.it.return(undefined);
    },
  };
}

/** Records of a journal that may end in a torn line (a kill mid-write): that line is skipped. */
async function* readTolerant(path: string): AsyncGenerator<RunRecord> {
  const handle = await open(path, 'r');
  const stream = handle.createReadStream({ encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      if (text === '' || isDispatchLine(text)) continue;
      let record: RunRecord;
      try {
        record = unpackRecord(text);
      } catch {
        continue;
      }
      yield record;
    }
  } finally {
    lines.close();
    stream.destroy();
    await handle.close().catch(() => undefined);
  }
}

/**
 * Moves a run folder's results.jsonl aside as the newest numbered journal (`results.N.jsonl`), so a
 * resumed run writes a fresh results.jsonl; returns every journal, newest first. The CLI's --resume and
 * the studio's Resume share it.
 */
export async function takeJournals(outDir: string): Promise<string[]> {
  const names = await readdir(outDir);
  const numbered = names
    .map((n) => /^results\.(\d+)\.jsonl$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  const next = numbered.length > 0 ? Math.max(...numbered) + 1 : 1;
  if (names.includes('results.jsonl')) {
    await rename(join(outDir, 'results.jsonl'), join(outDir, `results.${next}.jsonl`));
    numbered.push(next);
  }
  return numbered.sort((a, b) => b - a).map((n) => join(outDir, `results.${n}.jsonl`));
}
