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

type RecordSink = (line: number, cells: string[], fault: string | undefined, quoted: boolean) => void;

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

  const endRecord = (): void => {
    cells.push(field);
    emit(recordLine, cells, fault, sawQuote);
    cells = [];
    field = '';
    fault = undefined;
    sawQuote = false;
    state = FIELD_START;
  };

  return {
    push(chunk: string): void {
      const n = chunk.length;
      if (n === 0) return;
      let i = 0;
      if (!started) {
        started = true;
        if (chunk.charCodeAt(0) === BOM) i = 1;
      }
      let mark = i;
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
          endRecord();
          line++;
          recordLine = line;
          if (c === CR) skipLf = true;
          i++;
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
    },
    end(): void {
      if (state === QUOTED) {
        fault ??= `unterminated quoted field starting on line ${quotedFieldLine}`;
        endRecord();
        return;
      }
      if (cells.length > 0 || field !== '' || sawQuote) endRecord();
    },
  };
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

  const reader = createRecordReader((line, cells, fault, quoted) => {
    // Blank lines carry no lead; exports often end with several.
    if (cells.length === 1 && cells[0] === '' && !quoted) return;
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
      return;
    }
    if (fault) {
      report(line, fault);
      return;
    }
    if (cells.length !== headers.length) {
      const what = cells.length < headers.length ? 'missing columns' : 'too many cells';
      report(line, `${what}: expected ${headers.length} cells, found ${cells.length}`);
      return;
    }
    const badCell = cells.findIndex((cell) => cell.includes(REPLACEMENT));
    if (badCell >= 0) {
      report(line, `column ${columnName(badCell)} is not valid UTF-8 text (bad encoding?)`);
      return;
    }
    onRow({ line, cells });
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
