/** Undecodable text in a CSV: cells are searched for it only once a chunk has held a replacement character. */
import { describe, it, expect } from 'vitest';
import { parseChunks as read } from './csv-chunks';

describe('CSV cells that were not valid UTF-8', () => {
  it('reports a bad cell that arrives in a later chunk, and only that row', () => {
    const { rows, problems } = read(['Email,Name\na@x.com,Ann\n', 'b@x.com,Bo\n', 'c@x.com,B\uFFFDb\nd@x.com,Di\n']);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(problems).toEqual([{ line: 4, message: 'column "Name" is not valid UTF-8 text (bad encoding?)' }]);
  });

  it('reports a bad cell in a row read again after an unclosed quote', () => {
    const { rows, problems } = read(['Email,Name\n"a@x.com,Ann\n', 'b@x.com,B\uFFFDb\nc@x.com,Cy\n']);
    expect(rows).toEqual([{ line: 4, cells: ['c@x.com', 'Cy'] }]);
    expect(problems.map((p) => p.line)).toEqual([2, 3]);
    expect(problems[1]?.message).toMatch(/not valid UTF-8/);
  });
});
