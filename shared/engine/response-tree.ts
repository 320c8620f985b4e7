import type { Diagnostic } from '../model';

/** `tooDeep`: the body nests deeper than the profile's maxResponseDepth, so it was not read at all. */
export type ParsedBody =
  | { ok: true; tree: unknown; diagnostics: readonly Diagnostic[] }
  | { ok: false; message: string; line?: number; column?: number; tooDeep?: true };

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A body that nests deeper than the profile allows: not read at all, so no mapping is written. */
export function tooDeep(what: 'JSON' | 'XML', maxDepth: number, at?: { line: number; column: number }): ParsedBody {
  const where = at ? ` at line ${at.line}, column ${at.column}` : '';
  const body: ParsedBody = {
    ok: false,
    tooDeep: true,
    message: `the response ${what} nests deeper than ${maxDepth} levels${where} (profile maxResponseDepth); it is not read, so no mapping is written`,
  };
  if (at) {
    body.line = at.line;
    body.column = at.column;
  }
  return body;
}
