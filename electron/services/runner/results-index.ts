import { open } from 'node:fs/promises';
import { unpackRecord } from './record-codec';
import { CHECKPOINT_EVERY, checkpointAtOrBefore, DISPATCH_PREFIX, type ResultsIndex } from './results-file';

const SUCCEEDED_KEY = '"succeeded":';
/** Bytes of a line read as text to find its line number and, past the lead key, its succeeded flag. */
const HEAD_BYTES = 200;

/**
 * Whether the record on bytes [start, end) of `buf`, whose first bytes are `head`, succeeded. packRecord
 * writes the key fourth, after the line, the lead key and the outcome, and a key's closing quote is
 * followed by a colon where a string value's never is, so the first `"succeeded":` is the record's own:
 * the line is not parsed. A line of another shape is parsed whole.
 */
function lineSucceeded(buf: Buffer, start: number, end: number, head: string): boolean {
  // In the head as text first: a search in the buffer costs a call into the runtime per line, and a
  // lead key is seldom long enough to push the key past the head. Speed: docs/performance.md#runner
  let value: number | undefined;
  const inHead = head.indexOf(SUCCEEDED_KEY);
  if (inHead >= 0) value = head.charCodeAt(inHead + SUCCEEDED_KEY.length);
  if (value === undefined || Number.isNaN(value)) {
    const at = buf.indexOf(SUCCEEDED_KEY, start, 'latin1');
    value = at < 0 || at >= end ? undefined : buf[at + SUCCEEDED_KEY.length];
  }
  if (value === 0x74) return true;
  if (value === 0x66) return false;
  try {
    return unpackRecord(buf.toString('utf8', start, end)).succeeded;
  } catch {
    // Not a record (the file was changed outside the runner): listed, so reading it says what is wrong.
    return false;
  }
}

/**
 * The sparse index of a finished results file (a past run reopened): one pass over its bytes, keeping
 * the offset and line of every CHECKPOINT_EVERY-th record and the numbers of the records that did not
 * succeed, as the writer did while it wrote.
 */
export async function indexResults(path: string): Promise<ResultsIndex> {
  const checkpoints: Array<{ byte: number; line: number }> = [];
  const notSucceeded: number[] = [];
  let records = 0;
  const handle = await open(path, 'r');
  const stream = handle.createReadStream();
  let pending: Buffer = Buffer.alloc(0);
  let pendingAt = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      let start = 0;
      for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a, start)) {
        const lineStart = pendingAt + start;
        const head = buf.toString('latin1', start, Math.min(nl, start + HEAD_BYTES));
        if (nl > start && !head.startsWith(DISPATCH_PREFIX)) {
          if (records % CHECKPOINT_EVERY === 0) {
            const m = /^\{"line":(\d+)/.exec(head);
            checkpoints.push({ byte: lineStart, line: m ? Number(m[1]) : 0 });
          }
          if (!lineSucceeded(buf, start, nl, head)) notSucceeded.push(records);
          records++;
        }
        start = nl + 1;
      }
      pendingAt += start;
      pending = buf.subarray(start);
    }
  } finally {
    stream.destroy();
    await handle.close().catch(() => undefined);
  }
  const end = pendingAt;
  return {
    committed: () => records,
    committedBytes: () => end,
    checkpoint: (recordIndex) => checkpoints[Math.floor(recordIndex / CHECKPOINT_EVERY)],
    checkpointForLine: (line) => checkpointAtOrBefore(checkpoints, line),
    notSucceeded: () => notSucceeded,
  };
}
