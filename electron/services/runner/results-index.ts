import { open } from 'node:fs/promises';
import { unpackRecord } from './record-codec';
import { CHECKPOINT_EVERY, checkpointAtOrBefore, DISPATCH_PREFIX, type ResultsIndex } from './results-file';

const SUCCEEDED_KEY = Buffer.from('"succeeded":', 'latin1');

/**
 * Whether the record on bytes [start, end) of `buf` succeeded. packRecord writes the key fourth, after
 * the line, the lead key and the outcome, and a key's closing quote is followed by a colon where a
 * string value's never is, so the first `"succeeded":` is the record's own: the line is not parsed.
 * A line of another shape is parsed whole.
 */
function lineSucceeded(buf: Buffer, start: number, end: number): boolean {
  const line = buf.subarray(start, end);
  const at = line.indexOf(SUCCEEDED_KEY);
  const value = at < 0 ? -1 : line[at + SUCCEEDED_KEY.length];
  if (value === 0x74) return true;
  if (value === 0x66) return false;
  try {
    return unpackRecord(line.toString('utf8')).succeeded;
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
        const head = buf.toString('latin1', start, Math.min(nl, start + 40));
        if (nl > start && !head.startsWith(DISPATCH_PREFIX)) {
          if (records % CHECKPOINT_EVERY === 0) {
            const m = /^\{"line":(\d+)/.exec(head);
            checkpoints.push({ byte: lineStart, line: m ? Number(m[1]) : 0 });
          }
          if (!lineSucceeded(buf, start, nl)) notSucceeded.push(records);
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
