import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { RunRecord } from '../../../shared/runner/summary';
import { packRecord, unpackRecord } from './record-codec';
import { recordUnwritable } from './record';

/**
 * results.jsonl: one record per lead, in file order. Besides the file, only a sparse index is kept
 * (the byte offset and line of every 256th record), so reading rows back for a table costs one seek
 * and a short scan whatever the run's size.
 */
export const CHECKPOINT_EVERY = 256;

export interface ResultsWriter {
  /**
   * Adds one record; it reaches the file within FLUSH_MS or once BATCH_CHARS are waiting. Answers
   * the record as written: one that cannot be serialised is written as an error record for its lead.
   */
  append(record: RunRecord): RunRecord;
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
}

/** Records are written in batches: one write per 64 K characters instead of one per lead keeps the disk cost small. */
const BATCH_CHARS = 64 * 1024;
const FLUSH_MS = 100;

export function createResultsFile(path: string): { writer: ResultsWriter; index: ResultsIndex } {
  const stream: WriteStream = createWriteStream(path, { encoding: 'utf8' });
  const checkpoints: Array<{ byte: number; line: number }> = [];
  let written = 0;
  let writtenBytes = 0;
  let committed = 0;
  let committedBytes = 0;
  let failure: Error | undefined;
  let batch: string[] = [];
  let batchChars = 0;
  let timer: NodeJS.Timeout | undefined;
  stream.on('error', (e) => {
    failure = e;
  });

  const flush = (): void => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (batch.length === 0) return;
    const count = batch.length;
    // Encoded once per batch: the file needs the bytes anyway, and their count is the byte offset.
    const bytes = Buffer.from(batch.join(''), 'utf8');
    batch = [];
    batchChars = 0;
    writtenBytes += bytes.length;
    stream.write(bytes, () => {
      committed += count;
      committedBytes += bytes.length;
    });
  };

  const writer: ResultsWriter = {
    append(record) {
      if (failure) throw failure;
      let kept = record;
      let packed: string;
      try {
        packed = packRecord(record);
      } catch (e) {
        // One lead's answer (nested past what JSON.stringify can walk, say) is that lead's problem, not the run's.
        kept = recordUnwritable(record, e);
        packed = packRecord(kept);
      }
      const text = `${packed}\n`;
      // A checkpoint record starts a batch, so its byte offset is known without measuring every record.
      if (written % CHECKPOINT_EVERY === 0) {
        flush();
        checkpoints.push({ byte: writtenBytes, line: record.line });
      }
      written++;
      batch.push(text);
      batchChars += text.length;
      if (batchChars >= BATCH_CHARS) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
      return kept;
    },
    backlogged: () => stream.writableNeedDrain,
    drained() {
      if (failure) return Promise.reject(failure);
      if (!stream.writableNeedDrain) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const onDrain = (): void => {
          stream.off('error', onError);
          resolve();
        };
        const onError = (e: Error): void => {
          stream.off('drain', onDrain);
          reject(e);
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    },
    close() {
      flush();
      return new Promise((resolve, reject) => {
        if (failure) {
          reject(failure);
          return;
        }
        stream.end(() => (failure ? reject(failure) : resolve()));
      });
    },
  };

  const index: ResultsIndex = {
    committed: () => committed,
    committedBytes: () => committedBytes,
    checkpoint: (recordIndex) => checkpoints[Math.floor(recordIndex / CHECKPOINT_EVERY)],
    checkpointForLine: (line) => {
      // Records are in file order, so lines increase: the last checkpoint at or before `line`.
      let lo = 0;
      let hi = checkpoints.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const cp = checkpoints[mid];
        if (cp && cp.line <= line) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      const cp = checkpoints[found];
      return cp ? { record: found * CHECKPOINT_EVERY, byte: cp.byte } : undefined;
    },
  };
  return { writer, index };
}

/** One line of a results file as a record; a line that is not one is named by file and place, not by JSON's message alone. */
function recordAt(path: string, where: string, text: string): RunRecord {
  try {
    return unpackRecord(text);
  } catch (e) {
    throw new Error(`${path}: ${where} is not a results record (${e instanceof Error ? e.message : String(e)}); the file was changed or cut outside the runner`);
  }
}

/** Reads records from `byte` on, stopping at `endByte`; `visit` returns false to stop early. */
export async function scanResults(path: string, byte: number, endByte: number, visit: (record: RunRecord) => boolean): Promise<void> {
  if (endByte <= byte) return;
  const stream = createReadStream(path, { start: byte, end: endByte - 1, encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    let n = 0;
    for await (const text of lines) {
      n++;
      if (text === '') continue;
      if (!visit(recordAt(path, `line ${n} after byte ${byte}`, text))) break;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** Every record of a finished results file, in order, one at a time. */
export async function* readResults(path: string): AsyncGenerator<RunRecord> {
  const handle = await open(path, 'r');
  const stream = handle.createReadStream({ encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    let n = 0;
    for await (const text of lines) {
      n++;
      if (text !== '') yield recordAt(path, `line ${n}`, text);
    }
  } finally {
    lines.close();
    stream.destroy();
    await handle.close().catch(() => undefined);
  }
}
