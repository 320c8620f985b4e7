import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseCsv, createCsvParser, type CsvRow, type CsvProblem } from '@shared/formats/csv';

function streamed(text: string, cuts: number[]): { headers: string[]; rows: CsvRow[]; problems: CsvProblem[] } {
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  const parser = createCsvParser(
    (row) => rows.push(row),
    (problem) => problems.push(problem),
  );
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.push(text.slice(at, cut));
    at = cut;
  }
  parser.push(text.slice(at));
  parser.end();
  return { headers: parser.headers() ?? [], rows, problems };
}

describe('parseCsv', () => {
  it('reads headers and rows with their lines', () => {
    const result = parseCsv('Email Address,First Name\na@x.com,Ann\nb@x.com,Bob\n');
    expect(result.headers).toEqual(['Email Address', 'First Name']);
    expect(result.rows).toEqual([
      { line: 2, cells: ['a@x.com', 'Ann'] },
      { line: 3, cells: ['b@x.com', 'Bob'] },
    ]);
    expect(result.problems).toEqual([]);
  });

  it('handles quotes, escaped quotes, commas and line breaks inside quotes, CRLF and a BOM', () => {
    const text =
      '\uFEFFEmail,Company,Note\r\na@x.com,"Jack & Jill, Inc.","He said ""hi""\r\nsecond line"\r\nb@x.com,Plain,\r\n';
    const result = parseCsv(text);
    expect(result.headers).toEqual(['Email', 'Company', 'Note']);
    expect(result.rows).toEqual([
      { line: 2, cells: ['a@x.com', 'Jack & Jill, Inc.', 'He said "hi"\r\nsecond line'] },
      { line: 4, cells: ['b@x.com', 'Plain', ''] },
    ]);
    expect(result.problems).toEqual([]);
  });

  it('reads bare CR line ends and keeps emoji intact', () => {
    const result = parseCsv('Email,Name\ra@x.com,Zoë 🎉\r');
    expect(result.rows).toEqual([{ line: 2, cells: ['a@x.com', 'Zoë 🎉'] }]);
  });

  it('reports ragged rows by line and leaves them out', () => {
    const result = parseCsv('Email,Name,Phone\na@x.com,Ann\nb@x.com,Bob,1,extra\nc@x.com,Cy,2\n');
    expect(result.rows.map((row) => row.line)).toEqual([4]);
    expect(result.problems).toEqual([
      { line: 2, message: 'missing columns: expected 3 cells, found 2' },
      { line: 3, message: 'too many cells: expected 3 cells, found 4' },
    ]);
  });

  it('reports duplicate and empty header names but keeps the rows', () => {
    const result = parseCsv('Email,email,,Name\na,b,c,d\n');
    expect(result.problems).toEqual([
      { line: 1, message: 'header: duplicate column "email" (columns 1 and 2)' },
      { line: 1, message: 'header: column 3 has no name' },
    ]);
    expect(result.rows).toHaveLength(1);
  });

  it('reports bad encodings, stray characters after quotes and unterminated quotes', () => {
    const result = parseCsv(
      'Email,Name\na@x.com,Ren\uFFFDe\nb@x.com,"Bob"x\nc@x.com,ok\nd@x.com,"never closed\nmore\n',
    );
    expect(result.rows).toEqual([{ line: 4, cells: ['c@x.com', 'ok'] }]);
    expect(result.problems).toEqual([
      { line: 2, message: 'column "Name" is not valid UTF-8 text (bad encoding?)' },
      { line: 3, message: 'unexpected character after the closing quote in column 2' },
      {
        line: 5,
        message:
          'unclosed quote: the quoted field starting on line 5 ran to the end of the file, swallowing lines 5–6; the lines after 5 are read again',
      },
      { line: 6, message: 'missing columns: expected 2 cells, found 1' },
    ]);
  });

  it('reports the lines an unclosed quote swallowed and reads them again, so every line is accounted for', () => {
    const lines = ['Email Address,Last Name,Company Name'];
    for (let i = 2; i <= 51; i++)
      lines.push(
        i === 22 ? '"Unclosed quote,Smith,Acme' : i === 30 ? `a${i}@x.com,"Smith, Jr",Acme` : `a${i}@x.com,Smith,Acme`,
      );
    for (const eol of ['\n', '\r\n', '\r']) {
      const result = parseCsv(`${lines.join(eol)}${eol}`);
      expect(result.rows.map((r) => r.line)).toEqual(
        Array.from({ length: 50 }, (_, k) => k + 2).filter((n) => n !== 22),
      );
      expect(result.rows.find((r) => r.line === 30)?.cells).toEqual(['a30@x.com', 'Smith, Jr', 'Acme']);
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]?.line).toBe(22);
      expect(result.problems[0]?.message).toMatch(
        /unclosed quote\? the row starting on line 22 ran on through line 30/,
      );
    }
    // At the end of the file too, and whatever the chunk boundaries.
    const clean = lines.map((l, k) => (k === 21 ? `a${k + 1}@x.com,Smith,Acme` : l));
    const tail = `${clean.slice(0, 45).join('\n')}\n"open,Smith,Acme\na1@x.com,B,C\na2@x.com,B,C\n`;
    const whole = parseCsv(tail);
    expect(whole.rows).toHaveLength(46);
    expect(whole.problems.map((p) => p.line)).toEqual([46]);
    expect(whole.problems[0]?.message).toMatch(/swallowing lines 46–48/);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: tail.length }), { maxLength: 6 }), (cuts) => {
        expect(streamed(tail, cuts)).toEqual(whole);
      }),
    );
  });

  it('keeps a well-formed quoted field that spans lines as one row', () => {
    const result = parseCsv('Email,Note\na@x.com,"two\nlines"\nb@x.com,x\n');
    expect(result.rows).toEqual([
      { line: 2, cells: ['a@x.com', 'two\nlines'] },
      { line: 4, cells: ['b@x.com', 'x'] },
    ]);
    expect(result.problems).toEqual([]);
  });

  it('skips blank lines and gives nothing for an empty text', () => {
    expect(parseCsv('')).toEqual({ headers: [], rows: [], problems: [] });
    const result = parseCsv('\nEmail\n\na@x.com\n\n\n');
    expect(result.headers).toEqual(['Email']);
    expect(result.rows).toEqual([{ line: 4, cells: ['a@x.com'] }]);
  });

  it('keeps a quoted empty value in a one-column file', () => {
    expect(parseCsv('Email\n""\n').rows).toEqual([{ line: 2, cells: [''] }]);
  });
});

