import type { FieldCatalog } from '@shared/model/field-catalog';
import { createLeadCounter, type LeadFormat } from '@shared/runner/leads';

/** A failure of the run as a whole (unreadable leads file, unknown format), as opposed to a failed lead. */
export class RunInputError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RunInputError';
    this.code = code;
  }
}

export type LeadsSource = AsyncIterable<string | Uint8Array> | string;

async function* textChunks(source: LeadsSource): AsyncGenerator<string> {
  if (typeof source === 'string') {
    // Hand a big string over in slices, so that leads start going out before the whole text is parsed.
    const size = 64 * 1024;
    for (let at = 0; at < source.length; at += size) yield source.slice(at, at + size);
    return;
  }
  // Invalid UTF-8 becomes U+FFFD, which the readers report as a bad encoding on that row.
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for await (const chunk of source) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * Refuses a leads file that is not text before anything is sent: a NUL character never appears in
 * a CSV or JSON export, and a header that is not UTF-8 means every row would be misread.
 */
function checkText(chunk: string, first: boolean): void {
  if (chunk.includes('\u0000'))
    throw new RunInputError(
      'not-text',
      'the leads file is not text (it holds NUL bytes): pick a CSV, JSON or JSON Lines export',
    );
  if (first) {
    const nl = chunk.indexOf('\n');
    const head = nl >= 0 ? chunk.slice(0, nl) : chunk;
    if (head.includes('\uFFFD'))
      throw new RunInputError(
        'not-text',
        'the first line of the leads file is not UTF-8 text: save the export as UTF-8',
      );
  }
}

/** The chunks of a leads file, refused at the first sign that it is not text. */
export async function* checkedChunks(source: LeadsSource): AsyncGenerator<string> {
  let first = true;
  for await (const chunk of textChunks(source)) {
    if (chunk === '') continue;
    checkText(chunk, first);
    first = false;
    yield chunk;
  }
}

/**
 * Counts the leads (and bad rows) of a lead file without keeping them: one streaming pass. Refuses,
 * with a RunInputError, a file that is not text or holds no leads at all (an empty export).
 */
export async function countLeads(format: LeadFormat, fields: FieldCatalog, source: LeadsSource): Promise<number> {
  const counter = createLeadCounter(format, fields);
  for await (const chunk of checkedChunks(source)) counter.push(chunk);
  const n = counter.end();
  if (n === 0)
    throw new RunInputError('no-leads', 'the leads file holds no leads (it is empty, or has a header and no rows)');
  return n;
}
