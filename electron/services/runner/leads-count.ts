import type { FieldCatalog } from '@shared/model/field-catalog';
import { createLeadCounter } from '@shared/runner/leads';

const BOM = 0xfeff;

/**
 * One CSV record on one line however it is read: each field either holds no quote at all, or is wholly
 * quoted (doubled quotes inside), up to the line end. Such a line is one lead (a row or a bad row) to the
 * reader; any other line (a quoted field running on to the next line, a stray quote) is left to the reader.
 */
const PLAIN_RECORD = /(?:"(?:[^"\r\n]|"")*"|[^",\r\n]*)(?:,(?:"(?:[^"\r\n]|"")*"|[^",\r\n]*))*(?![^\r\n])/y;
const LINE_END = /[\r\n]/g;

function isPlainRecord(text: string, from: number): boolean {
  PLAIN_RECORD.lastIndex = from;
  return PLAIN_RECORD.test(text);
}

/** The index of the next CR or LF at or after `from`, or the text's length. */
function lineEnd(text: string, from: number): number {
  LINE_END.lastIndex = from;
  return LINE_END.exec(text)?.index ?? text.length;
}

/** Where the line count stands: the header once seen, the leads after it, the partial line, the reader once handed over. */
interface LineCount {
  header: string | undefined;
  leads: number;
  pending: string;
  /** Where the chunks were cut within `pending`: the reader is handed the text cut at the same places. */
  cuts: number[];
  started: boolean;
  reader: { push(chunk: string): void; end(): number } | undefined;
}

/**
 * From `text[start]` on, the reader counts: it is given the header first, so it reads each row against it,
 * then the rest cut where the file's chunks were cut (the run's reader gets those same chunks).
 */
function handOver(state: LineCount, fields: FieldCatalog, text: string, start: number): void {
  const reader = createLeadCounter('csv', fields);
  // An empty line first: a line that begins with U+FEFF keeps it (the reader drops one only at the very start).
  reader.push(state.header !== undefined ? `\n${state.header}\n` : '\n');
  let from = start;
  for (const cut of state.cuts) {
    if (cut <= from) continue;
    reader.push(text.slice(from, cut));
    from = cut;
  }
  reader.push(text.slice(from));
  state.reader = reader;
  state.pending = '';
  state.cuts = [];
}

/** Counts the complete lines of `text` (and the last one too when `final`); keeps a partial last line. */
function countLines(state: LineCount, fields: FieldCatalog, text: string, final: boolean): void {
  let start = 0;
  for (;;) {
    const end = lineEnd(text, start);
    if (end === text.length && !final) {
      state.pending = text.slice(start);
      state.cuts = state.cuts.filter((c) => c > start).map((c) => c - start);
      return;
    }
    // An empty line (or the empty piece between a CR and its LF) holds no lead, as for the reader.
    if (end > start) {
      if (!isPlainRecord(text, start)) {
        handOver(state, fields, text, start);
        return;
      }
      if (state.header === undefined) state.header = text.slice(start, end);
      else state.leads++;
    }
    if (end >= text.length) {
      state.pending = '';
      state.cuts = [];
      return;
    }
    start = end + 1;
  }
}

/**
 * Counts the leads of a CSV file as the lead reader would (rows and bad rows), without reading their cells:
 * while every line is one plain record (see isPlainRecord), a lead is a line that is not empty, after the
 * header. At the first line that is not, the reader takes over from that line, with the header, so quoted
 * line breaks, unclosed quotes and the rows read again after them are counted exactly as the run finds them.
 */
export function createCsvLineCounter(fields: FieldCatalog): { push(chunk: string): void; end(): number } {
  const state: LineCount = { header: undefined, leads: 0, pending: '', cuts: [], started: false, reader: undefined };
  return {
    push(chunk) {
      if (state.reader) {
        state.reader.push(chunk);
        return;
      }
      if (state.pending !== '') state.cuts.push(state.pending.length);
      let text = state.pending + chunk;
      // A byte-order mark opens the file only; the reader drops it there.
      if (!state.started && text !== '') {
        state.started = true;
        if (text.charCodeAt(0) === BOM) text = text.slice(1);
      }
      countLines(state, fields, text, false);
    },
    end() {
      if (!state.reader) countLines(state, fields, state.pending, true);
      return state.reader ? state.leads + state.reader.end() : state.leads;
    },
  };
}
