/**
 * TEST ORACLE: the CSV record reader as it was before it scanned with indexOf (one method call per
 * character), kept to check the new reader against (test/shared/formats/csv-records-diff.test.ts). Two
 * fixes are applied here as in the new reader, marked where they are: reading a refused record again
 * no longer loops forever, and a CRLF split between chunks after one is one line end.
 *
 * The record layer of CSV reading: splits text into records (cells), whatever the chunks, and knows
 * nothing about headers. Quoted fields may hold commas, quotes and line breaks; line ends are CRLF, LF or
 * CR; a leading byte-order mark is dropped.
 */

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

/**
 * Receives each record. `lastLine` is the line the record ended on; when a record that ran over
 * several lines is refused (answer true), the reader reads its lines after the first again as
 * records of their own: an unclosed quote swallows the lines after it, and this is how the reader
 * finds its feet again at the next line that parses.
 */
export type RecordSink = (
  line: number,
  cells: string[],
  fault: string | undefined,
  quoted: boolean,
  lastLine: number,
) => boolean;

/** A refused record's lines after its first, to be read again, and the line they start on. */
interface Reread {
  text: string;
  line: number;
}

/**
 * Where the reading of one chunk stands: the character at `i`, the field's text not yet copied from
 * `mark` on, and the kept text (see `replay`) not yet copied from `replayMark` on. One per `push`, so a
 * record read again (a nested push) has its own.
 */
interface Scan {
  chunk: string;
  i: number;
  mark: number;
  replayMark: number;
}

/** Splits text into records; each record goes to the sink as soon as its line end is read. */
export class RecordReader {
  private state = FIELD_START;
  private cells: string[] = [];
  private field = '';
  private line = 1;
  private recordLine = 1;
  private quotedFieldLine = 1;
  private fault: string | undefined;
  private sawQuote = false;
  private skipLf = false;
  private crInQuotes = false;
  private started = false;
  /** The text of the current record after its first line, kept only once a quoted field crosses a line end. */
  private replay: string | undefined;
  private replayLine = 0;
  /** The kept text began right after a CR whose LF, if any, comes in the next chunk. */
  private replayAfterCr = false;

  constructor(private readonly emit: RecordSink) {}

