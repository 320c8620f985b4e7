/**
 * The record reader against the reader it replaced (kept under oracle/ as it was, character by
 * character): on random CSV text cut into random chunks, both must hand out the same records, with the
 * same lines, faults and quoting, and read the same refused records again.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { RecordReader, type RecordSink } from '@shared/formats/csv-records';
import { RecordReader as OldRecordReader } from './oracle/csv-records-old';
import { splitAt } from './csv-chunks';

interface Seen {
  line: number;
  cells: string[];
  fault: string | undefined;
  quoted: boolean;
  lastLine: number;
  refused: boolean;
}

/**
 * A sink that refuses records as the CSV parser does (a quoted record that ran over lines and does
 * not fit three columns or has a fault), so that unclosed quotes are read again.
 */
function recorder(columns: number): { sink: RecordSink; seen: Seen[] } {
  const seen: Seen[] = [];
  const sink: RecordSink = (line, cells, fault, quoted, lastLine) => {
    const refused = quoted && lastLine > line && (fault !== undefined || cells.length !== columns);
    seen.push({ line, cells: [...cells], fault, quoted, lastLine, refused });
    return refused;
  };
  return { sink, seen };
}

/** The text cut at places spread over its whole length. */
const cutUp = (text: string, cuts: number[]): string[] =>
  splitAt(
    text,
    cuts.map((c) => c % (text.length + 1)),
  );

type Reader = { push(chunk: string): void; end(): void };

function readWith(make: (sink: RecordSink) => Reader, chunks: string[], columns: number): Seen[] {
  const { sink, seen } = recorder(columns);
  const reader = make(sink);
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return seen;
}

const newReader = (sink: RecordSink): Reader => new RecordReader(sink);
const oldReader = (sink: RecordSink): Reader => new OldRecordReader(sink);

// Pieces of CSV text weighted towards what makes parsing hard: quotes, doubled quotes, line ends of
// every kind, commas, empty fields, non-ASCII text, a surrogate pair (which a chunk may split) and a BOM.
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('"', ',', '\n', '\r', '\r\n') },
  { weight: 3, arbitrary: fc.constantFrom('a', 'bc', 'lead@x.com', ' ', 'é', 'Zoë', '😀', '\uD83D', '""', ',,') },
  { weight: 1, arbitrary: fc.constantFrom('\uFEFF', '\t', '\u0000', '"a"', '"x\ny"', '"\r\n"') },
);
const csvText = fc.array(unit, { maxLength: 60 }).map((units) => units.join(''));
const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 10 });

describe('CSV record reader against the reader it replaced', () => {
  it('hands out the same records, lines, faults and rereads on random text in random chunks', () => {
    fc.assert(
      fc.property(csvText, cuts, fc.integer({ min: 1, max: 4 }), fc.boolean(), (text, cutAt, columns, bom) => {
        const full = bom ? `\uFEFF${text}` : text;
        const chunks = cutUp(full, cutAt);
        expect(readWith(newReader, chunks, columns)).toEqual(readWith(oldReader, chunks, columns));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees on lead-file-like text: quoted rows, some with an unclosed quote or a stray character', () => {
    const cell = fc.oneof(
      fc.constantFrom('', 'a', 'Jack & Jill', 'Zoë', '😀x'),
      fc.constantFrom('"q"', '"a,b"', '"he said ""hi"""', '"two\nlines"', '"cr\rline"', '"open', '"x"y', '""'),
    );
    const row = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
    const end = fc.constantFrom('\n', '\r\n', '\r');
    const file = fc
      .array(fc.tuple(row, end), { maxLength: 12 })
      .map((rows) => 'Email,Name,Company\n' + rows.map(([r, e]) => r + e).join(''));
    fc.assert(
      fc.property(file, cuts, (text, cutAt) => {
        const chunks = cutUp(text, cutAt);
        expect(readWith(newReader, chunks, 3)).toEqual(readWith(oldReader, chunks, 3));
      }),
      { numRuns: 3000 },
    );
  });

  it('hands out the same records whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(csvText, cuts, fc.integer({ min: 1, max: 4 }), (text, cutAt, columns) => {
        expect(readWith(newReader, cutUp(text, cutAt), columns)).toEqual(readWith(newReader, [text], columns));
      }),
      { numRuns: 5000 },
    );
  });

  it('notices a changed record: the comparison is not vacuous', () => {
    const chunks = ['a,"b\nc",d\n"e'];
    const seen = readWith(newReader, chunks, 3);
    expect(seen.map((s) => s.cells)).toEqual([['a', 'b\nc', 'd'], ['e']]);
    expect(seen[1]?.fault).toMatch(/unterminated quoted field starting on line 3/);
    const broken = (sink: RecordSink): Reader => new RecordReader((l, c, f, q, last) => sink(l + 1, c, f, q, last));
    expect(readWith(broken, chunks, 3)).not.toEqual(readWith(oldReader, chunks, 3));
  });
});
