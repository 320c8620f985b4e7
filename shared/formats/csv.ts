/**
 * CSV reading (RFC 4180) for lead files: quoted fields with embedded commas, quotes and line breaks,
 * CRLF / LF / CR line ends, a leading byte-order mark. The first non-blank record is the header.
 *
 * Bad input never stops the reader: a row that cannot be trusted (wrong cell count, stray characters
 * after a closing quote, an unterminated quote, text that was not valid UTF-8) is reported with the
 * line it starts on and left out of the rows, so callers can skip it or stop on it as they choose.
 * Duplicate or empty header names are reported too; the rows still come through.
 */

import { fieldText, lastCharacter, RecordReader, type RecordSink } from './csv-records';

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
  /**
   * For counting rows: each cell holds only its last character (a blank line, a cell count and every line
   * rule come out the same), so a count copies no text. Rows and headers are then not for reading.
   */
  countOnly?: boolean;
}

export interface CsvParser {
  /** Feed the next piece of text; chunks may split anywhere, even inside a CRLF or a quoted field. */
  push(chunk: string): void;
  /** Flush the last record and report an unterminated quote, if any. */
  end(): void;
  /** The header names once the header record has been read. */
  headers(): string[] | undefined;
}

/** What a decoder puts in place of bytes that were not valid UTF-8. */
const REPLACEMENT = '\uFFFD';

type Report = (line: number, message: string) => void;

/** A record as the record reader hands it over (see RecordSink). */
interface RawRecord {
  line: number;
  cells: string[];
  fault: string | undefined;
  quoted: boolean;
  lastLine: number;
}

/** The header record's names, trimmed; an empty, undecodable or repeated name is reported. */
function readHeaders(record: RawRecord, report: Report): string[] {
  const { line } = record;
  const headers = record.cells.map((cell) => cell.trim());
  if (record.fault) report(line, `header: ${record.fault}`);
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
  return headers;
}

/**
 * A data record: a row when it fits the header, else a reported problem. Answers true when the record
 * is to be read again from its second line (see RecordSink).
 */
function checkRow(
  record: RawRecord,
  headers: string[],
  report: Report,
  onRow: (row: CsvRow) => void,
  mayBeUndecodable: boolean,
): boolean {
  const { line, cells, fault, lastLine } = record;
  // A quoted field that crossed line ends and left a record that does not fit was, most likely, an
  // unclosed quote: report the lines it swallowed and read them again rather than lose them.
  const swallowed = record.quoted && lastLine > line;
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
  const badCell = mayBeUndecodable ? cells.findIndex((cell) => cell.includes(REPLACEMENT)) : -1;
  if (badCell >= 0) {
    const column = headers[badCell] ? `"${headers[badCell]}"` : String(badCell + 1);
    report(line, `column ${column} is not valid UTF-8 text (bad encoding?)`);
    return false;
  }
  onRow({ line, cells });
  return false;
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
  // Set once a chunk holds a replacement character: until then no cell can, and none is searched.
  let mayBeUndecodable = false;
  const report: Report = (line, message) => onProblem?.({ line, message });
  const sink: RecordSink = (line, cells, fault, quoted, lastLine) => {
    // Blank lines carry no lead; exports often end with several.
    if (cells.length === 1 && cells[0] === '' && !quoted) return false;
    const record = { line, cells, fault, quoted, lastLine };
    if (headers !== undefined) return checkRow(record, headers, report, onRow, mayBeUndecodable);
    headers = readHeaders(record, report);
    options.onHeaders?.(headers, line);
    return false;
  };
  const reader = new RecordReader(sink, options.countOnly === true ? lastCharacter : fieldText);

  return {
    push: (chunk) => {
      if (!mayBeUndecodable && chunk.includes(REPLACEMENT)) mayBeUndecodable = true;
      reader.push(chunk);
    },
    end: () => {
      reader.end();
    },
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
