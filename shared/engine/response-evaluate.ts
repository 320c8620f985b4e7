import type { FieldCatalog, MappingResult, Scalar, Webhook } from '../model';
import { findFieldByAnyName } from '../catalog';
import type { ProfileUse } from './profile-use';
import { coerce, type Coerced } from './response-coerce';
import { notWritten, type MappingPlan } from './response-mapping';
import { walk } from './response-path';

/** What every mapping of one response is evaluated against. */
export interface MappingInput {
  status: number;
  ok2xx: boolean;
  empty: boolean;
  responseType: Webhook['responseType'];
  /** The parsed answer; undefined when it was not parsed (or could not be). */
  tree: unknown;
  /** Why the answer could not be read, with the reason code for each mapping. */
  parseProblem: { reason: string; message: string } | undefined;
  catalog: FieldCatalog;
  pu: ProfileUse;
  /** The lead after the mappings: written values go in here. */
  after: Record<string, Scalar>;
}

/** A mapping before anything is looked up: nothing found, nothing written (also what a response that never came gives). */
export function unevaluatedMapping(m: Webhook['mappings'][number]) {
  return { attribute: m.attribute, field: m.field, found: false, value: null, coerced: null, written: false } as const;
}

/** One mapping: whether its path finds a value, what the field would hold, and whether Marketo writes it. */
export function evaluateMapping(
  m: Webhook['mappings'][number],
  index: number,
  plan: MappingPlan,
  input: MappingInput,
): MappingResult {
  const { field, path } = plan;
  // The same keys in the same order as `{ index, ...unevaluatedMapping(m) }`, without the spread's copy.
  const result: MappingResult = {
    index,
    attribute: m.attribute,
    field: m.field,
    found: false,
    value: null,
    coerced: null,
    written: false,
  };
  if (field) result.fieldType = field.type;
  // Marketo writes nothing on a non-2xx, whatever the path: that is every mapping's reason, first.
  if (!input.ok2xx) notWritten2xx(result, input.status);
  if (!path.ok) {
    notWritten(result, 'invalid-path', `the response attribute is not a Marketo path: ${path.message}`);
    return result;
  }
  if (input.responseType === 'none') {
    notWritten(result, 'response-type-none', "the webhook's response type is None, so Marketo reads no mappings");
    return result;
  }
  if (input.tree !== undefined) {
    const w = walk(input.tree, path.steps, input.responseType, input.pu);
    if (w.found) {
      result.found = true;
      result.value = w.value === undefined ? null : w.value;
    } else notWritten(result, w.reason, w.message);
  }
  if (!field) {
    notASoapField(result, m.field, input.catalog);
    return result;
  }
  const c = result.found ? coerce(result.value, field, input.responseType, input.pu) : undefined;
  if (c?.ok) result.coerced = c.value;
  if (writable(result, c, input)) {
    if (field.readOnly) {
      notWritten(
        result,
        'read-only-field',
        `${field.soapName ?? field.displayName} is read-only; Marketo does not write it`,
      );
      return result;
    }
    if (c.message) result.message = c.message;
    result.written = true;
    input.after[field.soapName ?? field.displayName] = c.value;
  }
  return result;
}

/** Why a mapping's field cannot be written: a REST-only field, a name that is not the SOAP name, or no field. */
function notASoapField(result: MappingResult, name: string, catalog: FieldCatalog): void {
  const other = findFieldByAnyName(catalog, name);
  if (other && other.soapName === undefined)
    notWritten(
      result,
      'rest-only-field',
      `${other.displayName} is a REST-only field: it has no SOAP API name, so a mapping cannot write it`,
    );
  else if (other)
    notWritten(
      result,
      'unknown-field',
      `'${name}' is not a SOAP API name; mappings name fields by SOAP name: use '${other.soapName}'`,
    );
  else notWritten(result, 'unknown-field', `'${name}' is not a lead field in the catalog`);
}

/** Whether the answer lets a found, coerced value be written; the first reason it does not is recorded. */
function writable(result: MappingResult, c: Coerced | undefined, input: MappingInput): c is Coerced & { ok: true } {
  if (!input.ok2xx) {
    notWritten2xx(result, input.status);
    return false;
  }
  if (input.empty) {
    notWritten(result, 'empty-body', 'the response body is empty (code 1001)');
    return false;
  }
  if (input.parseProblem !== undefined) {
    notWritten(result, input.parseProblem.reason, input.parseProblem.message);
    return false;
  }
  if (!c) return false;
  if (!c.ok) {
    notWritten(result, c.reason, c.message);
    return false;
  }
  return true;
}

function notWritten2xx(result: MappingResult, status: number): void {
  notWritten(result, 'non-2xx', `HTTP ${status}: Marketo updates lead fields only on a 2xx response`);
}
