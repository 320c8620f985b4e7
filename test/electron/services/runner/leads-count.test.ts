import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultFieldCatalog } from '@shared/catalog';
import { createLeadReader } from '@shared/runner/leads';
import { createCsvParser } from '@shared/formats/csv';
import { countLeads, RunInputError } from '@services/runner/leads-file';
import { splitAt } from '../../../shared/formats/csv-chunks';

/**
 * The leads the run's own reader finds in the text, fed in these chunks: rows plus bad rows; 'failed'
 * where the reader itself fails (a stack overflow on some unclosed quotes, reported to the lead).
 */
function readerCount(chunks: string[]): number | 'failed' {
  let n = 0;
  const reader = createLeadReader('csv', defaultFieldCatalog, { onLead: () => n++, onProblem: () => n++ });
  try {
    for (const c of chunks) reader.push(c);
    reader.end();
  } catch (e) {
    if (e instanceof RangeError) return 'failed';
    throw e;
  }
  return n;
}

/** countLeads' answer; undefined when the file is refused as not text (before any count, as ever). */
async function counted(chunks: string[]): Promise<number | 'failed' | undefined> {
  async function* source(): AsyncGenerator<string> {
    for (const c of chunks) yield c;
  }
  try {
    return await countLeads('csv', defaultFieldCatalog, source());
  } catch (e) {
    if (e instanceof RunInputError && e.code === 'no-leads') return 0;
    if (e instanceof RunInputError && e.code === 'not-text') return undefined;
    if (e instanceof RangeError) return 'failed';
    throw e;
  }
}

/** Cuts the text at the given places (chunks may split a CRLF, a quoted field, a doubled quote). */

describe('counting the leads of a CSV file before the run', () => {
  it('counts plain and wholly quoted lines, blank lines and a byte-order mark as the reader does', async () => {
    const text = '\uFEFFEmail,Name\r\na@x.com,A\r\n"b@x.com","B ""the"" b"\r\n\r\n"c@x.com",\r\n';
    expect(await counted([text])).toBe(3);
    expect(readerCount([text])).toBe(3);
  });

  it('counts a quoted line break, a stray quote and an unclosed quote as the reader does', async () => {
    const cases = [
      'Email,Note\na@x.com,"two\nlines"\nb@x.com,x\n',
      'Email,Note\na@x.com,x"y\nb@x.com,x\n',
      'Email,Note\na@x.com,"unclosed\nb@x.com,x\nc@x.com,y\n',
      'Email,Note\na@x.com,"x"y\nb@x.com,x\n',
      '"Email,Note\na@x.com,x\n',
    ];
    for (const text of cases) expect(await counted([text]), text).toBe(readerCount([text]));
  });

  it('equals what the reader finds on any CSV, however it is cut into chunks', async () => {
    const piece = fc.constantFrom(
      'a',
      'b',
      ',',
      '"',
      '""',
      '\n',
      '\r',
      '\r\n',
      ' ',
      '\uFFFD',
      '\uFEFF',
      'é',
      '"a"',
      ',"',
    );
    const csv = fc
      .tuple(
        fc.constantFrom('', '\uFEFF', '\n', 'Email,Name\n', 'A,B,C\r\n', '"A","B"\n'),
        fc.array(piece, { maxLength: 60 }),
      )
      .map(([head, parts]) => head + parts.join(''));
    await fc.assert(
      fc.asyncProperty(csv, fc.array(fc.nat(), { maxLength: 4 }), async (text, at) => {
        // The same chunks as the reader's: the count and the run read the file through the same stream.
        const chunks = splitAt(
          text,
          at.map((a) => a % (text.length + 1)),
        );
        const n = await counted(chunks);
        if (n !== undefined) expect(n).toBe(readerCount(chunks));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('the count copies no text', () => {
  /** The lines of the rows and of the bad rows, in file order: what a count and a run account for. */
  function eventLines(chunks: string[], countOnly: boolean): number[] {
    const lines: number[] = [];
    const parser = createCsvParser(
      (row) => lines.push(row.line),
      (problem) => {
        if (!problem.message.startsWith('header:')) lines.push(problem.line);
      },
      { countOnly },
    );
    for (const c of chunks) parser.push(c);
    parser.end();
    return lines;
  }

  it('finds the same rows and bad rows, on the same lines, as the reader that keeps the text', () => {
    const piece = fc.constantFrom('a', ',', '"', '""', '\n', '\r', '\r\n', '\uFFFD', 'é', '"a"', ',"', '"\n"');
    const csv = fc
      .tuple(fc.constantFrom('', 'Email,Name\n', 'A,B,C\r\n', '"A","B"\n'), fc.array(piece, { maxLength: 60 }))
      .map(([head, parts]) => head + parts.join(''));
    fc.assert(
      fc.property(csv, fc.array(fc.nat(), { maxLength: 4 }), (text, at) => {
        const chunks = splitAt(
          text,
          at.map((a) => a % (text.length + 1)),
        );
        let kept: number[] | 'failed';
        try {
          kept = eventLines(chunks, false);
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
          kept = 'failed';
        }
        if (kept !== 'failed') expect(eventLines(chunks, true)).toEqual(kept);
      }),
      { numRuns: 3000 },
    );
  });

  it('counts quoted fields over several lines, blank lines and an unclosed quote as the run reads them', async () => {
    const text = 'Email,Note\r\na@x.com,"one\r\ntwo\r\nthree"\r\n\r\nb@x.com,"x"\r\nc@x.com,"open\nd@x.com,y\n\n';
    expect(await counted([text])).toBe(readerCount([text]));
    // One UTF-16 unit a chunk: every CRLF and quote split between chunks.
    const units = Array.from({ length: text.length }, (_, i) => text.charAt(i));
    expect(await counted(units)).toBe(readerCount([text]));
    expect(readerCount([text])).toBe(4);
  });

  it('counts a 16 MB line in 64 KB chunks at once', async () => {
    const long = 'x'.repeat(16 * 1024 * 1024);
    const text = `Email,Note\na@x.com,"${long}"\nb@x.com,${long}\n`;
    const chunks: string[] = [];
    for (let at = 0; at < text.length; at += 64 * 1024) chunks.push(text.slice(at, at + 64 * 1024));
    const started = performance.now();
    expect(await counted(chunks)).toBe(2);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