describe('createCsvParser', () => {
  it('gives the same result whatever the chunk boundaries', () => {
    const text = '\uFEFFEmail,Company\r\n"a@x.com","A ""quoted"" co\r\nline"\r\nb@x.com,B\r\nc,\r\nd@x.com,"x"y\r\n';
    const whole = parseCsv(text);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 8 }), (cuts) => {
        expect(streamed(text, cuts)).toEqual(whole);
      }),
    );
  });

  it('round-trips any table written with RFC 4180 quoting', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é', '😀'), maxLength: 6 });
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((width) =>
            fc.tuple(
              fc.constant(width),
              fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 5 }),
            ),
          ),
        fc.array(fc.nat(), { maxLength: 5 }),
        ([width, table], cutSeeds) => {
          const headers = Array.from({ length: width }, (_, i) => `h${i}`);
          const quote = (value: string): string => `"${value.replaceAll('"', '""')}"`;
          const text = [headers.join(','), ...table.map((row) => row.map(quote).join(','))].join('\r\n');
          const cuts = cutSeeds.map((seed) => seed % (text.length + 1));
          const result = streamed(text, cuts);
          expect(result.headers).toEqual(headers);
          expect(result.problems).toEqual([]);
          expect(result.rows.map((row) => row.cells)).toEqual(table);
        },
      ),
    );
  });

  it('calls onHeaders once with the header line', () => {
    const seen: Array<[string[], number]> = [];
    const parser = createCsvParser(() => undefined, undefined, {
      onHeaders: (headers, line) => seen.push([headers, line]),
    });
    parser.push('\n Email , Name \nx,y\n');
    parser.end();
    expect(seen).toEqual([[['Email', 'Name'], 2]]);
  });
});
