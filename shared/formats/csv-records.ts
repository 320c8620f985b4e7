/**
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

/** A field's text so far, grown by `chunk` from `from` to `to`. */
export type FieldText = (field: string, chunk: string, from: number, to: number) => string;

/** The whole text of every field: what a reader hands on. */
export const fieldText: FieldText = (field, chunk, from, to) => field + chunk.slice(from, to);

/**
 * Only the last character of every field (or nothing, for an empty one), for a counter: the record rules
 * look at no more than that (a field is empty or not; a last record ended with a line break or not), so the
 * records and lines come out the same, and a count allocates no copy of the text.
 */
export const lastCharacter: FieldText = (field, chunk, from, to) => (to > from ? chunk.charAt(to - 1) : field);

/** A refused record's lines after its first, to be read again, and the line they start on. */
interface Reread {
  text: string;
  line: number;
}

/**
 * Where the reading of one chunk stands: the character at `i`, the field's text not yet copied from
 * `mark` on, and the kept text (see `replay`) not yet copied from `replayMark` on. One per `push`, so a
 * record read again (a nested push) has its own.
 *
 * `quote`, `comma`, `lf` and `cr` are where the next such character is at or after `i` (the chunk's
 * length when there is none), found with `indexOf` only once `i` has passed the one found before: each
 * is searched for once per occurrence, and the text between them is copied with one `slice` per field
 * instead of being looked at character by character.
 */
interface Scan {
  chunk: string;
  i: number;
  mark: number;
  replayMark: number;
  quote: number;
  comma: number;
  lf: number;
  cr: number;
}

/** Where `char` next occurs at or after `from`; the chunk's length when it does not. */
function find(chunk: string, char: string, from: number): number {
  const at = chunk.indexOf(char, from);
  return at < 0 ? chunk.length : at;
}

function nextQuote(scan: Scan): number {
  if (scan.quote < scan.i) scan.quote = find(scan.chunk, '"', scan.i);
  return scan.quote;
}

/** The next line break at or after `i`, CR or LF. */
function nextLineBreak(scan: Scan): number {
  if (scan.lf < scan.i) scan.lf = find(scan.chunk, '\n', scan.i);
  if (scan.cr < scan.i) scan.cr = find(scan.chunk, '\r', scan.i);
  return scan.lf < scan.cr ? scan.lf : scan.cr;
}

