/** Helpers for tests that hand CSV text over in pieces, as a stream does. */
import { createCsvParser, type CsvParseResult } from '@shared/formats/csv';

/** The text cut at the given places (out-of-range cuts are clamped; repeats and order do not matter). */
export function splitAt(text: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const cut of at) {
    pieces.push(text.slice(from, cut));
    from = cut;
  }
  pieces.push(text.slice(from));
  return pieces;
}

/** What the streaming CSV parser hands out for these chunks. */
export function parseChunks(chunks: string[]): CsvParseResult {
  const result: CsvParseResult = { headers: [], rows: [], problems: [] };
  const parser = createCsvParser(
    (row) => result.rows.push(row),
    (problem) => result.problems.push(problem),
  );
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  result.headers = parser.headers() ?? [];
  return result;
}
