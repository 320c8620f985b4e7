import type { Scalar } from '../model/context';
import type { FieldCatalog } from '../model/field-catalog';
import { cellValue, createFieldIndex, type LeadColumn, type LeadReader, type LeadReaderEvents } from './lead-columns';

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function describe(value: unknown): string {
  return Array.isArray(value)
    ? 'an array'
    : value === null
      ? 'null'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;
}

/** JSON leads: keys resolved once each, values must be scalars. */
function createObjectLeadBuilder(
  fields: FieldCatalog,
  events: LeadReaderEvents,
): (line: number, parsed: unknown) => void {
  const find = createFieldIndex(fields);
  const resolved = new Map<string, LeadColumn>();
  const column = (key: string): LeadColumn => {
    let found = resolved.get(key);
    if (!found) {
      const field = find(key);
      found = field ? { header: key, key: field.displayName, field } : { header: key, key };
      resolved.set(key, found);
      if (!field)
        events.onNote?.({
          line: 1,
          message: `key "${key}" is not in the field catalog; it fills {{lead.${key}}} as written`,
        });
    }
    return found;
  };
  return (line, parsed) => {
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      events.onProblem({ line, message: `expected a lead object, found ${describe(parsed)}` });
      return;
    }
    const values: Record<string, Scalar> = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (!isScalar(value)) {
        events.onProblem({
          line,
          message: `lead field "${key}" holds ${describe(value)}; lead fields hold text, numbers, Booleans or null`,
        });
        return;
      }
      if (typeof value === 'string' && value.includes('\uFFFD')) {
        events.onProblem({ line, message: `lead field "${key}" is not valid UTF-8 text (bad encoding?)` });
        return;
      }
      const col = column(key);
      values[col.key] = typeof value === 'string' ? cellValue(value, col.field) : value;
    }
    events.onLead({ line, values });
  };
}

export function createJsonlLeadReader(fields: FieldCatalog, events: LeadReaderEvents): LeadReader {
  const build = createObjectLeadBuilder(fields, events);
  let pending = '';
  let line = 0;
  const take = (text: string): void => {
    line++;
    const trimmed = text.trim();
    if (trimmed === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      events.onProblem({ line, message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    build(line, parsed);
  };
  let first = true;
  return {
    push(chunk) {
      let text = pending + chunk;
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        take(text.slice(start, nl));
        start = nl + 1;
      }
      pending = text.slice(start);
    },
    end() {
      if (pending !== '') take(pending);
      pending = '';
    },
  };
}

/** Where the JSON array reader stands, between chunks. */
interface ArrayScan {
  readonly build: (line: number, parsed: unknown) => void;
  readonly events: LeadReaderEvents;
  /** The line the scan is on. */
  line: number;
  /** Bracket depth: 0 outside the array, 1 between its elements. */
  depth: number;
  inString: boolean;
  escaped: boolean;
  /** The text of the element being read, and where it started. */
  element: string;
  inElement: boolean;
  elementLine: number;
  /** The array closed; only blanks may follow. */
  finished: boolean;
  /** The file is not a lead array: nothing more is read. */
  broken: boolean;
  started: boolean;
}

function finishElement(s: ArrayScan): void {
  s.inElement = false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(s.element);
  } catch (e) {
    s.events.onProblem({
      line: s.elementLine,
      message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    });
    s.element = '';
    return;
  }
  s.element = '';
  s.build(s.elementLine, parsed);
}

function fail(s: ArrayScan, message: string): void {
  s.broken = true;
  s.events.onProblem({ line: s.line, message });
}

/** A character outside the array: only blanks, and the opening "[" once. False when the file is refused. */
function outsideArray(s: ArrayScan, c: string | undefined, blank: boolean): boolean {
  if (blank) return true;
  if (c === '[' && !s.finished) {
    s.depth = 1;
    return true;
  }
  fail(
    s,
    s.finished
      ? 'unexpected text after the closing "]" of the lead array'
      : 'expected a JSON array of lead objects ("[" first)',
  );
  return false;
}

/** A closing bracket inside an element: it ends the element, or (a bare scalar before it) the array. */
function closeBracket(s: ArrayScan, chunk: string, mark: number, i: number): void {
  if (s.depth === 1) {
    // The array closes right after a bare scalar element.
    s.element += chunk.slice(mark, i);
    finishElement(s);
    s.depth = 0;
    s.finished = true;
    return;
  }
  s.depth--;
  if (s.depth === 1) {
    s.element += chunk.slice(mark, i + 1);
    finishElement(s);
  }
}

/** Reads one chunk from `from` on: each element is cut out at its closing bracket and parsed on its own. */
function scanChunk(s: ArrayScan, chunk: string, from: number): void {
  let mark = from;
  for (let i = from; i < chunk.length; i++) {
    const c = chunk[i];
    if (c === '\n') s.line++;
    if (s.inString) {
      if (s.escaped) s.escaped = false;
      else if (c === '\\') s.escaped = true;
      else if (c === '"') s.inString = false;
      continue;
    }
    const blank = c === ' ' || c === '\n' || c === '\r' || c === '\t';
    if (s.depth === 0) {
      if (!outsideArray(s, c, blank)) return;
      continue;
    }
    if (s.depth === 1 && !s.inElement) {
      if (blank || c === ',') continue;
      if (c === ']') {
        s.depth = 0;
        s.finished = true;
        continue;
      }
      s.inElement = true;
      s.elementLine = s.line;
      mark = i;
    }
    if (c === '"') s.inString = true;
    else if (c === '{' || c === '[') s.depth++;
    else if (c === '}' || c === ']') {
      closeBracket(s, chunk, mark, i);
      continue;
    } else if (s.depth === 1 && (c === ',' || blank)) {
      // A bare scalar element ends at the next separator.
      s.element += chunk.slice(mark, i);
      finishElement(s);
      continue;
    }
  }
  if (s.inElement) s.element += chunk.slice(mark);
}

/**
 * A top-level JSON array read element by element, so a large array never sits in memory whole.
 * Each element is handed to JSON.parse on its own; its line is where it starts.
 *
 * Hand-written rather than @streamparser/json: a malformed element here is one bad row (its line
 * named) and the elements after it still run, so the counts add up to the file; a streaming parser
 * stops at the first syntax error and names no lines. It is also faster: docs/performance.md#runner.
 */
export function createJsonArrayLeadReader(fields: FieldCatalog, events: LeadReaderEvents): LeadReader {
  const s: ArrayScan = {
    build: createObjectLeadBuilder(fields, events),
    events,
    line: 1,
    depth: 0,
    inString: false,
    escaped: false,
    element: '',
    inElement: false,
    elementLine: 1,
    finished: false,
    broken: false,
    started: false,
  };
  return {
    push(chunk) {
      if (s.broken) return;
      let from = 0;
      if (!s.started && chunk.length > 0) {
        s.started = true;
        if (chunk.charCodeAt(0) === 0xfeff) from = 1;
      }
      scanChunk(s, chunk, from);
    },
    end() {
      if (s.broken) return;
      if (!s.started || (!s.finished && s.depth === 0)) {
        fail(s, 'expected a JSON array of lead objects; the file is empty');
        return;
      }
      if (!s.finished) fail(s, `the lead array is not closed (missing "]") at the end of the file`);
    },
  };
}