/** The end of an unquoted field's text at or after `i`: a comma or a line break. */
function nextFieldEnd(scan: Scan): number {
  if (scan.comma < scan.i) scan.comma = find(scan.chunk, ',', scan.i);
  const lineBreak = nextLineBreak(scan);
  return scan.comma < lineBreak ? scan.comma : lineBreak;
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

  /** `grow` is how a field's text grows: `fieldText` for readers, `lastCharacter` for counters. */
  constructor(
    private readonly emit: RecordSink,
    private readonly grow: FieldText = fieldText,
  ) {}

  /** Reads the next piece of text; chunks may split anywhere, even inside a CRLF or a quoted field. */
  push(chunk: string): void {
    const n = chunk.length;
    if (n === 0) return;
    let start = 0;
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === BOM) start = 1;
    }
    const scan: Scan = { chunk, i: start, mark: start, replayMark: start, quote: -1, comma: -1, lf: -1, cr: -1 };
    while (scan.i < n) {
      if (this.skipLf) {
        this.skipLf = false;
        if (chunk.charCodeAt(scan.i) === LF) {
          scan.i++;
          scan.mark = scan.i;
          continue;
        }
      }
      if (this.state === QUOTED) this.readQuoted(scan);
      else if (this.state === QUOTE_SEEN) this.readAfterQuote(scan, chunk.charCodeAt(scan.i));
      else this.readUnquoted(scan);
    }
    this.field = this.grow(this.field, chunk, scan.mark, n);
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

  /**
   * Inside quotes: everything up to the next quote (in this chunk) is the field's text, line breaks
   * too; the quote may close the field. A run of quoted fields (`"a","b","c"`) is read here in one go.
   */
  private readQuoted(scan: Scan): void {
    const { chunk } = scan;
    for (;;) {
      const quote = nextQuote(scan);
      if (nextLineBreak(scan) < quote) this.countQuotedLines(scan, quote);
      else if (quote > scan.i) this.crInQuotes = false;
      if (quote === chunk.length) {
        scan.i = quote;
        return;
      }
      this.crInQuotes = false;
      // Most quoted fields end with a quote and a comma, and the next one opens with a quote.
      const after = quote + 2;
      if (after >= chunk.length || chunk.charCodeAt(quote + 1) !== COMMA) break;
      this.cells.push(this.grow(this.field, chunk, scan.mark, quote));
      this.field = '';
      if (chunk.charCodeAt(after) !== QUOTE) {
        this.state = FIELD_START;
        scan.i = after;
        scan.mark = after;
        return;
      }
      this.quotedFieldLine = this.line;
      scan.i = after + 1;
      scan.mark = scan.i;
    }
    const quote = scan.quote;
    this.field = this.grow(this.field, chunk, scan.mark, quote);
    this.state = QUOTE_SEEN;
    scan.i = quote + 1;
    scan.mark = scan.i;
  }

  /**
   * Line breaks inside quotes, from `i` up to `stop`: they still advance the line count users see in
   * their editor (a CRLF counts once, even split between chunks).
   */
  private countQuotedLines(scan: Scan, stop: number): void {
    const { chunk } = scan;
    let afterCr = this.crInQuotes;
    for (let i = scan.i; i < stop; i++) {
      const c = chunk.charCodeAt(i);
      if (c !== CR && c !== LF) {
        afterCr = false;
        continue;
      }
      if (c === CR || !afterCr) this.line++;
      afterCr = c === CR;
      // The record now spans lines: keep its text from the next line on, in case it must be read again.
      if (this.replay === undefined) {
        this.replay = '';
        this.replayLine = this.line;
        scan.replayMark = c === CR && chunk.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
        this.replayAfterCr = c === CR && i + 1 === chunk.length;
      }
    }
    this.crInQuotes = afterCr;
  }

  /** After a quote inside quotes: a second quote is a literal one; anything else closed the field. */
  private readAfterQuote(scan: Scan, c: number): void {
    if (c === QUOTE) {
      this.field = this.grow(this.field, '"', 0, 1);
      this.state = QUOTED;
      scan.i++;
      scan.mark = scan.i;
      return;
    }
    this.state = UNQUOTED;
    scan.mark = scan.i;
    if (c === LF || c === CR) this.readLineEnd(scan, c);
    else if (c !== COMMA) {
      this.fault ??= `unexpected character after the closing quote in column ${this.cells.length + 1}`;
    }
  }

  /**
   * At a field's start or inside an unquoted field: a quote at the start opens a quoted field; the
   * text up to the next comma (the field ends) or line end (the record ends) is the field's.
   */
  private readUnquoted(scan: Scan): void {
    const { chunk } = scan;
    if (this.state === FIELD_START && chunk.charCodeAt(scan.i) === QUOTE) {
      this.state = QUOTED;
      this.sawQuote = true;
      this.quotedFieldLine = this.line;
      scan.i++;
      scan.mark = scan.i;
      return;
    }
    const end = nextFieldEnd(scan);
    // A quote in the middle of an unquoted field is kept as is, as spreadsheets do.
    if (end > scan.i) this.state = UNQUOTED;
    scan.i = end;
    if (end === chunk.length) return;
    const c = chunk.charCodeAt(end);
    if (c !== COMMA) {
      this.readLineEnd(scan, c);
      return;
    }
    this.field = this.grow(this.field, chunk, scan.mark, end);
    this.cells.push(this.field);
    this.field = '';
    this.state = FIELD_START;
    scan.i = end + 1;
    scan.mark = scan.i;
  }

  /** A line end outside quotes: the record ends; a refused one's later lines are read again at once. */
  private readLineEnd(scan: Scan, c: number): void {
    const { chunk } = scan;
    this.field = this.grow(this.field, chunk, scan.mark, scan.i);
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
