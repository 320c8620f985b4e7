import type { LeadField, Scalar } from '../model';
import type { ProfileUse } from './profile-use';
import { isObj } from './response-tree';
import { describeValue } from './response-path';
import { utf8Length } from './text';

export type Coerced = { ok: true; value: Scalar; message?: string } | { ok: false; reason: string; message: string };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The value as the lead field would hold it. JSON keeps its types (a JSON string never goes into a
 * number field: DEV-RM); XML has only text, so numeric text is a number there.
 */
export function coerce(value: unknown, field: LeadField, responseType: 'json' | 'xml', pu: ProfileUse): Coerced {
  if (Array.isArray(value) || isObj(value)) {
    if (['string', 'text', 'email', 'phone', 'url'].includes(field.type)) {
      pu.use('nestedValueToString');
      if (pu.profile.nestedValueToString === 'json') return checkLength(JSON.stringify(value), field, pu);
    }
    return {
      ok: false,
      reason: 'nested-value',
      message: `the value is ${describeValue(value)}, not a single value; Marketo's behaviour here is not documented (profile nestedValueToString)`,
    };
  }
  if (value === null) return { ok: false, reason: 'null-value', message: 'the value is null; nothing is written' };
  // What is left of parsed JSON or XML is a string, a number or a Boolean.
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : describeValue(value);
  const fromXml = responseType === 'xml';
  switch (field.type) {
    case 'integer':
    case 'score':
      if (typeof value === 'number' && Number.isInteger(value)) return { ok: true, value };
      if (fromXml && /^-?\d+$/.test(text.trim())) return { ok: true, value: Number(text.trim()) };
      return typeMismatch(
        typeof value === 'string' ? `the string ${JSON.stringify(value)}` : describeValue(value),
        field,
      );
    case 'float':
    case 'currency':
      if (typeof value === 'number') return { ok: true, value };
      if (fromXml && /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text.trim()))
        return { ok: true, value: Number(text.trim()) };
      return typeMismatch(
        typeof value === 'string' ? `the string ${JSON.stringify(value)}` : describeValue(value),
        field,
      );
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (/^(true|false)$/i.test(text.trim())) return { ok: true, value: text.trim().toLowerCase() === 'true' };
      return typeMismatch(describeValue(value), field);
    case 'date':
      if (typeof value === 'string' && ISO_DATE.test(value.trim())) return { ok: true, value: value.trim() };
      return typeMismatch(describeValue(value), field);
    case 'datetime':
      if (typeof value === 'string' && (ISO_DATETIME.test(value.trim()) || ISO_DATE.test(value.trim())))
        return { ok: true, value: value.trim() };
      return typeMismatch(describeValue(value), field);
    default:
      return checkLength(text, field, pu);
  }
}

/** A plain function, not a closure made per call: coerce runs once per mapping per lead. */
function typeMismatch(what: string, field: LeadField): Coerced {
  return {
    ok: false,
    reason: 'type-mismatch',
    message: `${what} cannot go into ${field.soapName ?? field.displayName}, ${/^[aeiou]/i.test(field.type) ? 'an' : 'a'} ${field.type} field`,
  };
}

function checkLength(text: string, field: LeadField, pu: ProfileUse): Coerced {
  const limit = field.length ?? (field.type === 'string' ? 255 : undefined);
  const textLimit = field.type === 'text' ? 30_000 : undefined;
  const over = limit !== undefined ? text.length > limit : textLimit !== undefined && utf8Length(text) > textLimit;
  if (!over) return { ok: true, value: text };
  pu.use('overLengthString');
  const what = limit !== undefined ? `${limit} characters` : `${textLimit} bytes`;
  if (pu.profile.overLengthString === 'refuse') {
    return {
      ok: false,
      reason: 'over-length',
      message: `the value is longer than ${field.soapName ?? field.displayName} holds (${what}); the profile does not write it`,
    };
  }
  const cut = limit !== undefined ? text.slice(0, limit) : text.slice(0, textLimit);
  return {
    ok: true,
    value: cut,
    message: `the value is longer than the field holds (${what}); written truncated (profile overLengthString)`,
  };
}
