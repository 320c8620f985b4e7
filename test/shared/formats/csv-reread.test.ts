/** Rows read again after an unclosed quote: found by the differential fuzz test of the record reader. */
import { describe, it, expect } from 'vitest';
import { parseCsv } from '@shared/formats/csv';
import { parseChunks } from './csv-chunks';

describe('CSV rows read again after an unclosed quote', () => {
  it('ends when the lines read again hold an unclosed quote of their own that runs on', () => {
    // Each line opens a quote; reading the swallowed lines again once looped until the stack ran out.
    const text = 'Email,Name,Company\n"open,""\n"open\n"open,\n';
    const { rows, problems } = parseCsv(text);
    expect(rows).toEqual([]);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(problems[2]?.message).toMatch(/unterminated quoted field starting on line 4/);
  });

  it('gives the same lines when a chunk ends between the CR and LF of a row that is read again', () => {
    const text = 'a,b\r\n"x\r\nc",d,e\r\nf,g\r\n';
    const whole = parseCsv(text);
    expect(whole.rows).toEqual([{ line: 4, cells: ['f', 'g'] }]);
    expect(whole.problems.map((p) => p.line)).toEqual([2, 3]);
    const cut = text.indexOf('e\r\n') + 2;
    expect(parseChunks([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
  });
});
