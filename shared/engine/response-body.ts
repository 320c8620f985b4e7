import { defaultProfile, type Diagnostic, type Profile } from '../model';
import { jsonDepthExceeded, jsonErrorOffset, jsonParseMessage } from './json-error';
import { depthLimit, parseXmlBody } from './response-xml';
import { lineColumn } from './text';
import { tooDeep, type ParsedBody } from './response-tree';

/** JSON parsing has no diagnostics of its own (only XML does): one frozen list serves every parse. */
const noDiagnostics: readonly Diagnostic[] = Object.freeze([]);

function parseJsonBody(body: string, maxDepth: number): ParsedBody {
  const deep = jsonDepthExceeded(body, maxDepth);
  if (deep >= 0) return tooDeep('JSON', maxDepth, lineColumn(body, deep));
  try {
    return { ok: true, tree: JSON.parse(body) as unknown, diagnostics: noDiagnostics };
  } catch (e) {
    const message = jsonParseMessage(e);
    const offset = jsonErrorOffset(body);
    if (offset < 0) return { ok: false, message: `the response is not valid JSON: ${message}` };
    const { line, column } = lineColumn(body, offset);
    return {
      ok: false,
      message: `the response is not valid JSON at line ${line}, column ${column}: ${message}`,
      line,
      column,
    };
  }
}

export function parseResponseBody(
  body: string,
  responseType: 'json' | 'xml',
  profile: Partial<Profile> = {},
): ParsedBody {
  // Speed: docs/performance.md#engine (no profile copy for JSON).
  if (responseType === 'json') return parseJsonBody(body, depthLimit(profile));
  const p: Profile = { ...defaultProfile, ...profile };
  return parseXmlBody(body, p);
}
