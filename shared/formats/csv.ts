/**
 * CSV reading (RFC 4180) for lead files: quoted fields with embedded commas, quotes and line breaks,
 * CRLF / LF / CR line ends, a leading byte-order mark. The first non-blank record is the header.
 *
 * Bad input never stops the reader: a row that cannot be trusted (wrong cell count, stray characters
 * after a closing quote, an unterminated quote, text that was not valid UTF-8) is reported with the
 * line it starts on and left out of the rows, so callers can skip it or stop on it as they choose.
 * Duplicate or empty header names are reported too; the rows still come through.
 */

export interface CsvRow {
  /** 1-based physical line the record starts on (a quoted field may span several lines). */
  line: number;
  cells: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

export interface CsvParseResult {
  headers: string[];
  rows: CsvRow[];
  problems: CsvProblem[];
}

export interface CsvParserOptions {
  /** Called once with the header record (trimmed names) and its line. */
  onHeaders?: (headers: string[], line: number) => void;
}

export interface CsvParser {
  /** Feed the next piece of text; chunks may split anywhere, even inside a CRLF or a quoted field. */
  push(chunk: string): void;
  /** Flush the last record and report an unterminated quote, if any. */
  end(): void;
  /** The header names once the header record has been read. */
  headers(): string[] | undefined;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;
/** What a decoder puts in place of bytes that were not valid UTF-8. */
const REPLACEMENT = '\uFFFD';

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
type RecordSink = (
  line: number,
  cells: string[],
  fault: string | undefined,
  quoted: boolean,
  lastLine: number,
) => boolean;

/** Splits text into records; knows nothing about headers. */
function createRecordReader(emit: RecordSink): { push(chunk: string): void; end(): void } {
  let state = FIELD_START;
  let cells: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quotedFieldLine = 1;
  let fault: string | undefined;
  let sawQuote = false;
  let skipLf = false;
  let crInQuotes = false;
  let started = false;
  /** The text of the current record after its first line, kept only once a quoted field crosses a line end. */
  let replay: string | undefined;
  let replayLine = 0;
  /** The kept text began right after a CR whose LF, if any, comes in the next chunk. */
  let replayAfterCr = false;

  /** Ends the record; answers the text to read again (the record's lines after its first) when it was refused. */
  const endRecord = (): { text: string; line: number } | undefined => {
    cells.push(field);
    const again = emit(recordLine, cells, fault, sawQuote, line);
    const text = replay;
    replay = undefined;
    cells = [];
    field = '';
    fault = undefined;
    sawQuote = false;
    state = FIELD_START;
    return again && text !== undefined ? { text, line: replayLine } : undefined;
  };

  /** Reads a refused record's later lines again from a clean state, as if they came next in the file. */
  const reread = (again: { text: string; line: number }, push: (chunk: string) => void): void => {
    line = again.line;
    recordLine = again.line;
    skipLf = false;
    crInQuotes = false;
    const text = replayAfterCr && again.text.charCodeAt(0) === LF ? again.text.slice(1) : again.text;
    replayAfterCr = false;
    push(text);
  };

  const reader = {
    push(chunk: string): void {
      const n = chunk.length;
      if (n === 0) return;
      let i = 0;
      if (!started) {
        started = true;
        if (chunk.charCodeAt(0) === BOM) i = 1;
      }
      let mark = i;
      let replayMark = i;
      while (i < n) {
        const c = chunk.charCodeAt(i);
        if (skipLf) {
          skipLf = false;
          if (c === LF) {
            i++;
            mark = i;
            continue;
          }
        }
        if (state === QUOTED) {
          if (c === QUOTE) {
            field += chunk.slice(mark, i);
            state = QUOTE_SEEN;
            crInQuotes = false;
            i++;
            mark = i;
            continue;
          }
          // Line breaks inside quotes still advance the line count users see in their editor.
          if (c === CR) {
            line++;
            crInQuotes = true;
          } else {
            if (c === LF && !crInQuotes) line++;
            crInQuotes = false;
          }
          i++;
          // The record now spans lines: keep its text from the next line on, in case it must be read again.
          if ((c === LF || c === CR) && replay === undefined) {
            replay = '';
            replayLine = line;
            replayMark = c === CR && chunk.charCodeAt(i) === LF ? i + 1 : i;
            replayAfterCr = c === CR && i === n;
          }
          continue;
        }
        if (state === QUOTE_SEEN) {
          if (c === QUOTE) {
            field += '"';
            state = QUOTED;
            i++;
            mark = i;
            continue;
          }
          state = UNQUOTED;
          mark = i;
          if (c !== COMMA && c !== LF && c !== CR) {
            fault ??= `unexpected character after the closing quote in column ${cells.length + 1}`;
          }
          continue;
        }
        // FIELD_START or UNQUOTED
        if (c === COMMA) {
          field += chunk.slice(mark, i);
          cells.push(field);
          field = '';
          state = FIELD_START;
          i++;
          mark = i;
        } else if (c === LF || c === CR) {
          field += chunk.slice(mark, i);
          const pending = replay !== undefined ? replay + chunk.slice(replayMark, i + 1) : undefined;
          if (pending !== undefined) replay = pending;
          const again = endRecord();
          line++;
          recordLine = line;
          if (c === CR) skipLf = true;
          i++;
          if (again) {
            // The refused record's line end is part of the text read again; a CRLF's LF follows it here.
            if (c === CR && chunk.charCodeAt(i) === LF) {
              again.text += '\n';
              i++;
            }
            reread(again, reader.push);
            skipLf = false;
          }
          mark = i;
        } else if (c === QUOTE && state === FIELD_START) {
          state = QUOTED;
          sawQuote = true;
          quotedFieldLine = line;
          i++;
          mark = i;
        } else {
          // A quote in the middle of an unquoted field is kept as is, as spreadsheets do.
          state = UNQUOTED;
          i++;
        }
      }
      field += chunk.slice(mark, n);
      if (replay !== undefined) replay += chunk.slice(replayMark, n);
    },
    end(): void {
      if (state === QUOTED) {
        // A file that ends with a line break has no text on the line after it.
        const last = field.endsWith('\n') || field.endsWith('\r') ? line - 1 : line;
        fault ??=
          last > quotedFieldLine
            ? `unclosed quote: the quoted field starting on line ${quotedFieldLine} ran to the end of the file, swallowing lines ${quotedFieldLine}–${last}; the lines after ${quotedFieldLine} are read again`
            : `unterminated quoted field starting on line ${quotedFieldLine}`;
        const again = endRecord();
        if (again) {
          reread(again, reader.push);
          reader.end();
        }
        return;
      }
      if (cells.length > 0 || field !== '' || sawQuote) {
        const again = endRecord();
        if (again) {
          reread(again, reader.push);
          reader.end();
        }
      }
    },
  };
  return reader;
}

/**
 * Streaming reader: `onRow` receives each well-formed data row, `onProblem` each reported problem,
 * in file order. Memory stays bounded by the longest record, whatever the file size.
 */
export function createCsvParser(
  onRow: (row: CsvRow) => void,
  onProblem?: (problem: CsvProblem) => void,
  options: CsvParserOptions = {},
): CsvParser {
  let headers: string[] | undefined;
  const report = (line: number, message: string): void => onProblem?.({ line, message });
  const columnName = (index: number): string =>
    headers !== undefined && headers[index] ? `"${headers[index]}"` : String(index + 1);

  const reader = createRecordReader((line, cells, fault, quoted, lastLine) => {
    // Blank lines carry no lead; exports often end with several.
    if (cells.length === 1 && cells[0] === '' && !quoted) return false;
    // A quoted field that crossed line ends and left a record that does not fit was, most likely, an
    // unclosed quote: report the lines it swallowed and read them again rather than lose them.
    const swallowed = headers !== undefined && quoted && lastLine > line;
    if (headers === undefined) {
      headers = cells.map((cell) => cell.trim());
      if (fault) report(line, `header: ${fault}`);
      const seen = new Map<string, number>();
      headers.forEach((name, index) => {
        if (name === '') {
          report(line, `header: column ${index + 1} has no name`);
          return;
        }
        if (name.includes(REPLACEMENT)) report(line, `header: column ${index + 1} is not valid UTF-8 text`);
        const key = name.toLowerCase();
        const first = seen.get(key);
        if (first === undefined) seen.set(key, index);
        else report(line, `header: duplicate column "${name}" (columns ${first + 1} and ${index + 1})`);
      });
      options.onHeaders?.(headers, line);
      return false;
    }
    if (fault) {
      if (swallowed && !fault.startsWith('unclosed quote')) {
        report(
          line,
          `unclosed quote? the row starting on line ${line} ran on through line ${lastLine} (${fault}); the lines after ${line} are read again`,
        );
        return true;
      }
      report(line, fault);
      return swallowed;
    }
    if (cells.length !== headers.length) {
      const what = cells.length < headers.length ? 'missing columns' : 'too many cells';
      if (swallowed) {
        report(
          line,
          `unclosed quote? the row starting on line ${line} ran on through line ${lastLine} (${what}: expected ${headers.length} cells, found ${cells.length}); the lines after ${line} are read again`,
        );
        return true;
      }
      report(line, `${what}: expected ${headers.length} cells, found ${cells.length}`);
      return false;
    }
    const badCell = cells.findIndex((cell) => cell.includes(REPLACEMENT));
    if (badCell >= 0) {
      report(line, `column ${columnName(badCell)} is not valid UTF-8 text (bad encoding?)`);
      return false;
    }
    onRow({ line, cells });
    return false;
  });

  return {
    push: (chunk) => reader.push(chunk),
    end: () => reader.end(),
    headers: () => headers,
  };
}

/** Reads a whole CSV text at once. An empty text gives no headers and no rows. */
export function parseCsv(text: string): CsvParseResult {
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  const parser = createCsvParser(
    (row) => rows.push(row),
    (problem) => problems.push(problem),
  );
  parser.push(text);
  parser.end();
  return { headers: parser.headers() ?? [], rows, problems };
}