  /** Reads the next piece of text; chunks may split anywhere, even inside a CRLF or a quoted field. */
  push(chunk: string): void {
    const n = chunk.length;
    if (n === 0) return;
    let start = 0;
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === BOM) start = 1;
    }
    const scan: Scan = { chunk, i: start, mark: start, replayMark: start };
    while (scan.i < n) {
      const c = chunk.charCodeAt(scan.i);
      if (this.skipLf) {
        this.skipLf = false;
        if (c === LF) {
          scan.i++;
          scan.mark = scan.i;
          continue;
        }
      }
      if (this.state === QUOTED) this.readQuoted(scan, c);
      else if (this.state === QUOTE_SEEN) this.readAfterQuote(scan, c);
      else this.readUnquoted(scan, c);
    }
    this.field += chunk.slice(scan.mark, n);
    if (this.replay !== undefined) this.replay += chunk.slice(scan.replayMark, n);
  }

  /** Ends the last record and reports an unterminated quote, if any. */
  end(): void {
    if (this.state === QUOTED) {
      // A file that ends with a line break has no text on the line after it.
      const last = this.field.endsWith('\n') || this.field.endsWith('\r') ? this.line - 1 : this.line;
      const from = this.quotedFieldLine;
      this.fault ??=
        last > from
          ? `unclosed quote: the quoted field starting on line ${from} ran to the end of the file, swallowing lines ${from}–${last}; the lines after ${from} are read again`
          : `unterminated quoted field starting on line ${from}`;
      this.endLastRecord();
      return;
    }
    if (this.cells.length > 0 || this.field !== '' || this.sawQuote) this.endLastRecord();
  }

  /** Inside quotes: a quote may close the field; anything else, line breaks too, is the field's text. */
  private readQuoted(scan: Scan, c: number): void {
    if (c === QUOTE) {
      this.field += scan.chunk.slice(scan.mark, scan.i);
      this.state = QUOTE_SEEN;
      this.crInQuotes = false;
      scan.i++;
      scan.mark = scan.i;
      return;
    }
    // Line breaks inside quotes still advance the line count users see in their editor.
    if (c === CR) {
      this.line++;
      this.crInQuotes = true;
    } else {
      if (c === LF && !this.crInQuotes) this.line++;
      this.crInQuotes = false;
    }
    scan.i++;
    // The record now spans lines: keep its text from the next line on, in case it must be read again.
    if ((c === LF || c === CR) && this.replay === undefined) {
      this.replay = '';
      this.replayLine = this.line;
      scan.replayMark = c === CR && scan.chunk.charCodeAt(scan.i) === LF ? scan.i + 1 : scan.i;
      this.replayAfterCr = c === CR && scan.i === scan.chunk.length;
    }
  }

  /** After a quote inside quotes: a second quote is a literal one; anything else closed the field. */
  private readAfterQuote(scan: Scan, c: number): void {
    if (c === QUOTE) {
      this.field += '"';
      this.state = QUOTED;
      scan.i++;
      scan.mark = scan.i;
      return;
    }
    this.state = UNQUOTED;
    scan.mark = scan.i;
    if (c !== COMMA && c !== LF && c !== CR) {
      this.fault ??= `unexpected character after the closing quote in column ${this.cells.length + 1}`;
    }
  }

  /** At a field's start or inside an unquoted field: a comma ends the field, a line end the record. */
  private readUnquoted(scan: Scan, c: number): void {
    if (c === COMMA) {
      this.field += scan.chunk.slice(scan.mark, scan.i);
      this.cells.push(this.field);
      this.field = '';
      this.state = FIELD_START;
      scan.i++;
      scan.mark = scan.i;
    } else if (c === LF || c === CR) {
      this.readLineEnd(scan, c);
    } else if (c === QUOTE && this.state === FIELD_START) {
      this.state = QUOTED;
      this.sawQuote = true;
      this.quotedFieldLine = this.line;
      scan.i++;
      scan.mark = scan.i;
    } else {
      // A quote in the middle of an unquoted field is kept as is, as spreadsheets do.
      this.state = UNQUOTED;
      scan.i++;
    }
  }

  /** A line end outside quotes: the record ends; a refused one's later lines are read again at once. */
  private readLineEnd(scan: Scan, c: number): void {
    const { chunk } = scan;
    this.field += chunk.slice(scan.mark, scan.i);
    if (this.replay !== undefined) this.replay += chunk.slice(scan.replayMark, scan.i + 1);
    const again = this.endRecord();
    this.line++;
    this.recordLine = this.line;
    if (c === CR) this.skipLf = true;
    scan.i++;
    if (again) {
      // The refused record's line end is part of the text read again; a CRLF's LF follows it here.
      if (c === CR && chunk.charCodeAt(scan.i) === LF) {
        again.text += '\n';
        scan.i++;
      }
      // A CR that ended this chunk leaves the reader that read the record again waiting for its LF
      // (skipLf), which the next chunk may bring: it is the same line end, not a blank line.
      this.reread(again);
      // What the record read again left open goes on with this chunk's text from here, not from where
      // the refused record's kept text began (that text was just read again: keeping it too looped forever).
      scan.replayMark = scan.i;
    }
    scan.mark = scan.i;
  }

  /** Ends the record; answers the text to read again (the record's lines after its first) when it was refused. */
  private endRecord(): Reread | undefined {
    this.cells.push(this.field);
    const again = this.emit(this.recordLine, this.cells, this.fault, this.sawQuote, this.line);
    const text = this.replay;
    this.replay = undefined;
    this.cells = [];
    this.field = '';
    this.fault = undefined;
    this.sawQuote = false;
    this.state = FIELD_START;
    return again && text !== undefined ? { text, line: this.replayLine } : undefined;
  }

  /** The record at the end of the text; when refused, its later lines are read again up to their end. */
  private endLastRecord(): void {
    const again = this.endRecord();
    if (again) {
      this.reread(again);
      this.end();
    }
  }

  /** Reads a refused record's later lines again from a clean state, as if they came next in the file. */
  private reread(again: Reread): void {
    this.line = again.line;
    this.recordLine = again.line;
    this.skipLf = false;
    this.crInQuotes = false;
    const text = this.replayAfterCr && again.text.charCodeAt(0) === LF ? again.text.slice(1) : again.text;
    this.replayAfterCr = false;
    this.push(text);
  }
}
